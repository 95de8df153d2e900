import { linkName } from '../../toolchain/kbuild/link-words.ts';
import { useId } from 'react';
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import {
  addressDigits,
  formatAddress,
  formatBytes,
  formatBytesExact,
  formatCount,
  MiB,
  parseAddress,
} from './format.ts';
import { BL_REACH } from './reach.ts';
import { useNarrow } from './use-narrow.ts';
import './views.css';

export interface LayoutMapProps {
  pass: PassRecord;
}

/** Holes between sections larger than this are drawn compressed, not to scale. */
export const GAP_THRESHOLD = 1 * MiB;

/** A stretch of the address axis: drawn to scale, or compressed (a gap, or space outside the image). */
export interface Region {
  kind: 'scale' | 'gap' | 'outside';
  start: bigint;
  end: bigint;
  y0: number;
  y1: number;
}

export interface MapSection {
  name: string;
  start: bigint;
  end: bigint;
  size: number;
  kind: 'text' | 'rodata' | 'data' | 'other';
}

export interface ReachBracket {
  /** The boundary symbol it starts from (`_sinittext` or `_einittext`). */
  from: string;
  origin: bigint;
  /** origin − 32 MiB: the lowest address a `bl` there can reach. */
  end: bigint;
}

export interface LayoutModel {
  digits: number;
  sections: MapSection[];
  regions: Region[];
  table: { start: bigint; end: bigint } | null;
  gaps: Array<{ start: bigint; end: bigint }>;
  symbols: Array<{ name: string; address: bigint }>;
  brackets: ReachBracket[];
  coreText: { start: bigint; end: bigint } | null;
  /** Core text no init call can reach (below `_sinittext` − 32 MiB), and what only the end of init text cannot. */
  outOfReachAll: { start: bigint; end: bigint } | null;
  outOfReachSome: { start: bigint; end: bigint } | null;
  /** Bytes per pixel in the to-scale regions. */
  bytesPerPixel: number;
  height: number;
  y: (address: bigint) => number;
}

const SCALE_HEIGHT = 360;
const GAP_HEIGHT = 60;
const TOP = 30;

function sectionKind(name: string): MapSection['kind'] {
  if (name.includes('text')) return 'text';
  if (name.startsWith('.rodata')) return 'rodata';
  if (/data|bss|got|toc|branch_lt|plt/.test(name)) return 'data';
  return 'other';
}

const maxBig = (a: bigint, b: bigint) => (a > b ? a : b);
const minBig = (a: bigint, b: bigint) => (a < b ? a : b);

/**
 * Lays the image of one pass out on a vertical address axis (low addresses at
 * the top): sections to one common scale, holes above 1 MiB compressed to a
 * fixed height and marked, and the 32 MiB reach of a `bl` from init text.
 */
