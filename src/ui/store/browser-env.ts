/** The store's environment in a real page: the URL, the clipboard, localStorage, matchMedia. */
import type { AppEnvironment, ThemePreference } from './types.ts';

const THEME_KEY = 'kallsyms-lab:theme';
/** Slider drags change the scenario many times a second; browsers throttle replaceState. */
const HASH_DELAY_MS = 200;

export function createBrowserEnvironment(win: Window = window): AppEnvironment {
  let pendingHash: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const writeHash = () => {
    timer = null;
    if (pendingHash === null) return;
    const hash = pendingHash ? `#${pendingHash}` : '';
    const url = `${win.location.pathname}${win.location.search}${hash}`;
    pendingHash = null;
    win.history.replaceState(win.history.state, '', url);
  };
  return {
    readHash: () => win.location.hash,
    replaceHash(hash) {
      pendingHash = hash;
      if (timer === null) timer = setTimeout(writeHash, HASH_DELAY_MS);
    },
    pageUrl: () => win.location.origin + win.location.pathname,
    async copyText(text) {
      if (!win.navigator.clipboard) throw new Error('no clipboard');
      await win.navigator.clipboard.writeText(text);
    },
    loadTheme() {
      try {
        const value = win.localStorage.getItem(THEME_KEY);
        return value === 'light' || value === 'dark' || value === 'system' ? value : null;
      } catch {
        return null;
      }
    },
    saveTheme(theme: ThemePreference) {
      try {
        win.localStorage.setItem(THEME_KEY, theme);
      } catch {
        // Private mode or storage disabled: the preference lasts for this page only.
      }
    },
    prefersDark: () => win.matchMedia?.('(prefers-color-scheme: dark)').matches ?? false,
    watchPrefersDark(listener) {
      const query = win.matchMedia?.('(prefers-color-scheme: dark)');
      if (!query) return () => {};
      const onChange = (event: MediaQueryListEvent) => listener(event.matches);
      query.addEventListener('change', onChange);
      return () => query.removeEventListener('change', onChange);
    },
  };
}
