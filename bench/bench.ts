/**
 * `npm run bench`: the time of each part of a pass (link, listing, kallsyms,
 * object) and of the whole loop, for every preset, with the WebAssembly
 * toolchain and, when installed, the native one. Several runs, medians.
 * Prints a table and writes bench-results.json.
 */
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { LoadedCorpus } from '../src/toolchain/corpus/load-corpus.ts';
import { obtainCorpus } from '../src/toolchain/corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../src/toolchain/corpus/node-source.ts';
import { runLinkLoop } from '../src/toolchain/kbuild/run-loop.ts';
import {
  createNativeToolchain,
  NativeToolMissingError,
} from '../src/toolchain/llvm/native-toolchain.ts';
import type { Toolchain } from '../src/toolchain/llvm/toolchain.ts';
import { createWasmToolchain } from '../src/toolchain/llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../src/toolchain/scenario/loop-config.ts';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

interface Row {
  preset: string;
  toolchain: string;
  passes: number;
  verdict: string;
  link: number;
  listing: number;
  kallsyms: number;
  object: number;
  loop: number;
}

async function bench(toolchain: Toolchain, corpora: Map<string, LoadedCorpus>): Promise<Row[]> {
  const rows: Row[] = [];
  for (const preset of PRESETS) {
    const corpus = corpora.get(`${preset.scenario.corpus} ${preset.scenario.arch}`)!;
    const config = scenarioLoopConfig(preset.scenario, corpus);
    await runLinkLoop(toolchain, config); // warm-up: the first wasm run also compiles the modules
    const parts = {
      link: [] as number[],
      listing: [] as number[],
      kallsyms: [] as number[],
      object: [] as number[],
    };
    const loops: number[] = [];
    let last;
    for (let i = 0; i < RUNS; i++) {
      last = await runLinkLoop(toolchain, config);
      loops.push(last.totalMs);
      for (const pass of last.passes.filter((p) => p.step === 'trial')) {
        for (const key of Object.keys(parts) as Array<keyof typeof parts>)
          parts[key].push(pass.timings[key]);
      }
    }
    rows.push({
      preset: preset.id,
      toolchain: toolchain.kind,
      passes: last!.verdict.passes,
      verdict: last!.verdict.kind,
      link: median(parts.link),
      listing: median(parts.listing),
      kallsyms: median(parts.kallsyms),
      object: median(parts.object),
      loop: median(loops),
    });
    console.error(`  ${toolchain.kind} ${preset.id}: ${median(loops).toFixed(0)} ms`);
  }
  return rows;
}

async function main() {
  const corpora = new Map<string, LoadedCorpus>();
  for (const preset of PRESETS) {
    const key = `${preset.scenario.corpus} ${preset.scenario.arch}`;
    if (!corpora.has(key))
      corpora.set(key, await obtainCorpus(preset.scenario, nodeCorpusSource()));
  }
  const rows = await bench(createWasmToolchain(), corpora);
  let nativeNote = '';
  try {
    rows.push(...(await bench(createNativeToolchain(), corpora)));
  } catch (error) {
    if (!(error instanceof NativeToolMissingError)) throw error;
    nativeNote = error.message;
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
  console.log(
    `machine: ${machine}; ${RUNS} runs per row after one warm-up; medians in ms (per trial pass, and the whole loop)`,
  );
  console.log(
    ['preset', 'toolchain', 'passes', 'verdict', 'link', 'listing', 'kallsyms', 'object', 'loop']
      .map((h, i) => (i < 2 ? h.padEnd(16) : h.padStart(13)))
      .join(''),
  );
  for (const r of rows) {
    console.log(
      [
        r.preset.padEnd(16),
        r.toolchain.padEnd(16),
        String(r.passes).padStart(13),
        r.verdict.padStart(13),
        ...[r.link, r.listing, r.kallsyms, r.object, r.loop].map((x) => x.toFixed(1).padStart(13)),
      ].join(''),
    );
  }
  for (const preset of PRESETS) {
    const w = rows.find((r) => r.preset === preset.id && r.toolchain === 'wasm');
    const n = rows.find((r) => r.preset === preset.id && r.toolchain === 'native');
    if (w && n)
      console.log(`${preset.id}: wasm loop / native loop = ${(w.loop / n.loop).toFixed(2)}`);
  }
  if (nativeNote) console.log(`native toolchain not measured: ${nativeNote}`);
  writeFileSync(
    'bench-results.json',
    JSON.stringify({ machine, runs: RUNS, rows }, null, 2) + '\n',
  );
}

await main();
