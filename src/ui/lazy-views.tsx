/**
 * The visualisations (src/ui/views), loaded as their own chunk: recharts is
 * most of the page's JavaScript, and nothing is plotted before the first
 * pass. The chunk is fetched once the toolchain is ready (not during its
 * compile, which needs both cores), so it is there when a pass arrives.
 *
 * Each is memoised: their parents pass deferred values (useDeferredValue),
 * and a render of the parent with the values unchanged must not redraw them.
 */
import { lazy, memo, Suspense, type ReactNode } from 'react';
import type {
  DistanceHistogramProps,
  LayoutMapProps,
  PassChartProps,
  PhaseMapProps,
  StubsPanelProps,
  SweepChartProps,
} from './views/index.ts';

const load = () => import('./views/index.ts');

/** Starts fetching the views now (main.tsx calls it once the toolchain is ready). */
export function preloadViews(): void {
  void load();
}

const LazyPassChart = lazy(async () => ({ default: (await load()).PassChart }));
const LazyLayoutMap = lazy(async () => ({ default: (await load()).LayoutMap }));
const LazyStubsPanel = lazy(async () => ({ default: (await load()).StubsPanel }));
const LazySweepChart = lazy(async () => ({ default: (await load()).SweepChart }));
const LazyDistanceHistogram = lazy(async () => ({ default: (await load()).DistanceHistogram }));
const LazyPhaseMap = lazy(async () => ({ default: (await load()).PhaseMap }));

function Loading({ children }: { children: ReactNode }) {
  return <Suspense fallback={<p className="muted">Loading the view…</p>}>{children}</Suspense>;
}

export const PassChart = memo(function PassChart(props: PassChartProps) {
  return (
    <Loading>
      <LazyPassChart {...props} />
    </Loading>
  );
});

export const LayoutMap = memo(function LayoutMap(props: LayoutMapProps) {
  return (
    <Loading>
      <LazyLayoutMap {...props} />
    </Loading>
  );
});

export const StubsPanel = memo(function StubsPanel(props: StubsPanelProps) {
  return (
    <Loading>
      <LazyStubsPanel {...props} />
    </Loading>
  );
});

export const DistanceHistogram = memo(function DistanceHistogram(props: DistanceHistogramProps) {
  return (
    <Loading>
      <LazyDistanceHistogram {...props} />
    </Loading>
  );
});

export const SweepChart = memo(function SweepChart(props: SweepChartProps) {
  return (
    <Loading>
      <LazySweepChart {...props} />
    </Loading>
  );
});

export const PhaseMap = memo(function PhaseMap(props: PhaseMapProps) {
  return (
    <Loading>
      <LazyPhaseMap {...props} />
    </Loading>
  );
});
