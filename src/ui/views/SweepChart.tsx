/**
 * A sweep at a glance: the loop's trial links (y) against the swept
 * parameter (x), one mark per step, the verdict told by colour and shape
 * (never colour alone) and by a band per range of equal verdicts. The legend
 * draws each mark with the chart's own symbols. A mark can be clicked, or
 * reached with Tab and the arrow keys and pressed, to load its value into
 * the scenario (`onPick`).
 */
import { useLayoutEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import {
  CartesianGrid,
  ReferenceArea,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Symbols,
  Tooltip,
  XAxis,
  YAxis,
  type ScatterShapeProps,
} from 'recharts';
import type {
  SweepAxis,
  SweepRange,
  SweepStepResult,
  SweepValue,
  VerdictKind,
} from '../../toolchain/sweep/index.ts';
import {
  describeSweepRange,
  formatSweepValue,
  sweepUnitSuffix,
} from '../../toolchain/sweep/index.ts';
import { sweepTicks } from './sweep-ticks.ts';
import './views.css';

export interface SweepChartProps {
  param: SweepAxis;
  /** Every step's value, in step order (the x axis spans them all from the start). */
  values: SweepValue[];
  results: SweepStepResult[];
  ranges: SweepRange[];
  /** A step's mark was clicked or pressed: load its value (absent: marks are not buttons). */
  onPick?: (result: SweepStepResult) => void;
  /** The step whose value the scenario has now (marked), if any. */
  chosenIndex?: number | null;
}

/** Scatter's mark size (an area, recharts' default ZAxis range): the legend draws the same. */
const MARK_SIZE = 64;

type Shape = 'circle' | 'cross' | 'triangle' | 'diamond' | 'square';

const VERDICT_MARKS: Record<VerdictKind, { label: string; colour: string; shape: Shape }> = {
  converged: { label: 'converged', colour: 'var(--kv-success)', shape: 'circle' },
  inconsistent: { label: 'inconsistent', colour: 'var(--kv-danger)', shape: 'cross' },
  'not-converged': { label: 'not converged', colour: 'var(--kv-warn)', shape: 'triangle' },
  oscillating: { label: 'oscillating', colour: 'var(--kv-warn)', shape: 'diamond' },
  'link-failed': { label: 'link failed', colour: 'var(--kv-muted)', shape: 'square' },
};

/** "Sweep of gap from 28 to 36 MiB in 64 steps; 64 done. gap 28 … 31.1 MiB: converged (15 steps)." */
function sweepChartSummary(
  param: SweepAxis,
  values: SweepValue[],
  results: SweepStepResult[],
  ranges: SweepRange[],
): string {
  if (values.length === 0) return 'Sweep: no steps.';
  const span = `${formatSweepValue(param, values[0])} to ${formatSweepValue(param, values.at(-1)!)}${sweepUnitSuffix(param)}`;
  let s = `Sweep of ${param} from ${span} in ${values.length} steps; ${results.length} done.`;
  for (const r of ranges) s += ` ${describeSweepRange(param, r, VERDICT_MARKS[r.verdict].label)}.`;
  return s;
}

export function SweepChart({
  param,
  values,
  results,
  ranges,
  onPick,
  chosenIndex = null,
}: SweepChartProps) {
  const plot = useRef<HTMLDivElement>(null);
  const summary = sweepChartSummary(param, values, results, ranges);
  const done = useMemo(() => [...results].sort((a, b) => a.index - b.index), [results]);
  const byVerdict = useMemo(() => {
    const map = new Map<VerdictKind, Array<SweepStepResult & { x: number }>>();
    for (const r of results) {
      const list = map.get(r.verdict) ?? [];
      list.push({ ...r, x: r.index });
      map.set(r.verdict, list);
    }
    return map;
  }, [results]);
  const maxPasses = Math.max(2, ...results.map((r) => r.passes));
  // The x axis is the step index (even steps of the parameter), with round
  // values of the parameter as ticks, placed where they fall between steps.
  const axisTicks = useMemo(() => sweepTicks(param, values), [param, values]);

  // What the marks' handlers read: the latest, without re-creating the marks.
  const latest = useRef({ done, onPick, chosenIndex });
  useLayoutEffect(() => {
    latest.current = { done, onPick, chosenIndex };
  });
  /**
   * The step whose mark is the one tab stop of all the marks (roving
   * tabindex): the one the reader last moved to, else the first step (steps
   * arrive in any order: until the reader moves, it follows the first).
   */
  const tabStop = useRef<number | null>(null);
  const interactive = onPick !== undefined;

  /**
   * Which mark is the tab stop, and which is the scenario's own, are set on
   * the elements, not rendered: recharts re-creates a Scatter's marks
   * whenever its props change (its animation id follows their identity), and
   * a re-created mark loses the keyboard focus.
   */
  const markAll = () => {
    const marks = plot.current?.querySelectorAll<SVGGElement>('[data-sweep-index]') ?? [];
    const steps = latest.current.done;
    const chosen = tabStop.current;
    const stop =
      chosen !== null && steps.some((r) => r.index === chosen) ? chosen : (steps[0]?.index ?? null);
    for (const mark of marks) {
      const index = Number(mark.dataset.sweepIndex);
      mark.setAttribute('tabindex', index === stop ? '0' : '-1');
      if (index === latest.current.chosenIndex) mark.setAttribute('aria-current', 'true');
      else mark.removeAttribute('aria-current');
    }
  };
  useLayoutEffect(() => {
    markAll();
    // recharts draws the marks a render after the chart's own.
    const frame = requestAnimationFrame(markAll);
    return () => cancelAnimationFrame(frame);
  });

  const focusMark = (index: number) => {
    tabStop.current = index;
    markAll();
    plot.current?.querySelector<SVGGElement>(`[data-sweep-index="${index}"]`)?.focus();
  };

  // The marks and the whole chart are made again only when the sweep's data
  // change, never for a focus or a pick (see markAll).
  const chart = useMemo(() => {
    const onMarkKey = (event: KeyboardEvent, r: SweepStepResult) => {
      const steps = latest.current.done;
      const at = steps.findIndex((d) => d.index === r.index);
      const to =
        event.key === 'ArrowRight' || event.key === 'ArrowDown'
          ? steps[at + 1]
          : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
            ? steps[at - 1]
            : event.key === 'Home'
              ? steps[0]
              : event.key === 'End'
                ? steps.at(-1)
                : undefined;
      if (to) {
        event.preventDefault();
        focusMark(to.index);
      } else if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        latest.current.onPick?.(r);
      }
    };
    const describeMark = (r: SweepStepResult) =>
      `${param} ${formatSweepValue(param, r.value)}${sweepUnitSuffix(param)}: ` +
      `${VERDICT_MARKS[r.verdict].label}, ${r.passes} trial links. Press to load this value into the scenario.`;
    /** A step's mark: recharts calls it as a function, with the point's position. */
    const mark = (verdict: VerdictKind) => (props: ScatterShapeProps) => {
      const r = props.payload as SweepStepResult | undefined;
      if (!r || props.cx === undefined || props.cy === undefined) return <g />;
      const { colour, shape } = VERDICT_MARKS[verdict];
      const symbol = (
        <Symbols cx={props.cx} cy={props.cy} type={shape} size={props.size} fill={colour} />
      );
      if (!interactive) return <g data-sweep-step={r.index}>{symbol}</g>;
      return (
        <g
          role="button"
          tabIndex={-1}
          aria-label={describeMark(r)}
          data-sweep-index={r.index}
          className="kv-sweep-mark"
          onClick={() => {
            focusMark(r.index);
            latest.current.onPick?.(r);
          }}
          onKeyDown={(event) => onMarkKey(event, r)}
          onFocus={() => {
            tabStop.current = r.index;
            markAll();
          }}
        >
          {/* A larger target than the mark, for fingers; ringed when it is the scenario's. */}
          <circle cx={props.cx} cy={props.cy} r={11} className="kv-sweep-hit" />
          {symbol}
        </g>
      );
    };
    const tickLabels = new Map(axisTicks.map((t) => [t.at, t.label]));
    return (
      <ResponsiveContainer width="100%" height={220}>
        <ScatterChart
          margin={{ top: 12, right: 24, bottom: 8, left: 8 }}
          accessibilityLayer={false}
        >
          <CartesianGrid className="kv-grid" strokeDasharray="2 4" />
          {ranges.map((r) => (
            <ReferenceArea
              key={`${r.first}-${r.verdict}`}
              x1={r.first - 0.5}
              x2={r.last + 0.5}
              fill={VERDICT_MARKS[r.verdict].colour}
              fillOpacity={0.08}
              ifOverflow="extendDomain"
            />
          ))}
          <XAxis
            dataKey="x"
            type="number"
            domain={[-0.5, Math.max(0.5, values.length - 0.5)]}
            ticks={axisTicks.map((t) => t.at)}
            tickFormatter={(at: number) => tickLabels.get(at) ?? ''}
            interval={0}
            stroke="var(--kv-muted)"
            tick={{ fill: 'var(--kv-muted)', fontSize: 11 }}
            label={{
              value: `${param}${sweepUnitSuffix(param) ? ` (${sweepUnitSuffix(param).trim()})` : ''}`,
              position: 'insideBottomRight',
              offset: -4,
              fill: 'var(--kv-muted)',
              fontSize: 11,
            }}
          />
          <YAxis
            dataKey="passes"
            type="number"
            domain={[0, maxPasses + 1]}
            allowDecimals={false}
            width={48}
            stroke="var(--kv-muted)"
            tick={{ fill: 'var(--kv-muted)', fontSize: 11 }}
            label={{
              value: 'trial links',
              angle: -90,
              position: 'insideLeft',
              fill: 'var(--kv-muted)',
              fontSize: 11,
            }}
          />
          <Tooltip
            isAnimationActive={false}
            content={({ active, payload }) => {
              const r = active ? (payload?.[0]?.payload as SweepStepResult | undefined) : undefined;
              if (!r) return null;
              return (
                <div className="kv-tooltip">
                  <strong>
                    {param} {formatSweepValue(param, r.value)}
                    {sweepUnitSuffix(param)}
                  </strong>
                  <div>{r.summary}</div>
                  <div>
                    {r.tableSymbols ?? '—'} table symbols, {r.stubs ?? '—'} stubs,{' '}
                    {Math.round(r.ms)} ms
                  </div>
                </div>
              );
            }}
          />
          {[...byVerdict].map(([verdict, points]) => (
            <Scatter
              key={verdict}
              name={VERDICT_MARKS[verdict].label}
              data={points}
              fill={VERDICT_MARKS[verdict].colour}
              shape={mark(verdict)}
              isAnimationActive={false}
            />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    );
    // focusMark and markAll read only refs and the DOM.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [byVerdict, ranges, axisTicks, values.length, maxPasses, param, interactive]);

  return (
    <figure className="kv-view kv-sweep-chart">
      {/* A group, not an img: the marks inside are buttons. */}
      <div role="group" aria-label={summary} data-steps-done={results.length} ref={plot}>
        {chart}
      </div>
      <figcaption className="kv-caption">
        <ul className="kv-legend" aria-label="Verdicts">
          {(Object.keys(VERDICT_MARKS) as VerdictKind[])
            .filter((v) => byVerdict.has(v))
            .map((v) => (
              <li key={v} className="kv-legend-item" data-verdict={v}>
                <svg width="14" height="14" aria-hidden="true" data-shape={VERDICT_MARKS[v].shape}>
                  {/* The chart's own symbol (recharts' "cross" is a +), not a drawing of our own. */}
                  <Symbols
                    cx={7}
                    cy={7}
                    type={VERDICT_MARKS[v].shape}
                    size={MARK_SIZE}
                    fill={VERDICT_MARKS[v].colour}
                  />
                </svg>{' '}
                {VERDICT_MARKS[v].label}
              </li>
            ))}
        </ul>
      </figcaption>
    </figure>
  );
}
