import { useRef, useState, type ReactElement } from 'react';
import {
  CartesianGrid,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Symbols,
  Tooltip,
  type TooltipPayload,
  XAxis,
  YAxis,
} from 'recharts';
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import {
  composeExportSvg,
  downloadBlob,
  inlineSvgStyles,
  svgToPngBlob,
  type ExportPanel,
} from './export.ts';
import { formatBytes, formatCount } from './format.ts';
import './views.css';

export interface PinnedRun {
  label: string;
  passes: PassRecord[];
  /** The pass at which the pinned run converged, if it did: marked too, dashed. */
  convergedAtPass?: number | null;
}

export interface PassChartProps {
  passes: PassRecord[];
  pinned: PinnedRun | null;
  /** The pass at which the loop's table sizes stopped changing, if it did. */
  convergedAtPass: number | null;
  /** Base name of exported files (default "kallsyms-lab-passes"). */
  fileName?: string;
}

export type MetricId = 'tableBytes' | 'objectBytes' | 'tableSymbols' | 'stubsTotal' | 'stubsNew';
export type PanelId = 'bytes' | 'symbols' | 'stubs';
type Shape = 'circle' | 'square' | 'diamond' | 'triangle' | 'cross';

export interface Metric {
  id: MetricId;
  label: string;
  panel: PanelId;
  /** A CSS colour (a custom property, so themes can change it). */
  colour: string;
  /** Marker shape, so series differ by more than colour. */
  shape: Shape;
}

export const METRICS: readonly Metric[] = [
  {
    id: 'tableBytes',
    label: 'table bytes (.rodata)',
    panel: 'bytes',
    colour: 'var(--kv-series-1)',
    shape: 'circle',
  },
  {
    id: 'objectBytes',
    label: 'table object size',
    panel: 'bytes',
    colour: 'var(--kv-series-2)',
    shape: 'square',
  },
  {
    id: 'tableSymbols',
    label: 'table symbols',
    panel: 'symbols',
    colour: 'var(--kv-series-3)',
    shape: 'diamond',
  },
  {
    id: 'stubsTotal',
    label: 'stubs (total)',
    panel: 'stubs',
    colour: 'var(--kv-series-4)',
    shape: 'triangle',
  },
  {
    id: 'stubsNew',
    label: 'new stubs',
    panel: 'stubs',
    colour: 'var(--kv-series-5)',
    shape: 'cross',
  },
];

export const PANELS: ReadonlyArray<{
  id: PanelId;
  title: string;
  unit: 'bytes' | 'count';
  zero: boolean;
}> = [
  { id: 'bytes', title: 'Table size (bytes)', unit: 'bytes', zero: false },
  { id: 'symbols', title: 'Symbols in the table', unit: 'count', zero: false },
  { id: 'stubs', title: 'Linker stubs', unit: 'count', zero: true },
];

/** A metric's value for one pass; null where it does not apply (the final link builds no table). */
export function metricValue(p: PassRecord, id: MetricId): number | null {
  switch (id) {
    case 'tableBytes':
      return p.tableObject ? p.tableObject.sizes.total : null;
    case 'objectBytes':
      return p.tableObject ? p.tableObject.bytes : null;
    case 'tableSymbols':
      return p.tableObject ? p.tableObject.counts.tableSymbols : null;
    case 'stubsTotal':
      return p.stubs.total;
    case 'stubsNew':
      return p.stubs.added.length;
  }
}

export type RunId = 'current' | 'pinned';
export const seriesKey = (run: RunId, metric: MetricId) => `${run}:${metric}`;

export interface ChartRow {
  /** The x position: trial link n at n, the final link after the last trial of either run. */
  pass: number;
  /** The final link's row, ticked `vmlinux` (link-words.ts). */
  final?: boolean;
  /** Which step each run's pass was ("trial" / "vmlinux"), for the tooltip. */
  currentStep?: PassRecord['step'];
  pinnedStep?: PassRecord['step'];
  [series: string]: number | string | boolean | null | undefined;
}

