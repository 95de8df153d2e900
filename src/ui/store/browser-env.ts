/** The store's environment in a real page: the URL, the clipboard, localStorage, matchMedia. */
import type { AppEnvironment, ThemePreference } from './types.ts';

const THEME_KEY = 'kallsyms-lab:theme';
/** Slider drags change the scenario many times a second; browsers throttle replaceState. */
const HASH_DELAY_MS = 200;

export function createBrowserEnvironment(win: Window = window): AppEnvironment {
  let pendingHash: string | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  /** The hash as the page last wrote or loaded it: a navigation event for it is not news. */
  let knownHash = win.location.hash;
  const urlFor = (hash: string) =>
    `${win.location.pathname}${win.location.search}${hash ? `#${hash}` : ''}`;
  const writeHash = () => {
    if (timer !== null) clearTimeout(timer);
    timer = null;
    if (pendingHash === null) return;
    const url = urlFor(pendingHash);
    pendingHash = null;
    win.history.replaceState(win.history.state, '', url);
    knownHash = win.location.hash;
  };
  return {
    readHash: () => win.location.hash,
    replaceHash(hash) {
      pendingHash = hash;
      if (timer === null) timer = setTimeout(writeHash, HASH_DELAY_MS);
    },
    pushHash(hash) {
      // The edit before this one keeps its entry, with its last value.
      writeHash();
      if (`#${hash}` === win.location.hash || (hash === '' && win.location.hash === '')) return;
      win.history.pushState(null, '', urlFor(hash));
      knownHash = win.location.hash;
    },
    watchHash(listener) {
      // Chromium fires both popstate and hashchange for Back between hash entries: once is enough.
      const onNavigate = () => {
        if (win.location.hash === knownHash) return;
        knownHash = win.location.hash;
        // A write still waiting would overwrite where the reader just went.
        if (timer !== null) clearTimeout(timer);
        timer = null;
        pendingHash = null;
        listener();
      };
      win.addEventListener('hashchange', onNavigate);
      win.addEventListener('popstate', onNavigate);
      return () => {
        win.removeEventListener('hashchange', onNavigate);
        win.removeEventListener('popstate', onNavigate);
      };
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
