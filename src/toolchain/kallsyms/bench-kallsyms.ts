/**
 * How fast kallsyms runs at kernel size, phase by phase: a benchmark to run
 * and quote, not a test (a slow or loaded machine must not fail anything).
 *
 *   node --import tsx src/toolchain/kallsyms/bench-kallsyms.ts
 *
 * Environment: BENCH_RUNS (timed runs per case, default 7; one warm-up run
 * comes first), BENCH_SIZES (comma-separated table sizes, default
 * 150000,300000), BENCH_GENERATIONS (default latest,v5.9).
 *
 * Each phase is timed on its own over the previous phase's output, then the
 * whole (generateKallsyms + layoutKallsyms + writeRelocatableObject, as the
 * link loop calls them) is timed separately; the phases therefore need not
 * add up to the whole exactly. The compression runs inside the program build,
 * so "program" is the build's time minus the compression's, run by run.
 */
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { TARGETS } from '../arch/targets.ts';
import { writeRelocatableObject } from '../elf/write-object.ts';

import { pickColumns } from './columns.ts';
import { compressNames } from './compress.ts';
import { generateKallsyms, layoutKallsyms, type Generation } from './index.ts';
import { layoutProgram } from './layout.ts';
import { sortColumns } from './order.ts';
import { printProgram } from './print.ts';
import { buildLatestProgramOf, buildV59ProgramOf, tableEntriesOf } from './program.ts';
import { readColumns } from './read.ts';
import { findTextRangesOf, selectColumns } from './select.ts';
import { kernelLikeListing } from './testing/kernel-listing.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SIZES = (process.env.BENCH_SIZES ?? '150000,300000').split(',').map(Number);
const GENERATIONS = (process.env.BENCH_GENERATIONS ?? 'latest,v5.9').split(',') as Generation[];
const TARGET = TARGETS.ppc64le;

const PHASES = [
  'read',
  'select+sort',
  'compress',
  'program',
  'print',
  'layout',
  'object',
  'total',
  'wall',
] as const;
type Phase = (typeof PHASES)[number];

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2;
};

/**
 * Milliseconds of CPU time (user + system) the process spent in f: on a
 * machine shared with other work this varies far less than wall time, which
 * also counts the time other processes held the cores. (It includes the
 * garbage collector's helper threads, which is the cost we want to see.)
 */
function time<T>(f: () => T): [T, number] {
  const t0 = process.cpuUsage();
  const value = f();
  const t = process.cpuUsage(t0);
  return [value, (t.user + t.system) / 1000];
}

function wallTime(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** One run of every phase; returns milliseconds per phase and the table size. */
function runOnce(listing: string, generation: Generation): [Record<Phase, number>, number] {
  const options = { generation, baseRelative: true };
  const ms = {} as Record<Phase, number>;
  // The same calls generateKallsyms makes, one phase at a time.
  const [read, tRead] = time(() => readColumns(listing, options));
  ms.read = tRead;
  const [table, tSort] = time(() => {
    const ranges = findTextRangesOf(read.kept);
    const selected = selectColumns(read.kept, ranges, { generation });
    return pickColumns(read.kept, sortColumns(read.kept, selected));
  });
  ms['select+sort'] = tSort;
  const [, tCompress] = time(() => compressNames(tableEntriesOf(table)));
  ms.compress = tCompress;
  const input = { table, textAddr: read.textAddr };
  const [program, tBuild] = time(() =>
    generation === 'latest'
      ? buildLatestProgramOf(input)
      : buildV59ProgramOf(input, { baseRelative: true }),
  );
  ms.program = tBuild - tCompress;
  ms.print = time(() => printProgram(program))[1];
  const [spec, tLayout] = time(() => layoutProgram(program, TARGET));
  ms.layout = tLayout;
  ms.object = time(() => writeRelocatableObject(spec))[1];
  const whole = (): Uint8Array =>
    writeRelocatableObject(
      layoutKallsyms(generateKallsyms(listing, { ...options, wordSize: 8 }), TARGET),
    );
  ms.total = time(whole)[1];
  ms.wall = wallTime(whole);
  return [ms, table.count];
}

function main(): void {
  console.log(
    `kallsyms benchmark: node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}; ${RUNS} runs + 1 warm-up.\n` +
      `Medians of CPU ms (user + system) per phase; 'total' is the whole pipeline in CPU ms, ` +
      `'wall' the whole again in wall-clock ms; symbols/s from 'total'.`,
  );
  const header = ['case', 'symbols', ...PHASES, 'symbols/s'];
  const rows: string[][] = [header];
  for (const size of SIZES) {
    const { text: listing, lines } = kernelLikeListing({ textSymbols: size, seed: 1 });
    for (const generation of GENERATIONS) {
      runOnce(listing, generation); // warm-up: JIT, and the first big allocations
      const samples = Object.fromEntries(PHASES.map((p) => [p, [] as number[]])) as Record<
        Phase,
        number[]
      >;
      let tableSymbols = 0;
      for (let r = 0; r < RUNS; r++) {
        const [ms, count] = runOnce(listing, generation);
        tableSymbols = count;
        for (const p of PHASES) samples[p].push(ms[p]);
      }
      const med = PHASES.map((p) => median(samples[p]));
      const total = med[PHASES.indexOf('total')];
      rows.push([
        `${generation} ${lines} lines`,
        String(tableSymbols),
        ...med.map((m) => m.toFixed(0)),
        String(Math.round(tableSymbols / (total / 1000))),
      ]);
    }
  }
  const widths = header.map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => cell.padStart(widths[c])).join('  '));
  console.log(`load average after: ${loadavg()[0].toFixed(2)}`);
}

main();