/**
 * One row per trial link, then one for vmlinux, with a column per run and
 * metric: the two runs' final links share the vmlinux row, whatever their
 * number of trials.
 */
export function chartRows(passes: readonly PassRecord[], pinned: PinnedRun | null): ChartRow[] {
  const runs: Array<[RunId, readonly PassRecord[]]> = [['current', passes]];
  if (pinned) runs.push(['pinned', pinned.passes]);
  const all = runs.flatMap(([, list]) => list);
  const lastTrial = Math.max(0, ...all.filter((p) => p.step === 'trial').map((p) => p.pass));
  const fill = (row: ChartRow, run: RunId, p: PassRecord | undefined) => {
    if (!p) return;
    row[`${run}Step`] = p.step;
    for (const m of METRICS) row[seriesKey(run, m.id)] = metricValue(p, m.id);
  };
  const rows: ChartRow[] = [];
  for (let n = 1; n <= lastTrial; n++) {
    const row: ChartRow = { pass: n };
    for (const [run, list] of runs)
      fill(
        row,
        run,
        list.find((p) => p.step === 'trial' && p.pass === n),
      );
    rows.push(row);
  }
  if (all.some((p) => p.step === 'vmlinux')) {
    const row: ChartRow = { pass: lastTrial + 1, final: true };
    for (const [run, list] of runs)
      fill(
        row,
        run,
        list.find((p) => p.step === 'vmlinux'),
      );
    rows.push(row);
  }
  return rows;
}

export interface Series {
  key: string;
  metric: Metric;
  run: RunId;
  name: string;
  dashed: boolean;
}

/** The lines drawn: every metric for the current run, and again dashed for the pinned one. */
export function chartSeries(pinned: PinnedRun | null): Series[] {
  const runs: RunId[] = pinned ? ['current', 'pinned'] : ['current'];
  return runs.flatMap((run) =>
    METRICS.map((metric) => ({
      key: seriesKey(run, metric.id),
      metric,
      run,
      name: run === 'current' ? metric.label : `${metric.label} (pinned: ${pinned?.label})`,
      dashed: run === 'pinned',
    })),
  );
}

/** The recharts `<Line>` drawing one series (dashed, hollow marks for the pinned run). */
export function seriesLine(s: Series): ReactElement {
  return (
    <Line
      key={s.key}
      dataKey={s.key}
      name={s.name}
      type="linear"
      stroke={s.metric.colour}
      strokeWidth={s.dashed ? 1.5 : 2}
      strokeDasharray={s.dashed ? '6 4' : undefined}
      dot={{
        symbol: s.metric.shape,
        r: 4,
        fill: s.dashed ? 'var(--kv-bg)' : s.metric.colour,
        strokeDasharray: '',
      }}
      connectNulls={false}
      isAnimationActive={false}
    />
  );
}

function describeRun(passes: readonly PassRecord[]): string {
  if (!passes.length) return 'no passes yet';
  const trials = passes.filter((p) => p.step === 'trial');
  const finalLink = passes.some((p) => p.step === 'vmlinux');
  const firstTable = trials.find((p) => p.tableObject);
  const lastTable = [...trials].reverse().find((p) => p.tableObject);
  const stubs = (p: PassRecord) => formatCount(p.stubs.total);
  const parts = [
    `${trials.length} trial link${trials.length === 1 ? '' : 's'}${finalLink ? ' and vmlinux' : ''}`,
  ];
  if (firstTable && lastTable)
    parts.push(
      `table symbols ${formatCount(firstTable.tableObject!.counts.tableSymbols)} → ${formatCount(lastTable.tableObject!.counts.tableSymbols)}`,
      `table bytes ${formatCount(firstTable.tableObject!.sizes.total)} → ${formatCount(lastTable.tableObject!.sizes.total)}`,
    );
  parts.push(`stubs ${stubs(passes[0])} → ${stubs(passes[passes.length - 1])}`);
  return parts.join(', ');
}

