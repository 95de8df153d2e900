/**
 * The growth ratio of a pass (growth.ts) in words, for the CLI's pass table
 * and the page's: the table bytes each new stub added, the spacing of the
 * call targets the next move of init text takes past the ±32 MiB limit,
 * their ratio, and what it predicts.
 */
import type { GrowthFacts } from './records.ts';

export const PREDICTION_WORDS: Record<GrowthFacts['prediction'], string> = {
  settled: 'settled',
  'dies-out': 'dies out',
  lingers: 'lingers',
  saturates: 'saturates',
  cycles: 'cycles',
};

/** A byte count of movement per target, short: 18.3, 430, 3.1M. */
export function shortBytes(n: number | null): string {
  if (n === null) return '-';
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(0)}k`;
  return n >= 100 ? n.toFixed(0) : n.toFixed(1);
}

/** Spacing of the next targets at the limit: core, and ("f") fixed-address ones when any. */
export function shortSpacing(g: GrowthFacts): string {
  const fixed = g.fixedSpacing === null ? '' : `f${shortBytes(g.fixedSpacing)}`;
  if (g.coreSpacing === null) return fixed || '-';
  return fixed ? `${shortBytes(g.coreSpacing)} ${fixed}` : shortBytes(g.coreSpacing);
}

const WHAT_IT_MEANS: Record<GrowthFacts['prediction'], string> = {
  settled: 'the table did not move init text, so nothing more should change',
  'dies-out': 'each pass should add fewer stubs than the last, so the loop settles',
  lingers:
    'each pass should add about as many stubs as the last, so the loop settles slowly if at all',
  saturates:
    'each pass should add more stubs than the last, until the targets near the limit run out',
  cycles: 'the next table should overshoot back past this one, so the sizes may repeat',
};

const where: Record<GrowthFacts['bytesPerStubFrom'], string> = {
  'this-pass': 'measured on this trial',
  'earlier-pass': 'as last measured (no stub came or went here)',
  'table-average': 'an average table entry (none measured yet)',
};

/**
 * "18.3 table bytes per new stub (measured on this trial); the next targets
 * past the limit lie 430 bytes apart (core), 60 bytes (fixed-address); ratio
 * 0.04: dies out, each pass should add fewer stubs than the last, …"
 */
export function describeGrowth(g: GrowthFacts): string {
  const spacing: string[] = [];
  if (g.coreSpacing !== null) spacing.push(`${shortBytes(g.coreSpacing)} bytes apart in core text`);
  if (g.fixedSpacing !== null)
    spacing.push(`${shortBytes(g.fixedSpacing)} bytes apart at the fixed address`);
  const targets =
    spacing.length > 0
      ? `the next call targets past the limit lie ${spacing.join(' and ')}`
      : 'no call target is left near the limit';
  return (
    `${g.bytesPerStub.toFixed(1)} table bytes per new stub (${where[g.bytesPerStubFrom]}); ` +
    `${targets}; ratio ${g.ratio.toFixed(2)}: ${PREDICTION_WORDS[g.prediction]}, ${WHAT_IT_MEANS[g.prediction]}.`
  );
}
