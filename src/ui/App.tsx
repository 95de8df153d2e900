/** The page: scenario on the left, the run and its pictures on the right (one column when narrow). */
import { useEffect } from 'react';
import { Header } from './components/Header.tsx';
import { LinkGate } from './components/LinkGate.tsx';
import { PassDetails } from './components/PassDetails.tsx';
import { PassTable } from './components/PassTable.tsx';
import { PermalinkAlert } from './components/PermalinkAlert.tsx';
import { PinnedComparison } from './components/PinnedComparison.tsx';
import { RunControls } from './components/RunControls.tsx';
import { ScenarioPanel } from './components/ScenarioPanel.tsx';
import { SweepPanel } from './components/SweepPanel.tsx';
import { StepExplanation } from './components/StepExplanation.tsx';
import { VerdictBanner } from './components/VerdictBanner.tsx';
import {
  selectConvergedAtPass,
  selectEffectiveTheme,
  selectFocus,
  selectPasses,
  selectPinnedSeries,
  selectPresetId,
  selectResultOutOfDate,
  useActions,
  useApp,
} from './store/index.ts';
import { PassChart } from './lazy-views.tsx';
import { scrollToPanel, watchPanelInView } from './panels.ts';
import './result-state.css';

function useThemeOnDocument() {
  const theme = useApp(selectEffectiveTheme);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.colorScheme = theme;
  }, [theme]);
}

function useRunShortcut() {
  const { run } = useActions();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.repeat) {
        event.preventDefault();
        run();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [run]);
}

/** A link's panel, brought into view once its run is there; and which panel the reader reads. */
function usePanels() {
  const focus = useApp(selectFocus);
  useEffect(() => (focus ? scrollToPanel(focus.panel) : undefined), [focus]);
  useEffect(() => watchPanelInView(), []);
}

function Chart() {
  const passes = useApp(selectPasses);
  const pinned = useApp(selectPinnedSeries);
  const convergedAtPass = useApp(selectConvergedAtPass);
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
  useThemeOnDocument();
  useRunShortcut();
  usePanels();
  const outOfDate = useApp(selectResultOutOfDate);
  return (
    <div className="app">
      <Header />
      <PermalinkAlert />
      <div className="layout">
        <aside className="sidebar">
          <ScenarioPanel />
        </aside>
        <div className="controls">
          <RunControls />
        </div>
        <main className="results">
          <VerdictBanner />
          <LinkGate />
          <PinnedComparison />
          {/* The run's pictures, dimmed while they belong to another scenario than the form's. */}
          <div className={`run-results${outOfDate ? ' run-results-stale' : ''}`}>
            <StepExplanation />
            <Chart />
            <PassTable />
            <PassDetails />
          </div>
          <SweepPanel />
        </main>
      </div>
    </div>
  );
}