/** The chart's accessible summary: what is plotted, the trend, the convergence point and the overlay. */
export function chartSummary(
  passes: readonly PassRecord[],
  pinned: PinnedRun | null,
  convergedAtPass: number | null,
): string {
  let s = `Chart per link of table bytes, table object size, table symbols, stubs and new stubs: ${describeRun(passes)}.`;
  s +=
    convergedAtPass !== null
      ? ` Sizes converged at trial link ${convergedAtPass}.`
      : ' No convergence point.';
  if (pinned) {
    s += ` Pinned run "${pinned.label}" overlaid with dashed lines: ${describeRun(pinned.passes)}.`;
    s +=
      pinned.convergedAtPass != null
        ? ` It converged at trial link ${pinned.convergedAtPass}.`
        : ' It did not converge.';
  }
  return s;
}

/** The tooltip's title: "trial link 3" or "vmlinux" (the final link of both runs). */
function passLabel(row: ChartRow | undefined, n: number): string {
  if (row?.final) return 'vmlinux (the final link)';
  return `trial link ${n}`;
}

/**
 * The tooltip: the pass and each series' value. Not recharts' default, whose
 * `role="status"` would compete with the page's verdict for that role.
 */
function PassTooltip({
  active,
  payload,
  label,
  rows,
  unit,
}: {
  active: boolean;
  payload: TooltipPayload;
  label: string | number | undefined;
  rows: ChartRow[];
  unit: 'bytes' | 'count';
}) {
  if (!active || !payload.length) return null;
  const n = Number(label);
  const value = (v: unknown) =>
    typeof v !== 'number'
      ? '–'
      : unit === 'bytes'
        ? `${formatCount(v)} B (${formatBytes(v)})`
        : formatCount(v);
  return (
    <div className="kv-tooltip">
      <p className="kv-tooltip-title">
        {passLabel(
          rows.find((r) => r.pass === n),
          n,
        )}
      </p>
      <ul>
        {payload.map((entry) => (
          <li key={String(entry.dataKey)}>
            <span className="kv-tooltip-swatch" style={{ background: entry.color }} />{' '}
            {String(entry.name)}: <strong>{value(entry.value)}</strong>
          </li>
        ))}
      </ul>
    </div>
  );
}

function LegendSymbol({ metric, dashed }: { metric: Metric; dashed: boolean }) {
  return (
    <svg width="34" height="14" aria-hidden="true" className="kv-legend-symbol">
      <line
        x1="1"
        x2="33"
        y1="7"
        y2="7"
        stroke={metric.colour}
        strokeWidth="2"
        strokeDasharray={dashed ? '5 3' : undefined}
      />
      <Symbols
        cx={17}
        cy={7}
        size={40}
        type={metric.shape}
        fill={dashed ? 'var(--kv-bg)' : metric.colour}
        stroke={metric.colour}
      />
    </svg>
  );
}

