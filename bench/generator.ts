/**
 * The kallsyms generator's rate at kernel size (issue 12): the whole step the
 * link loop takes per pass (generateKallsyms, then the table object's layout
 * and bytes) on a kernel-like `nm -n` listing of 150k and 300k text symbols,
 * in CPU time (user + system: on a shared machine it varies far less than
 * wall time), median of `runs` after WARM_UP_RUNS warm-ups (printed too: at
 * 150k the CPU time of ten runs in a row measured 820, 721, 471, 483, 471,
 * 465, 388, 426, 409, 437 ms, V8 compiling on its background threads over
 * the first two or three). The phases are in
 * src/toolchain/kallsyms/bench-kallsyms.ts.
 */
import { TARGETS } from '../src/toolchain/arch/targets.ts';
import { writeRelocatableObject } from '../src/toolchain/elf/write-object.ts';
import { generateKallsyms, layoutKallsyms } from '../src/toolchain/kallsyms/index.ts';
import { kernelLikeListing } from '../src/toolchain/kallsyms/testing/kernel-listing.ts';
import { median } from './browser.ts';

export interface GeneratorRow {
  /** Text symbols asked of the listing generator. */
  size: number;
  /** Symbols in the table (kallsyms_num_syms). */
  symbols: number;
  /** Median CPU ms of the whole step. */
  ms: number;
  /** symbols / s at that median. */
  rate: number;
  /** CPU ms of each warm-up run, not counted. */
  warmUp: number[];
}

/** Runs before the timed ones, so that the median is V8's steady state (the speed of a page's later runs). */
export const WARM_UP_RUNS = 3;

export function measureGenerator(sizes: readonly number[], runs: number): GeneratorRow[] {
  const rows: GeneratorRow[] = [];
  for (const size of sizes) {
    const { text } = kernelLikeListing({ textSymbols: size, seed: 1 });
    let symbols = 0;
    const once = () => {
      const result = generateKallsyms(text, { generation: 'latest', wordSize: 8 });
      symbols = result.counts.tableSymbols;
      writeRelocatableObject(layoutKallsyms(result, TARGETS.ppc64le));
    };
    const cpuMs = (): number => {
      const t0 = process.cpuUsage();
      once();
      const t = process.cpuUsage(t0);
      return (t.user + t.system) / 1000;
    };
    const warmUp = Array.from({ length: WARM_UP_RUNS }, cpuMs);
    const ms = median(Array.from({ length: runs }, cpuMs));
    rows.push({ size, symbols, ms, rate: symbols / (ms / 1000), warmUp });
  }
  return rows;
}

/**
 * How much faster than n log n the time grew from the first size to the
 * last: the time ratio over (n₂ log n₂) / (n₁ log n₁); at most 1 when it
 * grew no faster.
 */
export function growthOverNLogN(rows: readonly GeneratorRow[]): number {
  const a = rows[0];
  const b = rows.at(-1)!;
  const nlogn = (n: number) => n * Math.log(n);
  return b.ms / a.ms / (nlogn(b.symbols) / nlogn(a.symbols));
}
