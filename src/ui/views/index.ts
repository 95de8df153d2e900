export { PassChart, type PassChartProps, type PinnedRun } from './PassChart.tsx';
export { LayoutMap, type LayoutMapProps } from './LayoutMap.tsx';
export { StubsPanel, type StubsPanelProps } from './StubsPanel.tsx';
export {
  DistanceHistogram,
  type DistanceHistogramProps,
  type CallSite,
} from './DistanceHistogram.tsx';
export * as viewFormat from './format.ts';
export { SweepChart, type SweepChartProps } from './SweepChart.tsx';
export { PhaseMap, type PhaseMapProps, describeCell, VERDICT_LETTER } from './PhaseMap.tsx';