export function PassChart({
  passes,
  pinned,
  convergedAtPass,
  fileName = 'kallsyms-lab-passes',
}: PassChartProps) {
  const plotRef = useRef<HTMLDivElement>(null);
  const [exportNote, setExportNote] = useState('');
  const rows = chartRows(passes, pinned);
  const series = chartSeries(pinned);
  const summary = chartSummary(passes, pinned, convergedAtPass);
  const lastPass = rows.length;
  const ticks = rows.map((r) => r.pass);
  // A marker's label reads away from the nearer edge: at trial link 2 of 17, to the
  // right (to the left it went off a phone's screen), near the end, to the left.
  const labelSide = (pass: number) =>
    lastPass > 1 && (pass - 1) / (lastPass - 1) > 0.5 ? 'Right' : 'Left';
  // Trial links by number, the final link by name (link-words.ts).
  const tickLabel = (n: number) => (rows.find((r) => r.pass === n)?.final ? 'vmlinux' : String(n));
  const tick = (props: { x: number | string; y: number | string; payload: { value: unknown } }) => (
    <text
      x={props.x}
      y={props.y}
      dy={11}
      textAnchor="middle"
      fill="var(--kv-muted)"
      fontSize={11}
      className="kv-pass-tick"
    >
      {tickLabel(Number(props.payload.value))}
    </text>
  );

  const collect = (): { svg: string; width: number; height: number } | null => {
    const root = plotRef.current;
    if (!root) return null;
    const panels: ExportPanel[] = [];
    root.querySelectorAll<HTMLElement>('[data-panel]').forEach((panel) => {
      const svg = panel.querySelector<SVGSVGElement>('svg.recharts-surface');
      if (!svg) return;
      const box = svg.getBoundingClientRect();
      panels.push({
        heading: panel.dataset.title ?? '',
        markup: inlineSvgStyles(svg),
        width: box.width,
        height: box.height,
      });
    });
    if (!panels.length) return null;
    const style = getComputedStyle(root);
    const resolve = (colour: string) => {
      const m = /^var\((--[\w-]+)\)$/.exec(colour);
      return m ? style.getPropertyValue(m[1]).trim() || '#000' : colour;
    };
    return composeExportSvg({
      title: summary,
      panels,
      legend: series.map((s) => ({
        label: s.name,
        colour: resolve(s.metric.colour),
        dashed: s.dashed,
      })),
      background: style.getPropertyValue('--kv-bg').trim() || '#ffffff',
      foreground: style.getPropertyValue('--kv-fg').trim() || '#000000',
      fontFamily: style.fontFamily || 'sans-serif',
    });
  };

  const exportSvg = () => {
    const out = collect();
    if (!out) return setExportNote('Nothing to export yet.');
    downloadBlob(new Blob([out.svg], { type: 'image/svg+xml' }), `${fileName}.svg`);
    setExportNote(`Saved ${fileName}.svg`);
  };
  const exportPng = async () => {
    const out = collect();
    if (!out) return setExportNote('Nothing to export yet.');
    try {
      const blob = await svgToPngBlob(out.svg, out.width, out.height, 2);
      downloadBlob(blob, `${fileName}.png`);
      setExportNote(`Saved ${fileName}.png`);
    } catch (e) {
      setExportNote(`PNG export failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  return (
    <figure className="kv-view kv-chart">
      <div
        ref={plotRef}
        className="kv-chart-plots"
        role="img"
        aria-label={summary}
        data-series-count={series.length}
      >
        {PANELS.map((panel, i) => {
          const lines = series.filter((s) => s.metric.panel === panel.id);
          return (
            <div
              key={panel.id}
              className="kv-chart-panel"
              data-panel={panel.id}
              data-title={panel.title}
            >
              <h4 className="kv-panel-title">{panel.title}</h4>
              <ResponsiveContainer width="100%" height={i === 0 ? 170 : 150}>
                <LineChart
                  data={rows}
                  syncId="kv-passes"
                  accessibilityLayer={false}
                  margin={{ top: 16, right: 24, bottom: 0, left: 8 }}
                >
                  <CartesianGrid className="kv-grid" strokeDasharray="2 4" />
                  <XAxis
                    dataKey="pass"
                    type="number"
                    domain={[1, Math.max(1, lastPass)]}
                    ticks={ticks}
                    allowDecimals={false}
                    padding={{ left: 14, right: 14 }}
                    stroke="var(--kv-muted)"
                    tick={tick}
                    height={30}
                  />
                  <YAxis
                    width={64}
                    domain={panel.zero ? [0, 'auto'] : ['auto', 'auto']}
                    allowDecimals={false}
                    tickFormatter={(v: number) => formatCount(v)}
                    stroke="var(--kv-muted)"
                    tick={{ fill: 'var(--kv-muted)', fontSize: 11 }}
                  />
                  <Tooltip
                    isAnimationActive={false}
                    content={(t) => (
                      <PassTooltip
                        active={t.active}
                        payload={t.payload}
                        label={t.label}
                        rows={rows}
                        unit={panel.unit}
                      />
                    )}
                  />
                  {convergedAtPass !== null && (
                    <ReferenceLine
                      x={convergedAtPass}
                      stroke="var(--kv-success)"
                      strokeWidth={2}
                      strokeDasharray="6 3"
                      label={
                        i === 0
                          ? {
                              // Short: the axis names the link under the line, the legend says it in full,
                              // and a longer label left a phone's screen.
                              value: 'converged',
                              position: `insideTop${labelSide(convergedAtPass)}`,
                              fill: 'var(--kv-success)',
                              fontSize: 12,
                            }
                          : undefined
                      }
                    />
                  )}
                  {pinned?.convergedAtPass != null && (
                    <ReferenceLine
                      x={pinned.convergedAtPass}
                      stroke="var(--kv-success)"
                      strokeWidth={1.5}
                      strokeDasharray="2 4"
                      label={
                        i === 0
                          ? {
                              value: 'pinned: converged',
                              // Below the current run's label when both are drawn, so they never overlap.
                              position: `${convergedAtPass !== null ? 'insideBottom' : 'insideTop'}${labelSide(pinned.convergedAtPass)}`,
                              fill: 'var(--kv-success)',
                              fontSize: 11,
                            }
                          : undefined
                      }
                    />
                  )}
                  {lines.map(seriesLine)}
                </LineChart>
              </ResponsiveContainer>
            </div>
          );
        })}
      </div>
      <figcaption className="kv-caption kv-chart-legend">
        <ul className="kv-legend" aria-label="Series">
          {METRICS.map((m) => (
            <li key={m.id} className="kv-legend-item" data-metric={m.id}>
              <LegendSymbol metric={m} dashed={false} /> {m.label}
            </li>
          ))}
        </ul>
        <ul className="kv-legend" aria-label="Runs">
          <li className="kv-legend-item" data-run="current">
            <svg width="34" height="14" aria-hidden="true">
              <line x1="1" x2="33" y1="7" y2="7" className="kv-run-line" />
            </svg>{' '}
            solid: this run
          </li>
          {pinned && (
            <li className="kv-legend-item" data-run="pinned">
              <svg width="34" height="14" aria-hidden="true">
                <line x1="1" x2="33" y1="7" y2="7" className="kv-run-line" strokeDasharray="6 4" />
              </svg>{' '}
              dashed, hollow marks: pinned run “{pinned.label}”
            </li>
          )}
          {convergedAtPass !== null && (
            <li className="kv-legend-item" data-converged={convergedAtPass}>
              <svg width="34" height="14" aria-hidden="true">
                <line x1="17" x2="17" y1="0" y2="14" className="kv-converged-line" />
              </svg>{' '}
              converged at trial link {convergedAtPass}
            </li>
          )}
          {pinned?.convergedAtPass != null && (
            <li className="kv-legend-item" data-pinned-converged={pinned.convergedAtPass}>
              <svg width="34" height="14" aria-hidden="true">
                <line
                  x1="17"
                  x2="17"
                  y1="0"
                  y2="14"
                  className="kv-converged-line"
                  style={{ strokeDasharray: '2 4' }}
                />
              </svg>{' '}
              pinned run converged at trial link {pinned.convergedAtPass}
            </li>
          )}
        </ul>
        <p className="kv-chart-actions">
          <button type="button" className="kv-button" onClick={exportSvg}>
            Export SVG
          </button>{' '}
          <button type="button" className="kv-button" onClick={() => void exportPng()}>
            Export PNG
          </button>{' '}
          <span className="kv-muted" aria-live="polite">
            {exportNote}
          </span>
        </p>
      </figcaption>
    </figure>
  );
}
