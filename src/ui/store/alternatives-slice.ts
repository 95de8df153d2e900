/**
 * "What would change it": after a run ends with a verdict, the one-change
 * variants worth trying (scenario/alternatives.ts) are run in the background
 * on workers of their own (the sweep pool's kind, never the main worker),
 * and each shows its real outcome.
 *
 * When they run: after a run the reader started, when they stay within the
 * budget a link may spend unasked (scenario/cost.ts, AUTO_RUN_BUDGET); after
 * a link's run (a link opened, Back/Forward, a chapter of the story) when the
 * link and its alternatives together do; else they wait for a click. They
 * never delay the reader: they start once its verdict has been on screen a
 * moment (deps.alternativesDelayMs), and stop when another run or a sweep
 * starts, and (the page's rule) when the scenario changes, saying why.
 */
import { alternativesFor } from '../../toolchain/scenario/alternatives.ts';
import {
  AUTO_RUN_BUDGET,
  combineCosts,
  estimateRunCost,
  overLimits,
} from '../../toolchain/scenario/cost.ts';
import { scenarioDifferences } from '../../toolchain/scenario/differences.ts';
import { changedReason, permalinkOf } from './runs-slice.ts';
import { describeError } from './toolchain-slice.ts';
import type {
  AlternativesSlice,
  AlternativeTry,
  AppActions,
  AppDeps,
  AppState,
  CurrentRun,
} from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export interface AlternativesInternals {
  /** Called on every state change: starts them after a run's verdict, stops them when the rule says. */
  follow(state: AppState, previous: AppState): void;
}

export function alternativesActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<AppActions, 'tryAlternatives'> & AlternativesInternals {
  let controller: AbortController | null = null;
  /** A launch waiting for its verdict to have been on screen a while (deps.alternativesDelayMs). */
  let pending: ReturnType<typeof setTimeout> | null = null;

  const patch = (runId: number, change: (a: AlternativesSlice) => Partial<AlternativesSlice>) =>
    set((s) =>
      s.alternatives?.runId === runId
        ? { alternatives: { ...s.alternatives, ...change(s.alternatives) } }
        : {},
    );
  const patchItem = (runId: number, index: number, change: Partial<AlternativeTry>) =>
    patch(runId, (a) => {
      const items = a.items.map((item, i) => (i === index ? { ...item, ...change } : item));
      return {
        items,
        status:
          a.status === 'running' && items.every((item) => item.status !== 'waiting')
            ? 'done'
            : a.status,
      };
    });

  function stop(reason: string) {
    if (!controller && pending === null) return;
    if (pending !== null) clearTimeout(pending);
    pending = null;
    controller?.abort();
    controller = null;
    const running = get().alternatives;
    if (running?.status === 'running')
      patch(running.runId, () => ({ status: 'stopped', stopReason: reason }));
  }

  function launch(runId: number) {
    const alternatives = get().alternatives;
    if (alternatives?.runId !== runId) return;
    controller?.abort();
    const mine = new AbortController();
    controller = mine;
    patch(runId, (a) => ({
      status: a.items.length === 0 ? 'done' : 'running',
      stopReason: null,
      over: [],
      items: a.items.map((item) => ({ ...item, status: 'waiting', result: null, error: null })),
    }));
    if (alternatives.items.length === 0) return;
    deps.trier
      .run(
        alternatives.items.map((item) => item.scenario),
        {
          signal: mine.signal,
          onResult: (index, result) => {
            if (!mine.signal.aborted) patchItem(runId, index, { status: 'done', result });
          },
          onError: (index, message) => {
            if (!mine.signal.aborted) patchItem(runId, index, { status: 'failed', error: message });
          },
        },
      )
      .then(
        () => {
          if (controller === mine) controller = null;
        },
        (error: unknown) => {
          if (controller === mine) controller = null;
          if (mine.signal.aborted) return;
          patch(runId, () => ({ status: 'failed', error: describeError(error) }));
        },
      );
  }

  /** A run just ended with a verdict: its alternatives, run now or held for a click. */
  function afterVerdict(run: CurrentRun) {
    const record = run.record!;
    let items: AlternativeTry[];
    try {
      items = alternativesFor(run.scenario, record).map((alternative) => ({
        ...alternative,
        hash: permalinkOf(deps, alternative.scenario),
        status: 'waiting',
        result: null,
        error: null,
      }));
    } catch (error) {
      set({
        alternatives: {
          runId: run.id,
          status: 'failed',
          stopReason: null,
          over: [],
          error: describeError(error),
          items: [],
        },
      });
      return;
    }
    // A reader pays for nothing they did not ask for: the alternatives (with a link, the link
    // and its alternatives together) within what a link may run unasked, or a button. A
    // kernel-sized run's five alternatives took the tab past 1.5 GB in the background.
    const costs = items.map((item) => estimateRunCost(item.scenario));
    const over = overLimits(
      combineCosts(run.origin === 'link' ? [estimateRunCost(run.scenario), ...costs] : costs),
      AUTO_RUN_BUDGET,
    );
    set({
      alternatives: {
        runId: run.id,
        status: over.length > 0 ? 'held' : 'running',
        stopReason: null,
        over,
        error: null,
        items,
      },
    });
    if (over.length === 0) schedule(run.id);
  }

  /** Launches them once the verdict has been on screen for the delay (at once without one). */
  function schedule(runId: number) {
    if (pending !== null) clearTimeout(pending);
    pending = null;
    const delay = deps.alternativesDelayMs ?? 0;
    if (delay <= 0) {
      launch(runId);
      return;
    }
    pending = setTimeout(() => {
      pending = null;
      launch(runId);
    }, delay);
  }

  return {
    tryAlternatives() {
      const alternatives = get().alternatives;
      if (!alternatives || alternatives.status === 'running') return;
      const { current, scenario } = get();
      if (current?.id !== alternatives.runId) return;
      // Not for a run the form no longer shows (the rule).
      if (scenarioDifferences(current.scenario, scenario).length > 0) return;
      launch(alternatives.runId);
    },

    follow(state, previous) {
      const run = state.current;
      // Another run started (the reader's Run or Step, a link): it has the machine to itself.
      if (
        run !== previous.current &&
        run?.id !== previous.current?.id &&
        (controller || pending !== null)
      )
        stop('another run started');
      if (run !== previous.current && run?.phase === 'done' && run.record) {
        const before = previous.current;
        if (before?.id !== run.id || before.phase !== 'done') afterVerdict(run);
      }
      // A sweep the reader started: the pool's cores are its.
      if (state.sweep.run?.status === 'running' && previous.sweep.run?.status !== 'running')
        stop('a sweep started');
      // The rule: what runs for another scenario than the form's stops, and says why.
      if (state.scenario !== previous.scenario && state.alternatives && run) {
        const changes = scenarioDifferences(run.scenario, state.scenario);
        if (changes.length > 0) stop(changedReason(changes));
      }
    },
  };
}
