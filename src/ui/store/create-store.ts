/**
 * The page's one store, made of its slices. `createAppStore` takes its
 * dependencies so that tests can run it in Node with a fake supervisor.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { preferenceActions, initialPreferences } from './preferences-slice.ts';
import { runsActions } from './runs-slice.ts';
import { initialScenarioSlice, scenarioActions } from './scenario-slice.ts';
import { initialSweepSlice, sweepActions } from './sweep-slice.ts';
import { initialToolchainSlice, toolchainActions } from './toolchain-slice.ts';
import type { AppDeps, AppState } from './types.ts';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const scenarioSlice = initialScenarioSlice(deps);
  const store = createStore<AppState>()((set, get) => ({
    ...scenarioSlice,
    toolchain: initialToolchainSlice(deps),
    current: null,
    pinned: null,
    pendingRun: null,
    prefs: initialPreferences(deps),
    share: { state: 'idle' },
    sweep: initialSweepSlice(scenarioSlice.scenario.layout.base),
    actions: {
      ...scenarioActions(set, get),
      ...toolchainActions(set, get, deps),
      ...runsActions(set, get, deps),
      ...preferenceActions(set, get, deps),
      ...sweepActions(set, get, deps),
    },
  }));

  // The permalink follows the scenario; a hash that failed to open stays until the user edits.
  store.subscribe((state, previous) => {
    if (state.scenario !== previous.scenario) {
      let hash: string;
      try {
        hash = deps.codec.encode(state.scenario);
      } catch {
        // Too large for a link: better no hash than one that opens something else.
        hash = '';
      }
      deps.env.replaceHash(hash);
    }
    if (state.scenario !== previous.scenario && state.share.state !== 'idle') {
      store.setState({ share: { state: 'idle' } });
    }
  });
  return store;
}
