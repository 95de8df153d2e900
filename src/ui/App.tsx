/**
 * The page: scenario on the left, the run and its pictures on the right (one
 * column when narrow). In the document the run controls come before the
 * scenario's long form, after a skip link to them: the second tab stop.
 */
import { useDeferredValue, useEffect, useState } from 'react';
import { Header } from './components/Header.tsx';
import { LinkGate } from './components/LinkGate.tsx';
import { PassDetails } from './components/PassDetails.tsx';
import { PassTable } from './components/PassTable.tsx';
import { PermalinkAlert } from './components/PermalinkAlert.tsx';
import { PinnedComparison } from './components/PinnedComparison.tsx';
import { RunControls } from './components/RunControls.tsx';
import { ScenarioPanel } from './components/ScenarioPanel.tsx';
import { ShortcutsDialog } from './components/ShortcutsDialog.tsx';
import { SweepPanel } from './components/SweepPanel.tsx';
import { StepExplanation } from './components/StepExplanation.tsx';
import { StoryPanel } from './components/StoryPanel.tsx';
import { VerdictBanner } from './components/VerdictBanner.tsx';
import { VerdictWhy } from './components/VerdictWhy.tsx';
import { DiagnosePage } from './diagnose/DiagnosePage.tsx';
import {
  selectConvergedAtPass,
  selectEffectiveTheme,
  selectFocus,
  selectPasses,
  selectPendingRun,
  selectPinnedSeries,
  selectPresetId,
  selectResultOutOfDate,
  selectStory,
  selectDiagnoseOpen,
  selectIsBusy,
  selectSweepRunning,
  useActions,
  useApp,
} from './store/index.ts';
import { PassChart } from './lazy-views.tsx';
import { OfflineStatus } from './offline/OfflineStatus.tsx';
import { scrollToPanel, watchPanelInView } from './panels.ts';
import './result-state.css';
import { shortcutOf } from './shortcuts.ts';

function useThemeOnDocument() {
  const theme = useApp(selectEffectiveTheme);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }, [theme]);
}

/** The keys of shortcuts.ts, anywhere on the page but inside a modal dialog. */
function useShortcuts(showShortcuts: () => void) {
  const { run, step, stop, stopSweep } = useActions();
  const runActive = useApp(selectIsBusy);
  const pending = useApp(selectPendingRun);
  const sweeping = useApp(selectSweepRunning);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      // A modal dialog has the keys to itself (Esc closes it).
      if (event.defaultPrevented || document.querySelector('dialog[open]')) return;
      const id = shortcutOf(event);
      if (id === null) return;
      if (id === 'stop') {
        // Esc with nothing to stop stays the browser's.
        if (runActive || pending !== null) stop();
        else if (sweeping) stopSweep();
        else return;
      } else if (id === 'run') run();
      else if (id === 'step') step();
      else showShortcuts();
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run, step, stop, stopSweep, runActive, pending, sweeping, showShortcuts]);
}

/** The first tab stop: to the run controls, without touching the URL's hash (the permalink). */
function SkipLink() {
  return (
    <a
      className="skip-link"
      href="#run-controls"
      onClick={(event) => {
        event.preventDefault();
        const first = document.querySelector<HTMLButtonElement>(
          '#run-controls button:not(:disabled)',
        );
        first?.focus();
      }}
    >
      Skip to the run controls
    </a>
  );
}

/** A link's panel, brought into view once its run is there; and which panel the reader reads. */
function usePanels() {
  const focus = useApp(selectFocus);
  const reading = useApp(selectStory) !== null;
  useEffect(() => {
    if (!focus) return undefined;
    // In one column (a phone) the chapter's text is above the panels: the reader reads it
    // first, and scrolls down to the panel it names, instead of being taken past it.
    if (reading && window.matchMedia?.('(max-width: 860px)').matches) return undefined;
    return scrollToPanel(focus.panel);
    // The panel is brought into view when a link's view arrives, not when the story opens or closes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focus]);
  useEffect(() => watchPanelInView(), []);
}

/**
 * The chart and the pass's pictures draw deferred values: a pass or a verdict
 * commits the banner and the table first, and the views redraw after, in a
 * render React can interrupt (measured: the views were most of the ~115 ms
 * between the worker's last pass and the verdict on screen, and held the
 * worker's next link waiting for its answer).
 */
function Chart() {
  const passes = useDeferredValue(useApp(selectPasses));
  const pinned = useDeferredValue(useApp(selectPinnedSeries));
  const convergedAtPass = useDeferredValue(useApp(selectConvergedAtPass));
  const presetId = useApp(selectPresetId);
  if (passes.length === 0 && pinned === null) return null;
  return (
    <section className="chart" aria-label="Chart of the passes" id="panel-chart">
      <PassChart
        passes={passes}
        pinned={pinned}
        convergedAtPass={convergedAtPass}
        fileName={`kallsyms-lab-${presetId ?? 'custom'}-passes`}
      />
    </section>
  );
}

export function App() {
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const [showShortcuts] = useState(() => () => setShortcutsOpen(true));
  useThemeOnDocument();
  useShortcuts(showShortcuts);
  usePanels();
  const outOfDate = useApp(selectResultOutOfDate);
  const diagnosing = useApp(selectDiagnoseOpen);
  return (
    <div className="app">
      <SkipLink />
      <Header />
      <PermalinkAlert />
      {/* The playground stays mounted (its run, its form) while the reader's own build is shown. */}
      {diagnosing ? <DiagnosePage /> : null}
      <div className="layout" hidden={diagnosing}>
        <div className="controls">
          <RunControls onShowShortcuts={showShortcuts} />
        </div>
        <aside className="sidebar">
          <StoryPanel />
          <ScenarioPanel />
        </aside>
        <main className="results">
          <VerdictBanner />
          <LinkGate />
          <PinnedComparison />
          {/* The run's pictures, dimmed while they belong to another scenario than the form's. */}
          <div className={`run-results${outOfDate ? ' run-results-stale' : ''}`}>
            <VerdictWhy />
            <StepExplanation />
            <Chart />
            <PassTable />
            <PassDetails />
          </div>
          <SweepPanel />
        </main>
      </div>
      <OfflineStatus />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </div>
  );
}
