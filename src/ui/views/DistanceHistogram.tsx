import { linkName } from '../../toolchain/kbuild/link-words.ts';
import { useId } from 'react';
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import { formatBytes, formatBytesExact, formatCount, KiB, MiB, plural } from './format.ts';
import { BL_REACH, reachMargin } from './reach.ts';
import { useNarrow } from './use-narrow.ts';
import './views.css';

export interface CallSite {
  object: string;
  offset: number;
  target: string;
  form: string;
}

export interface DistanceHistogramProps {
  pass: PassRecord;
  /** The run's call sites; `pass.reach.siteIndex` indexes into it. */
  callSites: ReadonlyArray<CallSite>;
}

/** One bar: calls whose |distance| lies in (lo, hi] (the first bin also takes lo itself). */
export interface DistanceBin {
  lo: number;
  hi: number;
  zone: 'below' | 'fine' | 'above';
  inReach: number;
  outOfReach: number;
}

export interface FarCall {
  site: CallSite | undefined;
  distance: number;
  margin: number;
}

export interface DistanceModel {
  bins: DistanceBin[];
  calls: number;
  outOfReach: number;
  targetsOutOfReach: number;
  min: number;
  max: number;
  /** Width of the fine bins near the limit, and of the coarse ones away from it. */
  fineWidth: number;
  coarseWidth: number;
  /** The farthest calls, worst first. */
  farthest: FarCall[];
  /** Branch forms other than REL24 among the calls (their reach is not the line drawn). */
  otherForms: string[];
}

/**
 * Near the limit (at most ±1 MiB around 32 MiB, shrunk to the data) the bins
 * are fine: 64 KiB, halved down to 4 KiB until there are about 24 of them;
 * elsewhere 1 MiB or more.
 */
const FINE_MAX = 64 * KiB;
const FINE_MIN = 4 * KiB;
const FINE_BINS = 24;
const FINE_HALF_SPAN = 1 * MiB;
const MAX_COARSE_BINS = 24;

/** The fine window [lo, hi) for bins of `width`: ±1 MiB, clipped to the data, two bins each side of the line. */
function fineWindow(min: number, max: number, width: number): [number, number] {
  const L = BL_REACH;
  let lo = L - FINE_HALF_SPAN;
  let hi = L + FINE_HALF_SPAN;
  if (min > lo) lo = Math.min(L - 2 * width, Math.floor(min / width) * width);
  if (max < hi) hi = Math.max(L + 2 * width, Math.ceil(max / width) * width);
  return [lo, hi];
}

/**
 * Bins the |distance| of every init→core call of a pass, with fine bins near
 * the 32 MiB reach of `bl` and coarse ones away from it. Each bin counts the
 * calls in and out of their own branch form's reach, so the out-of-reach
 * counts add up to what the engine measured.
 */
export function binDistances(pass: PassRecord, callSites: ReadonlyArray<CallSite>): DistanceModel {
  const { distances, siteIndex } = pass.reach;
  const abs = distances.map((d) => Math.abs(d));
  // (Loops, not Math.min(...abs): a spread of a very long array overflows the stack.)
  let min = abs.length ? Infinity : BL_REACH;
  let max = abs.length ? -Infinity : BL_REACH;
  for (const v of abs) {
    if (v < min) min = v;
    if (v > max) max = v;
  }

  let fineWidth = FINE_MAX;
  let [fineLo, fineHi] = fineWindow(min, max, fineWidth);
  // Refine only where there is something to resolve.
  const near = (lo: number, hi: number) => abs.some((v) => v > lo && v <= hi);
  while (
    fineWidth > FINE_MIN &&
    (fineHi - fineLo) / fineWidth < FINE_BINS &&
    near(fineLo, fineHi)
  ) {
    fineWidth /= 2;
    [fineLo, fineHi] = fineWindow(min, max, fineWidth);
  }

  // Coarse bins outward from the fine window, widened (1, 2, 4 … MiB) to stay few.
  const below = min < fineLo ? fineLo - min : 0;
  const above = max > fineHi ? max - fineHi : 0;
  let coarseWidth = MiB;
  while (Math.ceil(below / coarseWidth) + Math.ceil(above / coarseWidth) > MAX_COARSE_BINS)
    coarseWidth *= 2;

  const bins: DistanceBin[] = [];
  const add = (lo: number, hi: number, zone: DistanceBin['zone']) =>
    bins.push({ lo, hi, zone, inReach: 0, outOfReach: 0 });
  const nBelow = Math.ceil(below / coarseWidth);
  for (let i = nBelow; i > 0; i--)
    add(fineLo - i * coarseWidth, fineLo - (i - 1) * coarseWidth, 'below');
  for (let lo = fineLo; lo < fineHi; lo += fineWidth) add(lo, lo + fineWidth, 'fine');
  const nAbove = Math.ceil(above / coarseWidth);
  for (let i = 0; i < nAbove; i++)
    add(fineHi + i * coarseWidth, fineHi + (i + 1) * coarseWidth, 'above');

  const binOf = (v: number): DistanceBin => {
    // Bins are (lo, hi]; a binary search over the ascending edges.
    let lo = 0;
    let hi = bins.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v <= bins[mid].hi) hi = mid;
      else lo = mid + 1;
    }
    return bins[lo];
  };

  let outOfReach = 0;
  const farTargets = new Set<string>();
  const forms = new Set<string>();
  const far: FarCall[] = [];
  distances.forEach((distance, i) => {
    const site = callSites[siteIndex[i]];
    const form = site?.form ?? 'REL24';
    forms.add(form);
    const margin = reachMargin(distance, form);
    const bin = binOf(abs[i]);
    if (margin > 0) {
      bin.outOfReach++;
      outOfReach++;
      farTargets.add(site?.target ?? `#${siteIndex[i]}`);
    } else bin.inReach++;
    far.push({ site, distance, margin });
  });
  far.sort((a, b) => b.margin - a.margin);

  return {
    bins,
    calls: distances.length,
    outOfReach,
    targetsOutOfReach: farTargets.size,
    min,
    max,
    fineWidth,
    coarseWidth,
    farthest: far.slice(0, 5),
    otherForms: [...forms].filter((f) => f !== 'REL24').sort(),
  };
}

