/**
 * The runs slice: the current run (streamed passes, record, Step mode), the
 * pinned one, and the runs a link asks for. Only these actions call the
 * supervisor's run and cancel.
 *
 * The rule (README, "Results belong to a scenario"): every run carries the
 * scenario it ran. A run in flight (running or paused in Step) is stopped
 * when the scenario in the form changes under it, and says why; a result
 * that has ended stays, marked out of date with the fields that differ
 * (selectors.ts). So Step never continues a scenario the form no longer
 * shows: after a change it starts the new one from its first link.
 */
import { FINAL_LINK, linksSoFar } from '../../toolchain/kbuild/link-words.ts';
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import {
  combineCosts,
  estimateRunCost,
  overLimits,
  AUTO_RUN_BUDGET,
  pageCeilingRefusal,
  type RunCost,
} from '../../toolchain/scenario/cost.ts';
import {
  listFields,
  scenarioDifferences,
  type FieldDifference,
} from '../../toolchain/scenario/differences.ts';
import type { Scenario } from '../../toolchain/scenario/schema.ts';
import { sweepCost } from '../../toolchain/sweep/cost.ts';
import { describeScenario, sameValue } from '../format.ts';
import { closestPreset } from './scenario-slice.ts';
import { formsOfRequest, planOf } from './sweep-slice.ts';
import { describeError } from './toolchain-slice.ts';
import type { AppActions, AppDeps, AppState, CurrentRun, LinkView, RunPhase } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export const isActive = (run: CurrentRun | null): boolean =>
  run !== null && (run.phase === 'running' || run.phase === 'paused');

/** The permalink of a scenario, or null when it is too large for one. */
export function permalinkOf(deps: Pick<AppDeps, 'codec'>, scenario: Scenario): string | null {
  try {
    return deps.codec.encode(scenario);
  } catch {
    return null;
  }
}

/** Why a run or sweep stopped when the form changed: "the scenario changed (gap and strategy)". */
export function changedReason(differences: readonly FieldDifference[]): string {
  const fields = listFields(differences);
  return `the scenario changed${fields ? ` (${fields})` : ''}`;
}

/** What running a link's scenario, its pinned scenario and its sweep would cost together. */
export function linkCost(scenario: Scenario, view: LinkView | null): RunCost {
  const one = estimateRunCost(scenario);
  const costs = [one];
  if (view?.pin) costs.push(estimateRunCost(view.pin));
  if (view?.sweep) {
    // Every step's (every cell's) scenario: a corpus knob sweep makes a corpus per step.
    const planned = planOf(
      scenario,
      formsOfRequest(view.sweep),
      view.sweep2 ? formsOfRequest(view.sweep2) : null,
    );
    costs.push(
      'plan' in planned
        ? sweepCost(planned.plan)
        : { ...one, links: one.links * view.sweep.steps * (view.sweep2?.steps ?? 1) },
    );
  }
  return combineCosts(costs);
}

export interface RunsInternals {
  /** The rule: the scenario changed; stops a run in flight that no longer matches it. */
  onScenarioChange(): void;
  /**
   * A link (opened, pasted, Back/Forward) put its scenario in the form: run
   * it, with what its view asks for, if the cost allows; else hold it with a
   * button. Not run again when its result is already on screen.
   */
  runLink(view: LinkView | null): void;
}

