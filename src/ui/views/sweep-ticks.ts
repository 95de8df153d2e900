/**
 * Round ticks for a sweep's x axis. The chart places step i at x = i (the
 * steps are evenly spaced: linearly for gap, maxPasses and base, by powers
 * of two for align); the ticks are round values of the parameter ("30",
 * "32") put where they fall between steps, not the steps' own values
 * ("29.0159", "30.0317").
 */
import { isCorpusAxis, type SweepAxis, type SweepValue } from '../../toolchain/sweep/index.ts';

export interface SweepTick {
  /** Position on the axis, in steps (0 … steps − 1; fractional between steps). */
  at: number;
  label: string;
}

/** The smallest of 1, 2, 2.5, 5 × 10^k that is at least `raw`. */
function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= raw * (1 - 1e-9)) return m * p;
  return 10 * p;
}

/** Round values from lo to hi, about `target` of them (never more than target + 1). */
function roundValues(lo: number, hi: number, target: number): { values: number[]; step: number } {
  if (hi === lo) return { values: [lo], step: 1 };
  const step = niceStep((hi - lo) / target);
  // Steps are whole bytes: 31.9 MiB runs as 31.8999996 MiB, and still earns its tick.
  const slack = step * 1e-3;
  const values: number[] = [];
  for (let k = Math.ceil((lo - slack) / step); k * step <= hi + slack; k++) values.push(k * step);
  return { values, step };
}

const KiB = 1024;
/** 4096 → "4K", 16777216 → "16M": powers of two, in the few characters an axis has room for. */
function alignLabel(bytes: number): string {
  if (bytes >= KiB * KiB && bytes % (KiB * KiB) === 0) return `${bytes / (KiB * KiB)}M`;
  if (bytes >= KiB && bytes % KiB === 0) return `${bytes / KiB}K`;
  return String(bytes);
}

/**
 * Ticks for `values` (every step's value, in step order), about `target`
 * of them. The first and last value are those the sweep asked for, so the
 * axis spans from → to whichever way it runs.
 */
export function sweepTicks(param: SweepAxis, values: SweepValue[], target = 5): SweepTick[] {
  const n = values.length;
  if (n === 0) return [];
  if (n === 1) return [{ at: 0, label: String(values[0]) }];
  const last = n - 1;

  if (param === 'base') {
    const from = BigInt(values[0] as string);
    const to = BigInt(values[last] as string);
    const span = to > from ? to - from : from - to;
    if (span === 0n) return [{ at: 0, label: values[0] as string }];
    // A power of two: hex addresses stay round ("0xc000000002000000").
    let step = 1n;
    while (span / step > BigInt(target)) step *= 2n;
    const lo = to > from ? from : to;
    const hi = to > from ? to : from;
    const ticks: SweepTick[] = [];
    for (let v = ((lo + step - 1n) / step) * step; v <= hi; v += step) {
      const at = Number(((v - from) * 1_000_000n) / (to - from)) / 1_000_000;
      ticks.push({ at: at * last, label: `0x${v.toString(16)}` });
    }
    return ticks;
  }

  const numbers = values as number[];
  const from = numbers[0];
  const to = numbers[last];
  if (param === 'align' || param === 'functionAlign') {
    // Steps are evenly spaced in log2: every power of two, or every k-th.
    const e0 = Math.log2(from);
    const e1 = Math.log2(to);
    const lo = Math.ceil(Math.min(e0, e1));
    const hi = Math.floor(Math.max(e0, e1));
    const every = Math.max(1, Math.ceil((hi - lo) / (target + 1)));
    const ticks: SweepTick[] = [];
    for (let e = lo; e <= hi; e += every)
      ticks.push({ at: ((e - e0) / (e1 - e0)) * last, label: alignLabel(2 ** e) });
    return ticks;
  }

  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  const { values: round, step } = roundValues(lo, hi, target);
  // maxPasses and the corpus knobs are whole numbers: no tick between two.
  const whole = param === 'maxPasses' || isCorpusAxis(param);
  const usable = whole ? round.filter((v) => Number.isInteger(v)) : round;
  const decimals = Math.max(0, Math.ceil(-Math.log10(step) - 1e-9));
  return usable.map((v) => ({
    at: ((v - from) / (to - from)) * last + 0, // + 0: no -0

    label: compact(Number(v.toFixed(decimals + 1)), step),
  }));
}

/** 33640000 → "33.64M", 150000 → "150k": large whole numbers in the room an axis has. */
function compact(v: number, step: number): string {
  const abs = Math.abs(v);
  if (abs < 100_000) return String(v);
  const [unit, letter] = abs >= 1e6 ? [1e6, 'M'] : [1e3, 'k'];
  const digits = Math.max(0, Math.ceil(Math.log10(unit / step) - 1e-9));
  return `${Number((v / unit).toFixed(digits))}${letter}`;
}