export function layoutModel(pass: PassRecord): LayoutModel {
  const { layout } = pass;
  const digits = addressDigits([
    ...layout.sections.map((s) => s.address),
    ...Object.values(layout.symbols).filter((a): a is string => a !== null),
  ]);
  const sections: MapSection[] = layout.sections
    .map((s) => {
      const start = parseAddress(s.address);
      return {
        name: s.name,
        start,
        end: start + BigInt(s.size),
        size: s.size,
        kind: sectionKind(s.name),
      };
    })
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const sym = (name: keyof typeof layout.symbols) => {
    const a = layout.symbols[name];
    return a === null ? null : parseAddress(a);
  };
  const byName = (name: string) => sections.find((s) => s.name === name);
  const stext = sym('_stext') ?? byName('.text')?.start ?? null;
  const etext = sym('_etext') ?? byName('.text')?.end ?? null;
  const sinit = sym('_sinittext') ?? byName('.init.text')?.start ?? null;
  const einit = sym('_einittext') ?? byName('.init.text')?.end ?? null;
  const reach = BigInt(BL_REACH);

  const brackets: ReachBracket[] = [];
  if (sinit !== null) brackets.push({ from: '_sinittext', origin: sinit, end: sinit - reach });
  if (einit !== null && einit !== sinit)
    brackets.push({ from: '_einittext', origin: einit, end: einit - reach });

  // The address axis: from the image start (or the reach's end, when it
  // falls below the image) to the image end.
  const imageStart = sections.length ? sections[0].start : (sinit ?? 0n);
  const lowest = brackets.reduce((m, b) => minBig(m, b.end), imageStart);

  const raw: Array<{ kind: Region['kind']; start: bigint; end: bigint }> = [];
  if (lowest < imageStart)
    raw.push({
      kind: imageStart - lowest > BigInt(GAP_THRESHOLD) ? 'outside' : 'scale',
      start: lowest,
      end: imageStart,
    });
  let cursor = imageStart;
  const gaps: LayoutModel['gaps'] = [];
  for (const s of sections) {
    if (s.start > cursor) {
      const big = s.start - cursor > BigInt(GAP_THRESHOLD);
      raw.push({ kind: big ? 'gap' : 'scale', start: cursor, end: s.start });
      if (big) gaps.push({ start: cursor, end: s.start });
    }
    if (s.end > cursor) {
      raw.push({ kind: 'scale', start: maxBig(cursor, s.start), end: s.end });
      cursor = s.end;
    }
  }
  // Merge neighbouring to-scale stretches.
  const merged: typeof raw = [];
  for (const r of raw) {
    const last = merged[merged.length - 1];
    if (last && last.kind === 'scale' && r.kind === 'scale' && last.end === r.start)
      last.end = r.end;
    else merged.push({ ...r });
  }
  const scaleBytes = merged
    .filter((r) => r.kind === 'scale')
    .reduce((n, r) => n + Number(r.end - r.start), 0);
  const bytesPerPixel = Math.max(1, scaleBytes) / SCALE_HEIGHT;
  const regions: Region[] = [];
  let yCursor = TOP;
  for (const r of merged) {
    const h = r.kind === 'scale' ? Number(r.end - r.start) / bytesPerPixel : GAP_HEIGHT;
    regions.push({ ...r, y0: yCursor, y1: yCursor + h });
    yCursor += h;
  }
  const y = (address: bigint): number => {
    if (!regions.length) return TOP;
    if (address <= regions[0].start) return regions[0].y0;
    for (const r of regions) {
      if (address <= r.end) {
        const span = Number(r.end - r.start);
        return span === 0 ? r.y0 : r.y0 + ((r.y1 - r.y0) * Number(address - r.start)) / span;
      }
    }
    return regions[regions.length - 1].y1;
  };

  const coreText = stext !== null && etext !== null ? { start: stext, end: etext } : null;
  const clip = (lo: bigint, hi: bigint) => (hi > lo ? { start: lo, end: hi } : null);
  const outOfReachAll =
    coreText && sinit !== null ? clip(coreText.start, minBig(coreText.end, sinit - reach)) : null;
  const outOfReachSome =
    coreText && sinit !== null && einit !== null
      ? clip(maxBig(coreText.start, sinit - reach), minBig(coreText.end, einit - reach))
      : null;

  const symbols = (['_stext', '_etext', '_sinittext', '_einittext'] as const)
    .map((name) => ({ name, address: sym(name) }))
    .filter((s): s is { name: (typeof s)['name']; address: bigint } => s.address !== null);

  const table = layout.table
    ? { start: parseAddress(layout.table.start), end: parseAddress(layout.table.end) }
    : null;

  return {
    digits,
    sections,
    regions,
    table,
    gaps,
    symbols,
    brackets,
    coreText,
    outOfReachAll,
    outOfReachSome,
    bytesPerPixel,
    height: yCursor,
    y,
  };
}

/** Places labels at their wanted y, pushed down so none overlap. */
export function spreadLabels<T extends { want: number }>(
  items: T[],
  spacing: number,
): Array<T & { at: number }> {
  const sorted = [...items].sort((a, b) => a.want - b.want);
  const out: Array<T & { at: number }> = [];
  for (const item of sorted) {
    const prev = out[out.length - 1];
    out.push({ ...item, at: prev ? Math.max(item.want, prev.at + spacing) : item.want });
  }
  return out;
}

/** Horizontal geometry, in viewBox units. */
interface Geometry {
  W: number;
  BAR_X: number;
  BAR_W: number;
  LABEL_X: number;
  SYMBOL_X: number;
  /** x of each reach bracket's line (from _sinittext, from _einittext). */
  BRACKET_X: number[];
  /**
   * A phone's drawing: section labels give the start address (the caption
   * and tooltips give ranges), and the brackets' labels share the symbols'
   * column, so the whole map fits ~360 px at a legible size.
   */
  compact: boolean;
}

