/**
 * A phase map: the verdict of every cell of a two-parameter sweep, the first
 * parameter across (columns), the second down (rows, first value at the
 * top, as `kallsyms-lab sweep --param2` prints it). Each cell is coloured by
 * its verdict and shaded by the trial links its loop made (the more, the
 * stronger), and carries its verdict's letter where there is room: never
 * colour alone. The grid is an ARIA grid: one tab stop, the arrow keys move
 * between cells (Home and End along a row), Enter or Space opens the cell;
 * a click or a tap opens it too (`onOpen`).
 */
import {
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type CSSProperties,
  type KeyboardEvent,
} from 'react';
import type {
  SweepAxis,
  SweepStepResult,
  SweepValue,
  VerdictKind,
} from '../../toolchain/sweep/index.ts';
import { formatSweepValue, sweepUnitSuffix, VERDICT_KINDS } from '../../toolchain/sweep/index.ts';
import { sweepTicks } from './sweep-ticks.ts';
import './views.css';

export interface PhaseMapProps {
  /** Across: the first parameter and each column's value. */
  param: SweepAxis;
  values: SweepValue[];
  /** Down: the second parameter and each row's value. */
  param2: SweepAxis;
  values2: SweepValue[];
  /** Each cell's result by its index (row × columns + column); undefined: not done yet. */
  results: Array<SweepStepResult | undefined>;
  /** The cell whose scenario the form holds (ringed), if any. */
  chosenIndex?: number | null;
  /** A cell was clicked, tapped or pressed: open its scenario. */
  onOpen?: (index: number) => void;
}

export const VERDICT_LETTER: Record<VerdictKind, string> = {
  converged: 'C',
  inconsistent: 'I',
  'not-converged': 'N',
  oscillating: 'O',
  'link-failed': 'F',
};

const VERDICT_WORDS: Record<VerdictKind, string> = {
  converged: 'converged',
  inconsistent: 'inconsistent',
  'not-converged': 'not converged',
  oscillating: 'oscillating',
  'link-failed': 'link failed',
};

const shown = (param: SweepAxis, value: SweepValue) =>
  `${formatSweepValue(param, value)}${sweepUnitSuffix(param)}`;

/** "gap 31.5 MiB, nameLength 20: converged after 2 trial links" (or "not run yet"). */
export function describeCell(
  param: SweepAxis,
  value: SweepValue,
  param2: SweepAxis,
  value2: SweepValue,
  result: SweepStepResult | undefined,
): string {
  const at = `${param} ${shown(param, value)}, ${param2} ${shown(param2, value2)}`;
  if (!result) return `${at}: not run yet`;
  return `${at}: ${VERDICT_WORDS[result.verdict]} after ${result.passes} trial link${result.passes === 1 ? '' : 's'}`;
}

/** Below this many pixels a cell has no room for its letter. */
const LETTER_MIN_PX = 15;

