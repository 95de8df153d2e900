/**
 * The ratio that decides whether a layout converges (spec/link-loop.md,
 * "Why a layout converges"), measured on one trial pass:
 *
 *     ratio = (table bytes per new stub) × (1 / spacing of core targets at the limit
 *                                           − 1 / spacing of fixed-address targets at it)
 *
 * Each stub adds its table entry, the table's growth moves init text by as
 * much, and the move takes the call targets within it past the ±32 MiB
 * limit: core targets below init text go out of reach (more stubs), targets
 * at a fixed address above it come into reach (fewer). The ratio is the
 * slope of the map from one table size to the next, so it predicts what
 * the next passes do: well below 1 the growth dies out, near 1 it lingers,
 * above 1 it runs until the targets near the limit are used up (saturates),
 * and at −1 or below the sizes jump around the fixed point (a cycle).
 *
 * Pure arithmetic on what the pass measured: the call sites, the image's
 * symbol addresses and the two tables' sizes.
 */
import type { KallsymsSizes } from '../kallsyms/index.ts';
import { BRANCH_REACH, type InitCallSite } from '../reach/call-sites.ts';
import type { GrowthFacts, GrowthPrediction } from './records.ts';

/** Targets nearest the limit that a spacing is measured over, at least. */
export const SPACING_TARGETS = 8;

/** Where the predictions change: the growth factor per pass. */
export const RATIO_LIMITS = { cycles: -1, diesOut: 0.7, lingers: 1.3 } as const;

export interface GrowthInput {
  sites: readonly InitCallSite[];
  addresses: ReadonlyMap<string, bigint>;
  ambiguous: ReadonlySet<string>;
  coreText: { start: bigint; end: bigint };
  /** End of init text: targets at or above it, outside core text, sit at fixed addresses. */
  initEnd: bigint;
  /** .rodata bytes of the table built from this image, and of the one linked into it (0: none). */
  tableBytes: number;
  linkedTableBytes: number;
  /** The table built from the previous image, and that image's stubs (null on the first pass). */
  previous: { tableBytes: number; stubs: number; bytesPerStub: number | null } | null;
  stubs: number;
  sizes: KallsymsSizes;
  /** Symbols in the table built from this image. */
  tableSymbols: number;
  /** Whether this image's stubs are entries of its table (false when a filter drops their names). */
  stubsInTable: boolean;
}

/** Margins (bytes of movement) of the distinct targets on each side of the limit. */
interface Margins {
  /** Core targets every caller still reaches: how far init text can move up before one does not. */
  coreInReach: number[];
  /** Core targets some caller misses: how far init text must move down for all to reach. */
  coreOut: number[];
  /** Fixed-address targets every caller reaches: how far init text can move down before one misses. */
  fixedInReach: number[];
  /** Fixed-address targets some caller misses: how far init text must move up for all to reach. */
  fixedOut: number[];
}

/** Each target's margin is its farthest caller's: one out-of-reach call is enough for a stub. */
function targetMargins(input: GrowthInput): Margins {
  const core = new Map<string, number>();
  const fixed = new Map<string, number>();
  const { coreText, initEnd, addresses, ambiguous } = input;
  for (const site of input.sites) {
    const caller = addresses.get(site.caller);
    const target = addresses.get(site.target);
    if (caller === undefined || target === undefined) continue;
    if (ambiguous.has(site.caller) || ambiguous.has(site.target)) continue;
    const at = caller + BigInt(site.callerOffset);
    const reach = BRANCH_REACH[site.form];
    let margin: number;
    let side: Map<string, number>;
    if (target >= coreText.start && target < coreText.end && target < at) {
      // Core text lies below: moving init text up lengthens the branch.
      margin = reach.backward - Number(at - target);
      side = core;
    } else if (
      target >= initEnd &&
      target > at &&
      (target < coreText.start || target >= coreText.end)
    ) {
      // Fixed above: moving init text up shortens it.
      margin = reach.forward - Number(target - at);
      side = fixed;
    } else continue;
    const known = side.get(site.target);
    if (known === undefined || margin < known) side.set(site.target, margin);
  }
  const split = (side: Map<string, number>) => {
    const inReach: number[] = [];
    const out: number[] = [];
    for (const m of side.values()) {
      if (m >= 0) inReach.push(m);
      else out.push(-m);
    }
    return [inReach.sort((a, b) => a - b), out.sort((a, b) => a - b)];
  };
  const [coreInReach, coreOut] = split(core);
  const [fixedInReach, fixedOut] = split(fixed);
  return { coreInReach, coreOut, fixedInReach, fixedOut };
}

