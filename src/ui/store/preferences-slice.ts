/** UI preferences: theme, chosen pass, table sort, the panel to bring into view. */
import type { AppActions, AppDeps, AppState, PreferencesSlice } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export function initialPreferences(deps: Pick<AppDeps, 'env'>): PreferencesSlice {
  return {
    theme: deps.env.loadTheme() ?? 'system',
    systemDark: deps.env.prefersDark(),
    chosenPass: null,
    sort: { column: 'pass', direction: 'ascending' },
    focus: null,
  };
}

export function preferenceActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<AppActions, 'setTheme' | 'toggleTheme' | 'setSystemDark' | 'choosePass' | 'sortBy'> {
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
  };
}