export function runsActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<AppActions, 'run' | 'step' | 'stop' | 'pin' | 'unpin' | 'runHeld' | 'dismissHeld'> &
  RunsInternals {
  let nextId = 1;
  let focusNonce = 0;
  /** Resolves the promise the paused run's onPass returned: the next pass may start. */
  let releaseStep: (() => void) | null = null;
  /** The run waiting for the toolchain was asked for by a link, not by the reader. */
  let pendingFromLink = false;

  const patchRun = (id: number, patch: (run: CurrentRun) => Partial<CurrentRun>) =>
    set((s) => (s.current?.id === id ? { current: { ...s.current, ...patch(s.current) } } : {}));

  const release = () => {
    const resolve = releaseStep;
    releaseStep = null;
    resolve?.();
  };

  /** A run that never reached the worker: refused (over the ceiling), with its words. */
  function refuse(scenario: Scenario, message: string) {
    set((s) => ({
      current: {
        id: nextId++,
        origin: 'reader',
        scenario,
        hash: permalinkOf(deps, scenario),
        label: describeScenario(scenario, s.presetId),
        phase: 'refused',
        stepMode: false,
        passes: [],
        record: null,
        error: message,
        stopReason: null,
        corpusProgress: null,
      },
      prefs: { ...s.prefs, chosenPass: null },
    }));
  }

  /** Shows a link's pass and panel once the run has them. */
  function applyView(view: LinkView, passes: readonly PassRecord[], finished: boolean) {
    if (view.pass !== null) {
      const found =
        view.pass === 'vmlinux'
          ? passes.find((p) => p.step === 'vmlinux')
          : passes.find((p) => p.step === 'trial' && p.pass === view.pass);
      if (found) set((s) => ({ prefs: { ...s.prefs, chosenPass: found.pass } }));
      else if (finished) {
        const asked = view.pass === 'vmlinux' ? FINAL_LINK : `trial link ${view.pass}`;
        set({
          permalinkError: `This link opens at ${asked}, but this run made ${linksSoFar(passes)}: the latest is shown.`,
        });
      }
    }
    if (finished && view.panel !== null) {
      const panel = view.panel;
      set((s) => ({ prefs: { ...s.prefs, focus: { panel, nonce: ++focusNonce } } }));
    }
  }

  /** A link's pinned scenario: linked after the main run (the supervisor queues), then pinned. */
  function startPinRun(scenario: Scenario) {
    const label = describeScenario(scenario, closestPreset(scenario));
    set({ pinRun: { label, scenario, status: 'running', error: null } });
    let promise;
    try {
      promise = deps.supervisor.run(scenario);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (record) =>
        set((s) =>
          s.pinRun?.scenario === scenario
            ? {
                pinRun: null,
                pinned: { label, scenario, hash: permalinkOf(deps, scenario), record },
              }
            : {},
        ),
      (error: unknown) =>
        set((s) =>
          s.pinRun?.scenario !== scenario
            ? {}
            : error instanceof Error && error.name === 'RunCancelledError'
              ? { pinRun: null }
              : { pinRun: { ...s.pinRun, status: 'failed', error: describeError(error) } },
        ),
    );
  }

  function start(stepMode: boolean, origin: 'reader' | 'link' = 'reader') {
    const state = get();
    if (Object.keys(state.fieldErrors).length > 0) return;
    if (state.held) set({ held: null });
    const scenario = state.scenario;
    // The page's ceiling: refused here, before anything is sent (the worker checks again).
    const refusal = pageCeilingRefusal(estimateRunCost(scenario));
    if (refusal) {
      set({ pendingRun: null, linkView: null });
      refuse(scenario, refusal);
      return;
    }
    if (state.toolchain.info === null) {
      // Not ready yet: initToolchain runs it when init resolves (and retries a failed init).
      set({ pendingRun: stepMode ? 'step' : 'run' });
      pendingFromLink = origin === 'link';
      if (state.toolchain.status === 'failed') void state.actions.initToolchain();
      return;
    }
    const id = nextId++;
    const view = state.linkView;
    set((s) => ({
      current: {
        id,
        origin,
        scenario,
        hash: permalinkOf(deps, scenario),
        label: describeScenario(scenario, s.presetId),
        phase: 'running',
        stepMode,
        passes: [],
        record: null,
        error: null,
        stopReason: null,
        corpusProgress: null,
      },
      linkView: null,
      prefs: { ...s.prefs, chosenPass: null },
    }));

    const onPass = (pass: PassRecord): void | Promise<void> => {
      const current = get().current;
      if (current?.id !== id || !isActive(current)) return;
      // The final link is always the last pass: its verdict follows at once.
      const pause = current.stepMode && pass.step !== 'vmlinux';
      patchRun(id, (run) => ({
        passes: [...run.passes, pass],
        phase: pause ? 'paused' : 'running',
        corpusProgress: null,
      }));
      if (view) applyView(view, get().current!.passes, false);
      if (!pause) return;
      return new Promise<void>((resolve) => {
        releaseStep = resolve;
      });
    };

    // A generated corpus is made in the worker first: its progress until the first pass.
    const onCorpusProgress = (corpusProgress: CurrentRun['corpusProgress']) => {
      const current = get().current;
      if (current?.id === id && isActive(current) && current.passes.length === 0)
        patchRun(id, () => ({ corpusProgress }));
    };
    let promise;
    try {
      promise = deps.supervisor.run(scenario, onPass, { onCorpusProgress });
    } catch (error) {
      promise = Promise.reject(error);
    }
    if (view?.pin) startPinRun(view.pin);
    promise.then(
      (record) => {
        patchRun(id, (run) =>
          run.phase === 'stopped' ? {} : { phase: 'done', record, passes: record.passes },
        );
        if (get().current?.id !== id || get().current?.phase !== 'done') return;
        if (view) applyView(view, record.passes, true);
        // The link's sweep, after its run: the reader sees the run first.
        if (view?.sweep && sameValue(get().scenario, scenario)) {
          const { actions } = get();
          actions.setSweepParam(view.sweep.param);
          actions.setSweepParam2(view.sweep2?.param ?? null);
          for (const [axis, suffix] of [
            [view.sweep, ''],
            [view.sweep2, '2'],
          ] as const) {
            if (!axis) continue;
            actions.editSweepField(`from${suffix}`, axis.from);
            actions.editSweepField(`to${suffix}`, axis.to);
            actions.editSweepField(`steps${suffix}`, String(axis.steps));
          }
          actions.startSweep();
        }
      },
      (error: unknown) =>
        patchRun(id, (run) => {
          if (run.phase === 'stopped') return {};
          const phase: RunPhase =
            error instanceof Error && error.name === 'RunCeilingError' ? 'refused' : 'failed';
          return { phase, error: describeError(error) };
        }),
    );
  }

  function stopCurrent(reason: string | null) {
    if (get().pendingRun) set({ pendingRun: null });
    const current = get().current;
    const pinning = get().pinRun?.status === 'running';
    if (!isActive(current) && !pinning) return;
    if (isActive(current)) patchRun(current!.id, () => ({ phase: 'stopped', stopReason: reason }));
    if (pinning) set({ pinRun: null });
    // The worker is terminated: the pending onPass promise can be dropped.
    releaseStep = null;
    deps.supervisor.cancel();
  }

  /** Who asked for the run about to start: a link's run that waited for the toolchain is the link's. */
  const takeOrigin = (): 'reader' | 'link' => {
    const origin = pendingFromLink && get().pendingRun === null ? 'link' : 'reader';
    pendingFromLink = false;
    return origin;
  };

  return {
    run() {
      const current = get().current;
      if (isActive(current)) {
        // Run during Step mode: carry on to the end without pausing.
        patchRun(current!.id, () => ({ stepMode: false, phase: 'running' }));
        release();
        return;
      }
      start(false, takeOrigin());
    },
    step() {
      const current = get().current;
      if (!isActive(current)) {
        start(true, takeOrigin());
        return;
      }
      patchRun(current!.id, () => ({ stepMode: true, phase: 'running' }));
      if (current!.phase === 'paused') release();
    },
    stop() {
      stopCurrent(null);
    },
    pin() {
      const current = get().current;
      if (!current?.record) return;
      set({
        pinned: {
          label: current.label,
          scenario: current.scenario,
          hash: current.hash,
          record: current.record,
        },
      });
    },
    unpin() {
      set({ pinned: null, pinRun: null });
    },
    runHeld() {
      const held = get().held;
      if (!held) return;
      set({ held: null, linkView: held.view });
      start(false);
    },
    dismissHeld() {
      set({ held: null });
    },
    onScenarioChange() {
      const { current, scenario, held } = get();
      if (held && !sameValue(held.scenario, scenario)) set({ held: null, linkView: null });
      if (isActive(current) && !sameValue(current!.scenario, scenario))
        stopCurrent(changedReason(scenarioDifferences(current!.scenario, scenario)));
      // A link's run still waiting for the toolchain was for the link's scenario, not this one.
      if (get().linkView !== null) set({ linkView: null });
      if (get().pendingRun && pendingFromLink) {
        set({ pendingRun: null });
        pendingFromLink = false;
      }
    },
    runLink(view) {
      const { current, scenario } = get();
      // Back/Forward to the scenario whose result is on screen: nothing to run.
      const shown =
        current !== null &&
        current.phase === 'done' &&
        sameValue(current.scenario, scenario) &&
        view === null;
      if (shown) return;
      // A view of the run on screen (a chapter of the story after the one before, on the same
      // scenario): its pass and panel, without linking it all again.
      const viewOfShown =
        current !== null &&
        current.phase === 'done' &&
        sameValue(current.scenario, scenario) &&
        view !== null &&
        view.pin === null &&
        view.sweep === null;
      if (viewOfShown) {
        set({ held: null, linkView: null });
        applyView(view, current.passes, true);
        return;
      }
      const cost = linkCost(scenario, view);
      const over = overLimits(cost, AUTO_RUN_BUDGET);
      if (over.length > 0) {
        set({ held: { scenario, view, cost, over }, pendingRun: null, linkView: null });
        return;
      }
      set({ held: null, linkView: view });
      start(false, 'link');
    },
  };
}
