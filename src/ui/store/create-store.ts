/**
 * The page's one store, made of its slices. `createAppStore` takes its
 * dependencies so that tests can run it in Node with a fake supervisor.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { alternativesActions, type AlternativesInternals } from './alternatives-slice.ts';
import { diagnoseActions, initialDiagnose } from './diagnose-slice.ts';
import { linkActions, type LinkInternals } from './links-slice.ts';
import { preferenceActions, initialPreferences } from './preferences-slice.ts';
import { runsActions } from './runs-slice.ts';
import { initialScenarioSlice, scenarioActions } from './scenario-slice.ts';
import { storyActions } from './story-slice.ts';
import { initialSweepSlice, sweepActions } from './sweep-slice.ts';
import { initialToolchainSlice, toolchainActions } from './toolchain-slice.ts';
import type { AppDeps, AppState } from './types.ts';

export type AppStore = StoreApi<AppState>;

export function createAppStore(deps: AppDeps): AppStore {
  const scenarioSlice = initialScenarioSlice(deps);
  let links!: LinkInternals;
  let alternatives!: AlternativesInternals;
  let onScenarioChange!: () => void;
  const store = createStore<AppState>()((set, get) => {
    const runs = runsActions(set, get, deps);
    const sweeps = sweepActions(set, get, deps);
    const linking = linkActions(set, get, deps, runs);
    const story = storyActions(set, get, deps, linking);
    const trying = alternativesActions(set, get, deps);
    links = linking;
    alternatives = trying;
    // Opening the URL: a first visit with no link opens the story; every entry says whether it was read in it.
    const opening = {
      openUrl(origin: 'start' | 'navigate') {
        if (origin === 'start' && story.openFirstVisit()) return;
        linking.openUrl(origin);
        story.followEntry();
      },
    };
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
      story: null,
      alternatives: null,
      diagnose: initialDiagnose(),
      actions: {
        ...scenarioActions(set, get),
        ...toolchainActions(set, get, deps, opening),
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
        openChapter: story.openChapter,
        openStory: story.openStory,
        leaveStory: story.leaveStory,
        tryAlternatives: trying.tryAlternatives,
        ...diagnoseActions(set, get, deps),
      },
    };
  });

  // What runs in the background follows the runs, the sweeps and the scenario (alternatives-slice.ts).
  store.subscribe((state, previous) => alternatives.follow(state, previous));
  // The reader's own build has an address of its own (links-slice.ts).
  store.subscribe((state, previous) => links.followOwnBuild(state, previous));
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