/** "31.75" (MiB, as few decimals as the value needs, at most 3). */
export function mibLabel(bytes: number): string {
  return String(Number((bytes / MiB).toFixed(3)));
}

function niceCeiling(n: number): number {
  if (n <= 5) return Math.max(1, n);
  const p = 10 ** Math.floor(Math.log10(n));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= n) return m * p;
  return 10 * p;
}

// Geometry of the plot, in viewBox units: 640 wide, or 400 on a phone
// (below COMPACT_BELOW CSS px), so that it fits ~360 px at a legible size.
const H = 250;
const ZONE_GAP = 14;
export const COMPACT_BELOW = 600;
/** Width of a line of 11 px bold text (the limit's label), in viewBox units, roughly. */
const boldWidth = (text: string) => text.length * 6.9;

export function DistanceHistogram({ pass, callSites }: DistanceHistogramProps) {
  const { ref, narrow } = useNarrow<HTMLElement>(COMPACT_BELOW);
  const W = narrow ? 400 : 640;
  const PLOT = { left: narrow ? 44 : 52, right: W - 12, top: 26, bottom: H - 46 };
  const id = useId();
  const model = binDistances(pass, callSites);
  const { bins } = model;
  const zones = (['below', 'fine', 'above'] as const).filter((z) => bins.some((b) => b.zone === z));
  const slot = (PLOT.right - PLOT.left - ZONE_GAP * (zones.length - 1)) / Math.max(1, bins.length);
  const xs: number[] = [];
  {
    let x = PLOT.left;
    bins.forEach((b, i) => {
      if (i > 0 && bins[i - 1].zone !== b.zone) x += ZONE_GAP;
      xs.push(x);
      x += slot;
    });
  }
  const top = niceCeiling(bins.reduce((m, b) => Math.max(m, b.inReach + b.outOfReach), 0));
  const y = (count: number) => PLOT.bottom - ((PLOT.bottom - PLOT.top) * count) / top;
  const yTicks = [0, top / 2, top].filter((t, i, a) => Number.isInteger(t) && a.indexOf(t) === i);

  const limitIndex = bins.findIndex((b) => b.lo === BL_REACH);
  const limitX = limitIndex >= 0 ? xs[limitIndex] : null;

  // X ticks: every bin edge that is a multiple of a round step (1/8 MiB or
  // more, so labels stay short and exact), at least ~44 units apart; the
  // limit itself; and the coarse bins' edges (whole MiB).
  const fineSlots = Math.max(1, 44 / slot);
  let step = 128 * KiB;
  while (step / model.fineWidth < fineSlots) step *= 2;
  const xTicks: Array<{ x: number; label: string; edge: number }> = [];
  const tickAt = (x: number, edge: number) => {
    if (!xTicks.some((t) => Math.abs(t.x - x) < (narrow ? 38 : 30)))
      xTicks.push({ x, label: mibLabel(edge), edge });
  };
  if (limitX !== null) tickAt(limitX, BL_REACH);
  bins.forEach((b, i) => {
    if (b.zone === 'fine') {
      if (b.lo % step === 0) tickAt(xs[i], b.lo);
    } else {
      tickAt(xs[i], b.lo);
      if (i === bins.length - 1 || bins[i + 1].zone !== b.zone) tickAt(xs[i] + slot, b.hi);
    }
  });
  // Then the fine zone's own ends, where they do not crowd a round tick.
  bins.forEach((b, i) => {
    if (b.zone !== 'fine') return;
    if (i === 0 || bins[i - 1].zone !== 'fine') tickAt(xs[i], b.lo);
    if (i === bins.length - 1 || bins[i + 1].zone !== 'fine') tickAt(xs[i] + slot, b.hi);
  });
  // A label at either end is aligned to the drawing's edge, not centred (it
  // would stick out); then no two labels may overlap: the later one goes,
  // unless it is the limit's, which stays.
  const anchorOf = (x: number) => (x > W - 24 ? 'end' : x < 24 ? 'start' : 'middle');
  const boxOf = (t: { x: number; label: string }) => {
    const width = t.label.length * 6.2; // 10 px digits
    const anchor = anchorOf(t.x);
    const left = anchor === 'end' ? t.x - width : anchor === 'middle' ? t.x - width / 2 : t.x;
    return { left, right: left + width };
  };
  const shownTicks: typeof xTicks = [];
  for (const t of [...xTicks].sort((a, b) => a.x - b.x)) {
    const last = shownTicks.at(-1);
    if (last && boxOf(last).right + 4 > boxOf(t).left) {
      if (t.edge !== BL_REACH) continue;
      shownTicks.pop();
    }
    shownTicks.push(t);
  }

  const passName = linkName(pass);
  const worst = model.farthest[0];
  const summary =
    model.calls === 0
      ? `No init→core calls in ${passName}.`
      : `${plural(model.calls, 'init→core call')} in ${passName}: ${formatCount(model.outOfReach)} out of reach ` +
        `(|distance| beyond 32 MiB, the reach of bl), to ${plural(model.targetsOutOfReach, 'distinct target')}. ` +
        `Distances span ${mibLabel(model.min)}–${mibLabel(model.max)} MiB.`;
  const mismatch = model.outOfReach !== pass.reach.outOfReach;
  const hatch = `${id}-hatch`;

  return (
    <figure className={`kv-view kv-histogram${narrow ? ' kv-compact' : ''}`} ref={ref}>
      <svg
        className="kv-histogram-svg"
        viewBox={`0 0 ${W} ${H}`}
        role="img"
        aria-labelledby={`${id}-title`}
        data-out-of-reach={model.outOfReach}
        data-calls={model.calls}
      >
        <title id={`${id}-title`}>
          {`Histogram of init→core call distances, ${passName}. ${summary}`}
        </title>
        <defs>
          <pattern
            id={hatch}
            width="6"
            height="6"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <rect width="6" height="6" className="kv-fill-danger" />
            <line x1="0" y1="0" x2="0" y2="6" className="kv-hatch-line" />
          </pattern>
        </defs>
        {/* y axis */}
        {yTicks.map((t) => (
          <g key={t}>
            <line x1={PLOT.left} x2={PLOT.right} y1={y(t)} y2={y(t)} className="kv-grid" />
            <text
              x={PLOT.left - 6}
              y={y(t)}
              className="kv-tick"
              textAnchor="end"
              dominantBaseline="middle"
            >
              {formatCount(t)}
            </text>
          </g>
        ))}
        <text
          x={12}
          y={(PLOT.top + PLOT.bottom) / 2}
          className="kv-axis-label"
          textAnchor="middle"
          transform={`rotate(-90 12 ${(PLOT.top + PLOT.bottom) / 2})`}
        >
          calls
        </text>
        {/* bars */}
        {bins.map((b, i) => {
          const total = b.inReach + b.outOfReach;
          if (total === 0) return null;
          const x = xs[i] + 0.5;
          const w = Math.max(1, slot - 1);
          return (
            <g
              key={b.lo}
              className="kv-bin"
              data-lo={b.lo}
              data-hi={b.hi}
              data-in={b.inReach}
              data-out={b.outOfReach}
            >
              <title>
                {`${mibLabel(b.lo)}–${mibLabel(b.hi)} MiB: ${formatCount(total)} calls` +
                  (b.outOfReach ? `, ${formatCount(b.outOfReach)} out of reach` : '')}
              </title>
              {b.inReach > 0 && (
                <rect
                  x={x}
                  width={w}
                  y={y(b.inReach)}
                  height={PLOT.bottom - y(b.inReach)}
                  className="kv-bar-in"
                />
              )}
              {b.outOfReach > 0 && (
                <rect
                  x={x}
                  width={w}
                  y={y(total)}
                  height={y(b.inReach) - y(total)}
                  fill={`url(#${hatch})`}
                  className="kv-bar-out"
                />
              )}
            </g>
          );
        })}
        {/* x axis, zone breaks */}
        <line
          x1={PLOT.left}
          x2={PLOT.right}
          y1={PLOT.bottom}
          y2={PLOT.bottom}
          className="kv-axis"
        />
        {bins.map((b, i) =>
          i > 0 && bins[i - 1].zone !== b.zone ? (
            <g key={`break-${b.lo}`} className="kv-scale-break">
              <path
                d={`M${xs[i] - ZONE_GAP + 3},${PLOT.bottom + 5} l4,-10 M${xs[i] - 7},${PLOT.bottom + 5} l4,-10`}
                className="kv-axis"
              />
            </g>
          ) : null,
        )}
        {shownTicks.map((t) => (
          <g key={`${t.x}-${t.label}`}>
            <line x1={t.x} x2={t.x} y1={PLOT.bottom} y2={PLOT.bottom + 4} className="kv-axis" />
            <text
              x={t.x}
              y={PLOT.bottom + 15}
              className="kv-tick"
              // At the ends a centred label would stick out of the drawing.
              textAnchor={anchorOf(t.x)}
            >
              {t.label}
            </text>
          </g>
        ))}
        <text
          x={(PLOT.left + PLOT.right) / 2}
          y={H - 8}
          className="kv-axis-label"
          textAnchor="middle"
        >
          {narrow
            ? `|distance| to the core target, MiB (bins: ${formatBytes(model.fineWidth)} near 32)`
            : `|distance| from init call to core target, MiB (bins: ${formatBytes(model.fineWidth)} near 32 MiB` +
              (bins.some((b) => b.zone !== 'fine')
                ? `, ${formatBytes(model.coarseWidth)} elsewhere)`
                : ')')}
        </text>
        {limitX !== null && (
          <g className="kv-limit">
            <line
              x1={limitX}
              x2={limitX}
              y1={PLOT.top - 8}
              y2={PLOT.bottom}
              className="kv-limit-line"
            />
            {/* One label, on whichever side of the line has room (or at the edge with more). */}
            {(() => {
              const text = `32 MiB, the reach of bl: ${formatCount(model.outOfReach)} calls out of reach`;
              const width = boldWidth(text);
              const right = limitX + 4 + width <= W;
              const left = limitX - 4 - width >= 0;
              const start = right || (!left && W - limitX > limitX);
              const x = right || left ? limitX + (start ? 4 : -4) : start ? W - width : width;
              return (
                <text
                  x={Math.max(0, Math.min(W, x))}
                  y={PLOT.top - 12}
                  className="kv-limit-label"
                  textAnchor={start ? 'start' : 'end'}
                >
                  {text}
                </text>
              );
            })()}
          </g>
        )}
      </svg>
      <figcaption className="kv-caption">
        <span className="kv-legend-item">
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" className="kv-bar-in" />
          </svg>{' '}
          in reach
        </span>{' '}
        <span className="kv-legend-item">
          <svg width="12" height="12" aria-hidden="true">
            <rect width="12" height="12" fill={`url(#${hatch})`} className="kv-bar-out" />
          </svg>{' '}
          out of reach (needs a stub)
        </span>
        <p>
          {summary}
          {worst && worst.margin > 0 && (
            <>
              {' '}
              The farthest misses by {formatBytes(worst.margin)} ({formatBytesExact(worst.margin)}).
            </>
          )}
          {worst && worst.margin <= 0 && (
            <> The nearest to the limit still has {formatBytes(-worst.margin)} to spare.</>
          )}
          {bins.some((b) => b.zone !== 'fine') && (
            <>
              {' '}
              The axis changes scale at the // marks: bins are {formatBytes(model.fineWidth)} wide
              near the limit and {formatBytes(model.coarseWidth)} elsewhere.
            </>
          )}
          {model.otherForms.length > 0 && (
            <>
              {' '}
              Forms other than bl ({model.otherForms.join(', ')}) are judged against their own
              reach.
            </>
          )}
          {mismatch && (
            <strong>
              {' '}
              (The pass record counts {formatCount(pass.reach.outOfReach)} out of reach: the call
              sites given do not match this run.)
            </strong>
          )}
        </p>
        {model.farthest.length > 0 && model.farthest[0].margin > 0 && (
          <details>
            <summary>Farthest calls</summary>
            <table className="kv-table">
              <thead>
                <tr>
                  <th scope="col">call site</th>
                  <th scope="col">target</th>
                  <th scope="col">distance</th>
                  <th scope="col">misses by</th>
                </tr>
              </thead>
              <tbody>
                {model.farthest
                  .filter((f) => f.margin > 0)
                  .map((f, i) => (
                    <tr key={i}>
                      <td className="kv-mono">
                        {f.site
                          ? `${f.site.object} .init.text+0x${f.site.offset.toString(16)}`
                          : '?'}
                      </td>
                      <td className="kv-mono">{f.site?.target ?? '?'}</td>
                      <td className="kv-num">{formatBytesExact(f.distance)}</td>
                      <td className="kv-num">{formatBytesExact(f.margin)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </details>
        )}
      </figcaption>
    </figure>
  );
}