export function PhaseMap({
  param,
  values,
  param2,
  values2,
  results,
  chosenIndex = null,
  onOpen,
}: PhaseMapProps) {
  const columns = values.length;
  const rows = values2.length;
  const grid = useRef<HTMLDivElement>(null);
  const [cellPx, setCellPx] = useState(0);
  const [focused, setFocused] = useState<number | null>(null);
  /** The one tab stop among the cells (roving tabindex): the last one moved to, else the first. */
  const [stop, setStop] = useState(0);

  // How wide a cell is drawn: letters and row labels only where they fit.
  useLayoutEffect(() => {
    const element = grid.current;
    if (!element) return;
    const measure = () => {
      const cell = element.querySelector<HTMLElement>('[role="gridcell"]');
      setCellPx(cell ? cell.getBoundingClientRect().width : 0);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    return () => observer.disconnect();
  }, [columns, rows]);

  const done = results.filter((r): r is SweepStepResult => r !== undefined);
  const passRange = useMemo(() => {
    const passes = done.map((r) => r.passes);
    return passes.length ? { min: Math.min(...passes), max: Math.max(...passes) } : null;
  }, [done]);
  const counts = VERDICT_KINDS.map((kind) => ({
    kind,
    n: done.filter((r) => r.verdict === kind).length,
  })).filter((c) => c.n > 0);

  const summary =
    `Phase map of ${param} across (${columns} columns, ${shown(param, values[0])} to ${shown(param, values.at(-1)!)}) ` +
    `by ${param2} down (${rows} rows, ${shown(param2, values2[0])} to ${shown(param2, values2.at(-1)!)}): ` +
    `${done.length} of ${columns * rows} cells done` +
    (counts.length ? `; ${counts.map((c) => `${VERDICT_WORDS[c.kind]} ${c.n}`).join(', ')}` : '') +
    '.';

  const shade = (r: SweepStepResult) =>
    !passRange || passRange.max === passRange.min
      ? 1
      : (r.passes - passRange.min) / (passRange.max - passRange.min);

  const focusCell = (index: number) => {
    setStop(index);
    grid.current?.querySelector<HTMLElement>(`[data-cell="${index}"]`)?.focus();
  };

  const onKey = (event: KeyboardEvent, index: number) => {
    const row = Math.floor(index / columns);
    const column = index % columns;
    const to =
      event.key === 'ArrowRight'
        ? column < columns - 1
          ? index + 1
          : null
        : event.key === 'ArrowLeft'
          ? column > 0
            ? index - 1
            : null
          : event.key === 'ArrowDown'
            ? row < rows - 1
              ? index + columns
              : null
            : event.key === 'ArrowUp'
              ? row > 0
                ? index - columns
                : null
              : event.key === 'Home'
                ? event.ctrlKey
                  ? 0
                  : row * columns
                : event.key === 'End'
                  ? event.ctrlKey
                    ? columns * rows - 1
                    : row * columns + columns - 1
                  : undefined;
    if (to !== undefined) {
      event.preventDefault();
      if (to !== null) focusCell(to);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      onOpen?.(index);
    }
  };

  const xTicks = useMemo(() => sweepTicks(param, values, 5), [param, values]);
  const yTicks = useMemo(() => sweepTicks(param2, values2, 5), [param2, values2]);
  // Each row's value beside it where rows are tall enough; else only where a round tick falls.
  const everyRow = cellPx >= 14 && rows <= 24;
  const rowLabelAt = useMemo(() => {
    const labels = new Map<number, string>();
    for (const t of yTicks) {
      const r = Math.round(t.at);
      if (Math.abs(t.at - r) < 0.25 && !labels.has(r)) labels.set(r, t.label);
    }
    return labels;
  }, [yTicks]);
  const letters = cellPx >= LETTER_MIN_PX;
  const tabStop = Math.min(stop, columns * rows - 1);

  return (
    <figure className="kv-view kv-phase-map">
      {/* The column count sizes the grid and its axis alike. */}
      <div className="kv-map-frame" style={{ '--columns': columns } as CSSProperties}>
        <div className="kv-map-ytitle" aria-hidden="true">
          {param2}
          {sweepUnitSuffix(param2) ? ` (${sweepUnitSuffix(param2).trim()})` : ''} ↓
        </div>
        <div
          ref={grid}
          className="kv-map"
          role="grid"
          aria-label={summary}
          aria-rowcount={rows}
          aria-colcount={columns}
          data-cells-done={done.length}
        >
          {values2.map((value2, r) => (
            <div key={r} role="row" className="kv-map-row" aria-rowindex={r + 1}>
              <div role="rowheader" className="kv-map-rowhead">
                <span className={everyRow || rowLabelAt.has(r) ? undefined : 'kv-sr-only'}>
                  {everyRow
                    ? formatSweepValue(param2, value2)
                    : (rowLabelAt.get(r) ?? formatSweepValue(param2, value2))}
                </span>
                <span className="kv-sr-only">
                  {' '}
                  {param2} {shown(param2, value2)}
                </span>
              </div>
              {values.map((value, c) => {
                const index = r * columns + c;
                const result = results[index];
                const label = describeCell(param, value, param2, value2, result);
                return (
                  <div
                    key={c}
                    role="gridcell"
                    aria-colindex={c + 1}
                    tabIndex={index === tabStop ? 0 : -1}
                    aria-label={`${label}. Press Enter to open this scenario.`}
                    aria-current={index === chosenIndex || undefined}
                    data-cell={index}
                    data-verdict={result?.verdict ?? 'pending'}
                    data-passes={result?.passes}
                    className="kv-map-cell"
                    style={result ? ({ '--shade': shade(result) } as CSSProperties) : undefined}
                    title={result ? `${label} — ${result.summary}` : label}
                    onClick={() => {
                      focusCell(index);
                      onOpen?.(index);
                    }}
                    onKeyDown={(event) => onKey(event, index)}
                    onFocus={() => {
                      setStop(index);
                      setFocused(index);
                    }}
                    onBlur={() => setFocused((f) => (f === index ? null : f))}
                  >
                    {letters && result ? (
                      <span aria-hidden="true">{VERDICT_LETTER[result.verdict]}</span>
                    ) : null}
                  </div>
                );
              })}
            </div>
          ))}
        </div>
        <div className="kv-map-xaxis" aria-hidden="true">
          {xTicks.map((t) => (
            <span
              key={`${t.at}-${t.label}`}
              className="kv-map-xtick"
              style={{ '--at': (t.at + 0.5) / columns } as CSSProperties}
            >
              {t.label}
            </span>
          ))}
        </div>
        <div className="kv-map-xtitle" aria-hidden="true">
          {param}
          {sweepUnitSuffix(param) ? ` (${sweepUnitSuffix(param).trim()})` : ''} →
        </div>
      </div>
      <p className="kv-map-focus" aria-hidden="true">
        {focused !== null && focused < columns * rows
          ? (() => {
              const r = Math.floor(focused / columns);
              const c = focused % columns;
              const result = results[focused];
              return `${describeCell(param, values[c], param2, values2[r], result)}${result ? ` (${result.summary})` : ''}. Enter opens it.`;
            })()
          : '\u00a0'}
      </p>
      <figcaption className="kv-caption">
        <ul className="kv-legend" aria-label="Verdicts">
          {VERDICT_KINDS.map((kind) => (
            <li key={kind} className="kv-legend-item">
              <span
                className="kv-map-swatch"
                data-verdict={kind}
                style={{ '--shade': 1 } as CSSProperties}
                aria-hidden="true"
              >
                {VERDICT_LETTER[kind]}
              </span>{' '}
              {VERDICT_WORDS[kind]}
            </li>
          ))}
        </ul>
        {passRange ? (
          <p className="kv-map-shading">
            <span className="kv-map-ramp" aria-hidden="true" /> Shade: trial links, from{' '}
            {passRange.min} (light) to {passRange.max} (strong).
          </p>
        ) : null}
      </figcaption>
    </figure>
  );
}