/**
 * Bytes of movement per target at the limit, on the side the move goes:
 * the distance from the limit to the farthest of the targets the move takes
 * past it, over their number; when the move takes fewer than
 * SPACING_TARGETS, the same over the nearest SPACING_TARGETS (or all there
 * are). Targets far from the limit so give a wide spacing, whatever their
 * spacing among themselves. Null when no target is left on that side.
 */
export function spacingOf(margins: readonly number[], move: number): number | null {
  if (margins.length === 0) return null;
  const within = countWithin(margins, move, true);
  const k = within >= SPACING_TARGETS ? within : Math.min(SPACING_TARGETS, margins.length);
  return Math.max(margins[k - 1], 1) / k;
}

/** Targets whose margin the move passes: strictly within for in-reach ones (a margin of 0 still reaches). */
function countWithin(sorted: readonly number[], move: number, inclusive = false): number {
  let n = 0;
  while (n < sorted.length && (inclusive ? sorted[n] <= move : sorted[n] < move)) n++;
  return n;
}

export function predictionOf(ratio: number, tableGrowth: number): GrowthPrediction {
  if (tableGrowth === 0) return 'settled';
  if (ratio <= RATIO_LIMITS.cycles) return 'cycles';
  if (ratio < RATIO_LIMITS.diesOut) return 'dies-out';
  if (ratio <= RATIO_LIMITS.lingers) return 'lingers';
  return 'saturates';
}

/**
 * The marginal table bytes of one more symbol, when no pass has measured a
 * stub's yet: what an entry costs on average (its compressed name, its
 * offset or address, its seqs entry and its share of the markers).
 */
function averageEntryBytes(sizes: KallsymsSizes, symbols: number): number {
  if (symbols === 0) return 0;
  const entries = sizes.names + sizes.offsets + sizes.addresses + sizes.seqsOfNames + sizes.markers;
  return entries / symbols;
}

export function measureGrowth(input: GrowthInput): GrowthFacts {
  const tableGrowth = input.tableBytes - input.linkedTableBytes;
  const stubChange = input.previous ? input.stubs - input.previous.stubs : input.stubs;

  let bytesPerStub: number;
  let bytesPerStubFrom: GrowthFacts['bytesPerStubFrom'];
  if (input.previous && stubChange !== 0) {
    bytesPerStub = (input.tableBytes - input.previous.tableBytes) / stubChange;
    bytesPerStubFrom = 'this-pass';
  } else if (input.previous && input.previous.bytesPerStub !== null) {
    bytesPerStub = input.previous.bytesPerStub;
    bytesPerStubFrom = 'earlier-pass';
  } else {
    bytesPerStub = input.stubsInTable ? averageEntryBytes(input.sizes, input.tableSymbols) : 0;
    bytesPerStubFrom = 'table-average';
  }

  const m = targetMargins(input);
  const move = Math.abs(tableGrowth);
  const up = tableGrowth >= 0;
  // Moving up, core targets in reach go out and fixed ones out of reach come in; down, the reverse.
  const coreSide = up ? m.coreInReach : m.coreOut;
  const fixedSide = up ? m.fixedOut : m.fixedInReach;
  const coreCrossing = countWithin(coreSide, move, !up);
  const fixedCrossing = countWithin(fixedSide, move, up);
  const coreSpacing = spacingOf(coreSide, move);
  const fixedSpacing = spacingOf(fixedSide, move);
  const density = (coreSpacing ? 1 / coreSpacing : 0) - (fixedSpacing ? 1 / fixedSpacing : 0);
  const ratio = bytesPerStub * density;
  return {
    tableGrowth,
    stubChange,
    bytesPerStub: round(bytesPerStub, 2),
    bytesPerStubFrom,
    coreCrossing,
    fixedCrossing,
    predictedStubChange: up ? coreCrossing - fixedCrossing : fixedCrossing - coreCrossing,
    coreSpacing: coreSpacing === null ? null : round(coreSpacing, 2),
    fixedSpacing: fixedSpacing === null ? null : round(fixedSpacing, 2),
    ratio: round(ratio, 3),
    prediction: predictionOf(ratio, tableGrowth),
  };
}

const round = (x: number, digits: number) => Number(x.toFixed(digits));
