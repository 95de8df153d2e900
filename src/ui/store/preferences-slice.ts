/** UI preferences (theme, chosen pass, table sort) and the Share button's state. */
import { describeError } from './toolchain-slice.ts';
import type { AppActions, AppDeps, AppState, PreferencesSlice } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export function initialPreferences(deps: Pick<AppDeps, 'env'>): PreferencesSlice {
  return {
    theme: deps.env.loadTheme() ?? 'system',
    systemDark: deps.env.prefersDark(),
    chosenPass: null,
    sort: { column: 'pass', direction: 'ascending' },
  };
}

export function preferenceActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<
  AppActions,
  'setTheme' | 'toggleTheme' | 'setSystemDark' | 'choosePass' | 'sortBy' | 'share' | 'dismissShare'
> {
  const setTheme = (theme: PreferencesSlice['theme']) => {
    set((s) => ({ prefs: { ...s.prefs, theme } }));
    deps.env.saveTheme(theme);
  };
  return {
    setTheme,
    toggleTheme() {
      const { theme, systemDark } = get().prefs;
      const dark = theme === 'system' ? systemDark : theme === 'dark';
      const next = dark ? 'light' : 'dark';
      // Back to following the system when the toggle lands where the system is.
      setTheme(next === (systemDark ? 'dark' : 'light') ? 'system' : next);
    },
    setSystemDark(systemDark) {
      set((s) => ({ prefs: { ...s.prefs, systemDark } }));
    },
    choosePass(chosenPass) {
      set((s) => ({ prefs: { ...s.prefs, chosenPass } }));
    },
    sortBy(column) {
      set((s) => {
        const same = s.prefs.sort.column === column;
        const direction =
          same && s.prefs.sort.direction === 'ascending' ? 'descending' : 'ascending';
        return { prefs: { ...s.prefs, sort: { column, direction } } };
      });
    },
    async share() {
      let hash: string;
      try {
        hash = deps.codec.encode(get().scenario);
      } catch (error) {
        set({ share: { state: 'failed', message: describeError(error) } });
        return;
      }
      const url = `${deps.env.pageUrl()}#${hash}`;
      // The address bar shows the link that was shared, even before any edit wrote it.
      deps.env.replaceHash(hash);
      try {
        await deps.env.copyText(url);
        set({ share: { state: 'copied', url } });
      } catch {
        set({ share: { state: 'manual', url } });
      }
    },
    dismissShare() {
      set({ share: { state: 'idle' } });
    },
  };
}
