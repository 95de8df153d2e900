/**
 * Run, Step, Stop and Pin, and the shortcut list's button. Keys are bound in
 * App (shortcuts.ts). A button that disables itself (Run while the loop
 * runs, Step while a pass links, Stop once stopped) would drop the keyboard
 * focus to <body>: focus goes to its partner instead, and back to the
 * pressed button when it can be pressed again, so stepping is Enter, Enter…
 */
import { useLayoutEffect, useRef, type RefObject } from 'react';
import { isMacPlatform, shortcut } from '../shortcuts.ts';
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

const isMac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

type Control = 'run' | 'step' | 'stop' | 'pin';

/** Where focus goes when a control disables itself: the first of these that can be pressed. */
const PARTNERS: Record<Control, Control[]> = {
  run: ['stop', 'step'],
  step: ['stop', 'run'],
  stop: ['run', 'step'],
  pin: ['run', 'step'],
};

/**
 * Keeps the keyboard focus on the run controls while they disable
 * themselves. `disabled` is each control's state in this render.
 */
function useFocusKeeping(
  buttons: Record<Control, RefObject<HTMLButtonElement | null>>,
  disabled: Record<Control, boolean>,
) {
  /** The control focus was last on (kept when it fell to <body> because the control was disabled). */
  const last = useRef<Control | null>(null);
  /** The control the page moved focus away from, to bring it back when it is usable again. */
  const pressed = useRef<Control | null>(null);
  const moving = useRef(false);

  const controlOf = (element: Element | null): Control | null =>
    (Object.keys(buttons) as Control[]).find((c) => buttons[c].current === element) ?? null;

  const focus = (control: Control) => {
    moving.current = true;
    buttons[control].current?.focus();
    moving.current = false;
    last.current = control;
  };

  useLayoutEffect(() => {
    const active = document.activeElement;
    const owner = controlOf(active);
    const fell = active === null || active === document.body;
    const lost = owner ?? (fell ? last.current : null);
    if (lost && disabled[lost]) {
      const partner = PARTNERS[lost].find((c) => !disabled[c]);
      if (partner) {
        pressed.current ??= lost;
        focus(partner);
      }
      return;
    }
    if (pressed.current && owner === pressed.current) pressed.current = null;
    if (pressed.current && owner !== null && !disabled[pressed.current]) {
      focus(pressed.current);
      pressed.current = null;
    }
  });

  return {
    onFocus(event: React.FocusEvent) {
      const control = controlOf(event.target);
      if (!control) return;
      if (!moving.current) pressed.current = null; // the user moved it: leave it there
      last.current = control;
    },
    onBlur(event: React.FocusEvent) {
      // Focus left the controls: by the user (somewhere else), or to <body>
      // because the focused button was just disabled (then it is kept).
      const to = event.relatedTarget as Element | null;
      if (to !== null && controlOf(to) !== null) return;
      if (to === null && (event.target as HTMLButtonElement).disabled) return;
      last.current = null;
      pressed.current = null;
    },
  };
}

export function RunControls({ onShowShortcuts }: { onShowShortcuts: () => void }) {
  const busy = useApp(selectIsBusy);
  const paused = useApp(selectIsPaused);
  const stepMode = useApp(selectStepMode);
  const pending = useApp(selectPendingRun);
  const blocked = useApp(selectRunBlockedReason);
  const canPin = useApp(selectCanPin);
  const pinned = useApp(selectCurrentIsPinned);
  const { run, step, stop, pin } = useActions();
  const runButton = useRef<HTMLButtonElement>(null);
  const stepButton = useRef<HTMLButtonElement>(null);
  const stopButton = useRef<HTMLButtonElement>(null);
  const pinButton = useRef<HTMLButtonElement>(null);
  // While a run goes on by itself, Run has nothing to do; in Step mode it runs to the end.
  const disabled = {
    run: blocked !== null || (busy && !stepMode),
    step: blocked !== null || (busy && stepMode && !paused),
    stop: !busy && pending === null,
    pin: !canPin || pinned,
  };
  const focusKeeping = useFocusKeeping(
    { run: runButton, step: stepButton, stop: stopButton, pin: pinButton },
    disabled,
  );
  const keys = (id: 'run' | 'step' | 'stop') => shortcut(id).keys(isMac).join('+');
  return (
    <div
      className="run-controls"
      role="group"
      aria-label="Run controls"
      id="run-controls"
      onFocus={focusKeeping.onFocus}
      onBlur={focusKeeping.onBlur}
    >
      <button
        ref={runButton}
        type="button"
        className="primary"
        onClick={run}
        disabled={disabled.run}
        aria-keyshortcuts={shortcut('run').aria}
        title={`${busy && stepMode ? 'Run the remaining passes' : 'Run the whole loop'} (${keys('run')})`}
      >
        Run
      </button>
      <button
        ref={stepButton}
        type="button"
        onClick={step}
        disabled={disabled.step}
        aria-keyshortcuts={shortcut('step').aria}
        title={`Link one pass, then wait (${keys('step')})`}
      >
        Step
      </button>
      <button
        ref={stopButton}
        type="button"
        onClick={stop}
        disabled={disabled.stop}
        aria-keyshortcuts={shortcut('stop').aria}
        title={`Stop the run at once (${keys('stop')})`}
      >
        Stop
      </button>
      <button
        ref={pinButton}
        type="button"
        onClick={pin}
        disabled={disabled.pin}
        aria-pressed={pinned}
        title="Keep this run to compare the next one with it"
      >
        Pin
      </button>
      <span className="run-hint muted">
        {blocked ??
          (pending ? (
            'Waiting for the toolchain; the run starts when it is ready.'
          ) : paused ? (
            'Paused: Step for the next pass, Run for the rest.'
          ) : (
            // Hidden on touch screens, where there is no keyboard to press it on.
            <span className="kbd-hint">{keys('run')} runs.</span>
          ))}
      </span>
      <button
        type="button"
        className="link kbd-hint shortcuts-button"
        onClick={onShowShortcuts}
        aria-keyshortcuts={shortcut('help').aria}
        aria-haspopup="dialog"
      >
        Keyboard shortcuts (?)
      </button>
    </div>
  );
}
