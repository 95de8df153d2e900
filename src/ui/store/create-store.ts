/**
 * The page's one store, made of its slices. `createAppStore` takes its
 * dependencies so that tests can run it in Node with a fake supervisor.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { linkActions, type LinkInternals } from './links-slice.ts';
import { preferenceActions, initialPreferences } from './preferences-slice.ts';
import { runsActions } from './runs-slice.ts';
import { initialScenarioSlice, scenarioActions } from './scenario-slice.ts';
import { initialSweepSlice, sweepActions } from './sweep-slice.ts';
import { initialToolchainSlice, toolchainActions } from './toolchain-slice.ts';
import type { AppDeps, AppState } from './types.ts';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const scenarioSlice = initialScenarioSlice(deps);
  let links!: LinkInternals;
  let onScenarioChange!: () => void;
  const store = createStore<AppState>()((set, get) => {
    const runs = runsActions(set, get, deps);
    const sweeps = sweepActions(set, get, deps);
    const linking = linkActions(set, get, deps, runs);
    links = linking;
    onScenarioChange = () => {
      runs.onScenarioChange();
      sweeps.onScenarioChange();
    };
    return {
      ...scenarioSlice,
      toolchain: initialToolchainSlice(deps),
      current: null,
      pinned: null,
      pinRun: null,
      pendingRun: null,
      linkView: null,
      held: null,
      prefs: initialPreferences(deps),
      share: { state: 'idle' },
      sweep: initialSweepSlice(scenarioSlice.scenario),
      actions: {
        ...scenarioActions(set, get),
        ...toolchainActions(set, get, deps, linking),
        run: runs.run,
        step: runs.step,
        stop: runs.stop,
        pin: runs.pin,
        unpin: runs.unpin,
        runHeld: runs.runHeld,
        dismissHeld: runs.dismissHeld,
        share: linking.share,
        dismissShare: linking.dismissShare,
        ...preferenceActions(set, get, deps),
        setSweepParam: sweeps.setSweepParam,
        setSweepParam2: sweeps.setSweepParam2,
        editSweepField: sweeps.editSweepField,
        startSweep: sweeps.startSweep,
        stopSweep: sweeps.stopSweep,
        loadSweepStep: sweeps.loadSweepStep,
        openSweepCell: sweeps.openSweepCell,
      },
    };
  });

  store.subscribe((state, previous) => {
    if (state.scenario === previous.scenario) return;
    // The rule: what is in flight for another scenario stops (runs-slice.ts).
    onScenarioChange();
    // The permalink follows the scenario (links-slice.ts).
    links.followState(store.getState(), previous);
    if (store.getState().share.state !== 'idle') store.setState({ share: { state: 'idle' } });
  });
  return store;
}
