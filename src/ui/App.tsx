/** The page: scenario on the left, the run and its pictures on the right (one column when narrow). */
import { useEffect } from 'react';
import { Header } from './components/Header.tsx';
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
  selectPasses,
  selectPinnedSeries,
  selectPresetId,
  useActions,
  useApp,
} from './store/index.ts';
import { PassChart } from './lazy-views.tsx';
import { OfflineStatus } from './offline/OfflineStatus.tsx';

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

function Chart() {
  const passes = useApp(selectPasses);
  const pinned = useApp(selectPinnedSeries);
  const convergedAtPass = useApp(selectConvergedAtPass);
  const presetId = useApp(selectPresetId);
  if (passes.length === 0 && pinned === null) return null;
  return (
    <section className="chart" aria-label="Chart of the passes">
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
          <PinnedComparison />
          <StepExplanation />
          <Chart />
          <PassTable />
          <PassDetails />
          <SweepPanel />
        </main>
      </div>
      <OfflineStatus />
    </div>
  );
}
