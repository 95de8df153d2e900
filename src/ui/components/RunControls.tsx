/** Run, Step, Stop and Pin. Ctrl/Cmd+Enter is bound in App. */
import {
  selectCanPin,
  selectCurrentIsPinned,
  selectIsBusy,
  selectIsPaused,
  selectPendingRun,
  selectRunBlockedReason,
  selectStepMode,
  useActions,
  useApp,
} from '../store/index.ts';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

export function RunControls() {
  const busy = useApp(selectIsBusy);
  const paused = useApp(selectIsPaused);
  const stepMode = useApp(selectStepMode);
  const pending = useApp(selectPendingRun);
  const blocked = useApp(selectRunBlockedReason);
  const canPin = useApp(selectCanPin);
  const pinned = useApp(selectCurrentIsPinned);
  const { run, step, stop, pin } = useActions();
  // While a run goes on by itself, Run has nothing to do; in Step mode it runs to the end.
  const runDisabled = blocked !== null || (busy && !stepMode);
  return (
    <div className="run-controls" role="group" aria-label="Run controls">
      <button
        type="button"
        className="primary"
        onClick={run}
        disabled={runDisabled}
        title={`${busy && stepMode ? 'Run the remaining passes' : 'Run the whole loop'} (${isMac ? '⌘' : 'Ctrl'}+Enter)`}
      >
        Run
      </button>
      <button
        type="button"
        onClick={step}
        disabled={blocked !== null || (busy && stepMode && !paused)}
        title="Link one pass, then wait"
      >
        Step
      </button>
      <button
        type="button"
        onClick={stop}
        disabled={!busy && pending === null}
        title="Stop the run at once"
      >
        Stop
      </button>
      <button
        type="button"
        onClick={pin}
        disabled={!canPin || pinned}
        aria-pressed={pinned}
        title="Keep this run to compare the next one with it"
      >
        Pin
      </button>
      <span className="run-hint muted">
        {blocked ??
          (pending
            ? 'Waiting for the toolchain; the run starts when it is ready.'
            : paused
              ? 'Paused: Step for the next pass, Run for the rest.'
              : `${isMac ? '⌘' : 'Ctrl'}+Enter runs.`)}
      </span>
    </div>
  );
}