const wide = (): Geometry => {
  const BAR_X = 300;
  const BAR_W = 70;
  return {
    W: 640,
    BAR_X,
    BAR_W,
    LABEL_X: BAR_X + BAR_W + 28,
    SYMBOL_X: BAR_X - 8,
    BRACKET_X: [BAR_X - 128, BAR_X - 146],
    compact: false,
  };
};

const compact = (): Geometry => {
  // Left to right: the brackets' gutter, a column of labels right-aligned
  // against the bar (symbols, and where each bracket ends), the bar, and the
  // section labels (~175 units: "kallsyms table 40.2 KiB" in 12 px bold).
  const BAR_X = 188;
  const BAR_W = 40;
  return {
    W: 420,
    BAR_X,
    BAR_W,
    LABEL_X: BAR_X + BAR_W + 16,
    SYMBOL_X: BAR_X - 8,
    BRACKET_X: [30, 16],
    compact: true,
  };
};

/** Below this width (CSS px) the map is drawn compact. */
export const COMPACT_BELOW = 600;

const LINE = 13;

interface Label {
  want: number;
  key: string;
  lines: string[];
  className: string;
}

export function LayoutMap({ pass }: LayoutMapProps) {
  const { ref, narrow } = useNarrow<HTMLElement>(COMPACT_BELOW);
  return <LayoutDrawing pass={pass} g={narrow ? compact() : wide()} figureRef={ref} />;
}

