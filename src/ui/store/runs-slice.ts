/**
 * The runs slice: the current run (streamed passes, record, Step mode) and
 * the pinned one. Only these actions call the supervisor's run and cancel.
 */
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import { describeScenario } from '../format.ts';
import { describeError } from './toolchain-slice.ts';
import type { AppActions, AppDeps, AppState, CurrentRun } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export const isActive = (run: CurrentRun | null): boolean =>
  run !== null && (run.phase === 'running' || run.phase === 'paused');

export function runsActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<AppActions, 'run' | 'step' | 'stop' | 'pin' | 'unpin'> {
  let nextId = 1;
  /** Resolves the promise the paused run's onPass returned: the next pass may start. */
  let releaseStep: (() => void) | null = null;

  const patchRun = (id: number, patch: (run: CurrentRun) => Partial<CurrentRun>) =>
    set((s) => (s.current?.id === id ? { current: { ...s.current, ...patch(s.current) } } : {}));

  const release = () => {
    const resolve = releaseStep;
    releaseStep = null;
    resolve?.();
  };

  function start(stepMode: boolean) {
    const state = get();
    if (Object.keys(state.fieldErrors).length > 0) return;
    if (state.toolchain.info === null) {
      // Not ready yet: initToolchain runs it when init resolves (and retries a failed init).
      set({ pendingRun: stepMode ? 'step' : 'run' });
      if (state.toolchain.status === 'failed') void state.actions.initToolchain();
      return;
    }
    const id = nextId++;
    const scenario = state.scenario;
    set((s) => ({
      current: {
        id,
        scenario,
        label: describeScenario(scenario, s.presetId),
        phase: 'running',
        stepMode,
        passes: [],
        record: null,
        error: null,
      },
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
      }));
      if (!pause) return;
      return new Promise<void>((resolve) => {
        releaseStep = resolve;
      });
    };

    let promise;
    try {
      promise = deps.supervisor.run(scenario, onPass);
    } catch (error) {
      promise = Promise.reject(error);
    }
    promise.then(
      (record) =>
        patchRun(id, (run) =>
          run.phase === 'stopped' ? {} : { phase: 'done', record, passes: record.passes },
        ),
      (error: unknown) =>
        patchRun(id, (run) =>
          run.phase === 'stopped' ? {} : { phase: 'failed', error: describeError(error) },
        ),
    );
  }

  return {
    run() {
      const current = get().current;
      if (isActive(current)) {
        // Run during Step mode: carry on to the end without pausing.
        patchRun(current!.id, () => ({ stepMode: false, phase: 'running' }));
        release();
        return;
      }
      start(false);
    },
    step() {
      const current = get().current;
      if (!isActive(current)) {
        start(true);
        return;
      }
      patchRun(current!.id, () => ({ stepMode: true, phase: 'running' }));
      if (current!.phase === 'paused') release();
    },
    stop() {
      if (get().pendingRun) set({ pendingRun: null });
      const current = get().current;
      if (!isActive(current)) return;
      patchRun(current!.id, () => ({ phase: 'stopped' }));
      // The worker is terminated: the pending onPass promise can be dropped.
      releaseStep = null;
      deps.supervisor.cancel();
    },
    pin() {
      const current = get().current;
      if (!current?.record) return;
      set({
        pinned: { label: current.label, scenario: current.scenario, record: current.record },
      });
    },
    unpin() {
      set({ pinned: null });
    },
  };
}
