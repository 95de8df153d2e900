/**
 * The kallsyms generator's rate at kernel size (issue 12): the whole step the
 * link loop takes per pass (generateKallsyms, then the table object's layout
 * and bytes) on a kernel-like `nm -n` listing of 150k and 300k text symbols,
 * in CPU time (user + system: on a shared machine it varies far less than
 * wall time), median of `runs` after one warm-up. The phases are in
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
}

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
    once(); // warm-up: the JIT, the first large allocations
    const cpu: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = process.cpuUsage();
      once();
      const t = process.cpuUsage(t0);
      cpu.push((t.user + t.system) / 1000);
    }
    const ms = median(cpu);
    rows.push({ size, symbols, ms, rate: symbols / (ms / 1000) });
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