function LayoutDrawing({
  pass,
  g,
  figureRef,
}: {
  pass: PassRecord;
  g: Geometry;
  figureRef: React.Ref<HTMLElement>;
}) {
  const { W, BAR_X, BAR_W, LABEL_X, SYMBOL_X, BRACKET_X } = g;
  const id = useId().replace(/[^\w-]/g, '');
  const m = layoutModel(pass);
  const hex = (a: bigint) => formatAddress(a, m.digits);
  const range = (a: bigint, b: bigint) => `${hex(a)} – ${hex(b)}`;

  // Right-hand labels: sections, the table, the gaps.
  // A label's second line: the range, or on a phone its start (the range is in the tooltip).
  const where = (a: bigint, b: bigint) => (g.compact ? hex(a) : range(a, b));
  const sep = g.compact ? ' ' : '  ';
  const notToScale = g.compact ? '' : ' (not to scale)';
  const rightLabels: Label[] = [
    ...m.sections.map((s) => ({
      want: (m.y(s.start) + m.y(s.end)) / 2,
      key: `s-${s.name}`,
      lines: [`${s.name}${sep}${formatBytes(s.size)}`, where(s.start, s.end)],
      className: 'kv-label-section',
    })),
    ...(m.table
      ? [
          {
            want: (m.y(m.table.start) + m.y(m.table.end)) / 2,
            key: 'table',
            lines: [
              `kallsyms table${sep}${formatBytes(Number(m.table.end - m.table.start))}`,
              where(m.table.start, m.table.end),
            ],
            className: 'kv-label-table',
          },
        ]
      : []),
    ...m.regions
      .filter((r) => r.kind !== 'scale')
      .map((r) => ({
        want: (r.y0 + r.y1) / 2,
        key: `g-${r.start}`,
        lines: [
          r.kind === 'gap'
            ? `≈ ${(Number(r.end - r.start) / MiB).toFixed(1)} MiB gap${notToScale}`
            : `${(Number(r.end - r.start) / MiB).toFixed(1)} MiB below the image${notToScale}`,
          where(r.start, r.end),
        ],
        className: 'kv-label-gap',
      })),
  ];
  const placedRight = spreadLabels(rightLabels, 2 * LINE + 6);

  // Left of the bar: the boundary symbols; far left, where each bracket ends
  // (on a phone, in the symbols' column, spread with them).
  const symbolItems = m.symbols.map((s) => ({ want: m.y(s.address), key: s.name, s }));
  const bracketItems = m.brackets.map((b, i) => ({ want: m.y(b.end), key: b.from, b, i }));
  let placedSymbols: Array<(typeof symbolItems)[number] & { at: number }>;
  let bracketLabels: Array<(typeof bracketItems)[number] & { at: number }>;
  if (g.compact) {
    const both = spreadLabels<{ want: number; key: string }>(
      [...symbolItems, ...bracketItems],
      2 * LINE + 4,
    );
    placedSymbols = both.filter((l): l is (typeof placedSymbols)[number] => 's' in l);
    bracketLabels = both.filter((l): l is (typeof bracketLabels)[number] => 'b' in l);
  } else {
    placedSymbols = spreadLabels(symbolItems, 2 * LINE + 2);
    bracketLabels = spreadLabels(bracketItems, 2 * LINE + 8);
  }

  const bottom = Math.max(
    m.height,
    ...placedRight.map((l) => l.at + 2 * LINE),
    ...placedSymbols.map((l) => l.at + 2 * LINE),
    ...bracketLabels.map((l) => l.at + 2 * LINE),
  );
  const height = Math.ceil(bottom + 16);

  const passName =
    pass.step === 'vmlinux'
      ? `${pass.link.image} (the final link)`
      : `${pass.link.image} (${linkName(pass)})`;
  const all = m.outOfReachAll;
  const some = m.outOfReachSome;
  const sinitBracket = m.brackets.find((b) => b.from === '_sinittext');
  const einitBracket = m.brackets.find((b) => b.from === '_einittext');
  const gap =
    m.gaps.find((g) => g.end === m.sections.find((s) => s.name === '.init.text')?.start) ??
    m.gaps[0];
  const title =
    `Layout of ${passName}: ${m.sections.map((s) => `${s.name} at ${hex(s.start)}`).join(', ')}.` +
    (gap ? ` A ${formatBytes(Number(gap.end - gap.start))} gap lies before ${hex(gap.end)}.` : '') +
    (sinitBracket ? ` A bl from _sinittext reaches 32 MiB down to ${hex(sinitBracket.end)}.` : '');

  const hatchAll = `${id}-all`;
  const hatchSome = `${id}-some`;
  const crossesGap = (b: ReachBracket) =>
    m.regions.filter((r) => r.kind !== 'scale' && r.start < b.origin && r.end > b.end);

  return (
    <figure
      className={`kv-view kv-layout${g.compact ? ' kv-compact' : ''}`}
      ref={figureRef}
      data-compact={g.compact || undefined}
    >
      <svg
        className="kv-layout-svg"
        viewBox={`0 0 ${W} ${height}`}
        role="img"
        aria-labelledby={`${id}-title`}
        data-bytes-per-pixel={m.bytesPerPixel}
      >
        <title id={`${id}-title`}>{title}</title>
        <defs>
          <pattern
            id={hatchAll}
            width="5"
            height="5"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(45)"
          >
            <line x1="0" y1="0" x2="0" y2="5" className="kv-hatch-danger" />
          </pattern>
          <pattern
            id={hatchSome}
            width="9"
            height="9"
            patternUnits="userSpaceOnUse"
            patternTransform="rotate(-45)"
          >
            <line x1="0" y1="0" x2="0" y2="9" className="kv-hatch-warn" />
          </pattern>
        </defs>

        <text x={BAR_X + BAR_W / 2} y={14} className="kv-axis-label" textAnchor="middle">
          low addresses
        </text>

        {/* Compressed stretches: a torn band with zigzag edges. */}
        {m.regions
          .filter((r) => r.kind !== 'scale')
          .map((r) => {
            const zig = (yy: number) => {
              let d = `M${BAR_X - 6},${yy}`;
              for (let x = BAR_X - 6, i = 0; x < BAR_X + BAR_W + 6; x += 8, i++)
                d += ` L${x + 8},${yy + (i % 2 ? -3 : 3)}`;
              return d;
            };
            return (
              <g key={`gap-${r.start}`} className="kv-gap" data-kind={r.kind}>
                <rect
                  x={BAR_X}
                  y={r.y0 + 4}
                  width={BAR_W}
                  height={r.y1 - r.y0 - 8}
                  className="kv-gap-fill"
                />
                <path d={zig(r.y0 + 4)} className="kv-break" />
                <path d={zig(r.y1 - 4)} className="kv-break" />
                <text
                  x={BAR_X + BAR_W / 2}
                  y={(r.y0 + r.y1) / 2}
                  className="kv-gap-text"
                  textAnchor="middle"
                  dominantBaseline="middle"
                >
                  {r.kind === 'gap' ? 'gap' : 'outside'}
                </text>
              </g>
            );
          })}

        {/* Sections to scale (at least a hairline, so a 32-byte section is still seen). */}
        {m.sections.map((s) => {
          const y0 = m.y(s.start);
          const h = Math.max(1, m.y(s.end) - y0);
          return (
            <rect
              key={s.name}
              x={BAR_X}
              y={y0}
              width={BAR_W}
              height={h}
              className={`kv-sec kv-sec-${s.kind}`}
              data-section={s.name}
              data-address={hex(s.start)}
              data-size={s.size}
            >
              <title>{`${s.name}: ${range(s.start, s.end)}, ${formatBytesExact(s.size)}`}</title>
            </rect>
          );
        })}
        {m.table && (
          <rect
            x={BAR_X + 10}
            y={m.y(m.table.start)}
            width={BAR_W - 20}
            height={Math.max(1, m.y(m.table.end) - m.y(m.table.start))}
            className="kv-table-rect"
            data-table-start={hex(m.table.start)}
            data-table-end={hex(m.table.end)}
          />
        )}
        {all && (
          <rect
            x={BAR_X}
            y={m.y(all.start)}
            width={BAR_W}
            height={Math.max(1, m.y(all.end) - m.y(all.start))}
            fill={`url(#${hatchAll})`}
            className="kv-unreachable-all"
          />
        )}
        {some && (
          <rect
            x={BAR_X}
            y={m.y(some.start)}
            width={BAR_W}
            height={Math.max(1, m.y(some.end) - m.y(some.start))}
            fill={`url(#${hatchSome})`}
            className="kv-unreachable-some"
          />
        )}

        {/* Section, table and gap labels with leader lines. */}
        {placedRight.map((l) => (
          <g key={l.key} className={l.className}>
            <path
              d={`M${BAR_X + BAR_W + 2},${l.want} L${LABEL_X - 14},${l.want} L${LABEL_X - 4},${l.at}`}
              className="kv-leader"
            />
            {l.lines.map((line, i) => (
              <text
                key={i}
                x={LABEL_X}
                y={l.at + i * LINE}
                dominantBaseline="middle"
                className={i === 0 ? 'kv-label-name' : 'kv-label-address'}
              >
                {line}
              </text>
            ))}
          </g>
        ))}

        {/* Boundary symbols. */}
        {placedSymbols.map((l) => (
          <g key={l.key} className="kv-symbol" data-symbol={l.s.name}>
            {/* Name above the line, address below it, like a dimension mark. */}
            <path
              d={`M${BAR_X},${l.want} L${SYMBOL_X + 4},${l.want} L${SYMBOL_X},${l.at} L${SYMBOL_X - (g.compact ? 100 : 110)},${l.at}`}
              className="kv-leader"
            />
            <text x={SYMBOL_X - 2} y={l.at - 3} textAnchor="end" className="kv-label-name">
              {l.s.name}
            </text>
            <text
              x={SYMBOL_X - 2}
              y={l.at + 3}
              textAnchor="end"
              dominantBaseline="hanging"
              className="kv-label-address"
            >
              {hex(l.s.address)}
            </text>
          </g>
        ))}

        {/* The reach of a bl from init text, 32 MiB down. */}
        {bracketLabels.map(({ b, i, at }) => {
          const x = BRACKET_X[i] ?? BRACKET_X[BRACKET_X.length - 1];
          const labelX = g.compact ? SYMBOL_X - 2 : x - 8;
          const yFrom = m.y(b.origin);
          const yTo = m.y(b.end);
          const mid = (yFrom + yTo) / 2;
          return (
            <g
              key={b.from}
              className={`kv-bracket kv-bracket-${i}`}
              data-from={b.from}
              data-reach={BL_REACH}
            >
              <path
                d={`M${BAR_X},${yFrom} L${x},${yFrom} L${x},${yTo} L${BAR_X},${yTo}`}
                className="kv-bracket-line"
              />
              <path
                d={`M${x - 4},${yTo + 7} L${x},${yTo} L${x + 4},${yTo + 7}`}
                className="kv-bracket-line"
              />
              {crossesGap(b).map((r) => (
                <path
                  key={`${r.start}`}
                  d={`M${x - 5},${r.y0 + 10} l10,-4 M${x - 5},${r.y1 - 6} l10,-4`}
                  className="kv-break"
                />
              ))}
              {i === 0 &&
                (() => {
                  // "32 MiB" along the bracket, kept clear of the label at its end.
                  const half = 80;
                  const lo = at + LINE + 8 + half;
                  const hi = yFrom - half;
                  if (lo > hi) return null;
                  const cy = Math.min(hi, Math.max(lo, mid));
                  return (
                    <text
                      x={x - 5}
                      y={cy}
                      textAnchor="middle"
                      className="kv-bracket-text"
                      transform={`rotate(-90 ${x - 5} ${cy})`}
                    >
                      32 MiB (0x2000000 bytes)
                    </text>
                  );
                })()}
              {/* On a phone, above and below the bracket's end line, as the symbols are
                  (with a leader to it when the label had to move off it). */}
              {g.compact && Math.abs(at - yTo) > 1 && (
                <path
                  d={`M${SYMBOL_X + 4},${yTo} L${SYMBOL_X},${at} L${SYMBOL_X - 100},${at}`}
                  className="kv-leader"
                />
              )}
              <text
                x={labelX}
                y={g.compact ? at - 3 : at}
                textAnchor="end"
                dominantBaseline={g.compact ? 'auto' : 'middle'}
                className="kv-label-name"
              >
                {`${b.from} − 32 MiB`}
              </text>
              <text
                x={labelX}
                y={g.compact ? at + 3 : at + LINE}
                textAnchor="end"
                dominantBaseline={g.compact ? 'hanging' : 'middle'}
                className="kv-label-address"
              >
                {`= ${hex(b.end)}`}
              </text>
            </g>
          );
        })}
      </svg>
      <figcaption className="kv-caption">
        <span className="kv-legend-item">
          <svg width="14" height="12" aria-hidden="true">
            <rect width="14" height="12" className="kv-table-rect" />
          </svg>{' '}
          kallsyms table
        </span>{' '}
        <span className="kv-legend-item">
          <svg width="14" height="12" aria-hidden="true">
            <rect width="14" height="12" className="kv-sec kv-sec-text" />
            <rect width="14" height="12" fill={`url(#${hatchAll})`} />
          </svg>{' '}
          core text no init call can reach
        </span>{' '}
        <span className="kv-legend-item">
          <svg width="14" height="12" aria-hidden="true">
            <rect width="14" height="12" className="kv-sec kv-sec-text" />
            <rect width="14" height="12" fill={`url(#${hatchSome})`} />
          </svg>{' '}
          out of reach from the end of init text
        </span>
        <p>
          {`${passName}: sections drawn to one scale (1 px ≈ ${formatBytes(m.bytesPerPixel)}); `}
          {m.gaps.length
            ? `the ${m.gaps.map((g) => formatBytes(Number(g.end - g.start))).join(' and ')} gap${m.gaps.length > 1 ? 's are' : ' is'} compressed, not to scale.`
            : 'nothing is compressed.'}
        </p>
        {sinitBracket && m.coreText && (
          <p className="kv-reach-caption">
            {`A bl reaches 32 MiB (${formatBytesExact(BL_REACH)}) backward. From _sinittext (${hex(sinitBracket.origin)}) it reaches down to ${hex(sinitBracket.end)}`}
            {all
              ? `: the first ${formatBytes(Number(all.end - all.start))} of core text (${range(all.start, all.end)}) is out of reach of every init call`
              : `, below _stext (${hex(m.coreText.start)}): all of core text is within reach of the start of init text`}
            {einitBracket &&
              (some
                ? `; from _einittext (${hex(einitBracket.origin)}) only down to ${hex(einitBracket.end)}, so calls from the end of init text miss another ${formatBytes(Number(some.end - some.start))}.`
                : `; from _einittext (${hex(einitBracket.origin)}) down to ${hex(einitBracket.end)}${einitBracket.end <= m.coreText.start ? ', also below _stext.' : '.'}`)}{' '}
            {`Measured in this image: ${formatCount(pass.reach.outOfReach)} of ${formatCount(pass.reach.calls)} init→core calls out of reach, ${formatCount(pass.stubs.total)} stubs.`}
          </p>
        )}
      </figcaption>
    </figure>
  );
}
