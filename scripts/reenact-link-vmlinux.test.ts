/**
 * The engine against an independent re-enactment of the kernel's link script
 * (reenact-link-vmlinux.sh: ld.lld-16, llvm-nm-16, sed, clang-16 as the
 * assembler). Both run the same corpus with the same linker script; per
 * trial they must build tables of the same symbol count and `.rodata` size,
 * table objects of the same file size, and reach the same verdict after the
 * same number of trial links.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/toolchain/corpus/load-corpus.ts';
import { nodeCorpusSource } from '../src/toolchain/corpus/node-source.ts';
import type { RunRecord } from '../src/toolchain/kbuild/records.ts';
import { runLinkLoop } from '../src/toolchain/kbuild/run-loop.ts';
import { createNativeToolchain } from '../src/toolchain/llvm/native-toolchain.ts';
import { scenarioLoopConfig } from '../src/toolchain/scenario/loop-config.ts';
import { findPreset } from '../src/toolchain/scenario/presets.ts';
import { parseScenario, type Scenario } from '../src/toolchain/scenario/schema.ts';

const SCRIPT = fileURLToPath(new URL('./reenact-link-vmlinux.sh', import.meta.url));
const NATIVE_TOOLS = ['clang-16', 'ld.lld-16', 'llvm-nm-16', 'llvm-size-16'];
const INSTALL_HINT = 'apt-get install clang-16 lld-16 llvm-16';

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  return new Promise<Outcome>((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ code: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

/** One table object as either side saw it. */
interface TablePass {
  pass: number;
  object: string;
  numSyms: number;
  rodata: number;
}

interface MapCheck {
  lines: number;
  lastTrialLines: number;
  /** 1-based, null when the maps are equal. */
  firstDifference: number | null;
}

interface Reenactment {
  passes: Array<TablePass & { size: number }>;
  systemMap: MapCheck | undefined;
  verdict: { kind: string; passes: number };
}

const PASS_LINE = /^pass (\d+) num_syms=(\d+) rodata=(\d+) size=(\d+) object=(\S+)$/;
const MAP_LINE = /^system_map lines=(\d+) last_trial_lines=(\d+) first_difference=(\d+|none)$/;
const VERDICT_LINE = /^verdict (\S+) (\d+)$/;

function parseReenactment(out: Outcome): Reenactment {
  const passes: Reenactment['passes'] = [];
  let verdict: Reenactment['verdict'] | undefined;
  let systemMap: MapCheck | undefined;
  for (const line of out.stdout.split('\n')) {
    const p = PASS_LINE.exec(line);
    if (p) {
      passes.push({
        pass: Number(p[1]),
        numSyms: Number(p[2]),
        rodata: Number(p[3]),
        size: Number(p[4]),
        object: p[5],
      });
    }
    const m = MAP_LINE.exec(line);
    if (m) {
      systemMap = {
        lines: Number(m[1]),
        lastTrialLines: Number(m[2]),
        firstDifference: m[3] === 'none' ? null : Number(m[3]),
      };
    }
    const v = VERDICT_LINE.exec(line);
    if (v) verdict = { kind: v[1], passes: Number(v[2]) };
  }
  if (!verdict || out.code === 2) {
    throw new Error(
      `reenact-link-vmlinux.sh exited ${out.code} without a verdict.\n` +
        `stdout:\n${out.stdout}\nstderr:\n${out.stderr}`,
    );
  }
  return { passes, systemMap, verdict };
}

interface Case {
  preset: string;
  overrides?: Partial<Scenario>;
}

/**
 * filterLldStubs is the lab's own extension: the kernel's script has no such
 * switch, so no variant uses it here.
 */
const CASES: Case[] = [
  { preset: 'powerpc-2020' },
  { preset: 'powerpc-2020', overrides: { strategy: 'eight-passes' } },
  { preset: 'lld-today' },
  { preset: 'ppc32-thunks' },
  { preset: 'ppc32-thunks', overrides: { strategy: 'v5.9', generation: 'v5.9' } },
  { preset: 'small-converges' },
  // KALLSYMS_EXTRA_PASS where it changes something: equal sizes after two
  // trials (a third on request), and after eight-passes has converged.
  { preset: 'small-converges', overrides: { extraPass: true } },
  { preset: 'powerpc-2020', overrides: { strategy: 'eight-passes', extraPass: true } },
];

const label = (c: Case) =>
  [c.preset, ...Object.entries(c.overrides ?? {}).map(([k, v]) => `${k}=${String(v)}`)].join(' ');

/** Runs the engine natively and the re-enactment on the same inputs. */
async function compare(c: Case) {
  const scenario = parseScenario({ ...findPreset(c.preset)!.scenario, ...c.overrides });
  const corpus = await loadCorpus(nodeCorpusSource(), scenario.arch);
  const config = scenarioLoopConfig(scenario, corpus);

  // The linker script, and the texts both sides must make alike: each table
  // source, and (latest) each mksysmap-filtered listing.
  let lds: string | undefined;
  const engineTexts = new Map<string, string>();
  const engineObjects = new Map<string, Uint8Array>();
  const text = (bytes: Uint8Array | string) =>
    typeof bytes === 'string' ? bytes : Buffer.from(bytes).toString('latin1');
  const record: RunRecord = await runLinkLoop(createNativeToolchain(), config, {
    onArtifact(name, bytes) {
      if (name === 'vmlinux.lds') lds = text(bytes);
      else if (name.endsWith('.kallsyms.o') || /\.kallsyms\d+\.o$/.test(name))
        engineObjects.set(name, bytes instanceof Uint8Array ? bytes : Buffer.from(bytes, 'latin1'));
      else if (name.endsWith('.S') || (config.generation === 'latest' && name.endsWith('.syms')))
        engineTexts.set(name, text(bytes));
    },
  });
  expect(lds, 'the engine hands out its vmlinux.lds').toBeDefined();

  const dir = await mkdtemp(join(tmpdir(), 'reenact-link-vmlinux-'));
  try {
    for (const o of corpus.objects) {
      await mkdir(dirname(join(dir, o.name)), { recursive: true });
      await writeFile(join(dir, o.name), o.bytes);
    }
    await writeFile(join(dir, 'objects.list'), corpus.objects.map((o) => o.name).join('\n') + '\n');
    await writeFile(join(dir, 'vmlinux.lds'), lds!);
    const args = [
      ...['--dir', dir, '--objects', join(dir, 'objects.list')],
      ...['--triple', config.target.clangTriple],
      ...['--strategy', config.strategy, '--generation', config.generation],
      ...(config.baseRelative ? ['--base-relative'] : []),
      ...(config.allSymbols ? ['--all-symbols'] : []),
    ];
    const env = {
      ...process.env,
      KALLSYMS_EXTRA_PASS: config.extraPass ? '1' : '',
      LDFLAGS_vmlinux: config.extraLinkerFlags.join(' '),
    };
    const script = parseReenactment(await run(SCRIPT, args, env));
    const scriptTexts = new Map<string, string>();
    for (const name of engineTexts.keys()) {
      const path = join(dir, name);
      scriptTexts.set(name, await readFile(path, 'latin1').catch(() => '(missing)'));
    }
    const scriptObjects = new Map<string, Uint8Array | null>();
    for (const name of engineObjects.keys()) {
      scriptObjects.set(name, await readFile(join(dir, name)).catch(() => null));
    }
    return { record, script, engineTexts, scriptTexts, engineObjects, scriptObjects };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

describe('reenact-link-vmlinux.sh agrees with the engine (native ld.lld-16)', () => {
  beforeAll(async () => {
    // Never skip: a missing tool is a failure that says what to install.
    const missing: string[] = [];
    for (const tool of NATIVE_TOOLS) {
      const found = await run('sh', ['-c', `command -v ${tool}`]);
      if (found.code !== 0) missing.push(tool);
    }
    if (missing.length > 0) {
      throw new Error(`missing native tools: ${missing.join(', ')}. Install them: ${INSTALL_HINT}`);
    }
  });

  it.concurrent.each(CASES.map((c) => [label(c), c] as const))('%s', async (_, c) => {
    const { record, script, engineTexts, scriptTexts, engineObjects, scriptObjects } =
      await compare(c);
    expect(record.toolchain).toBe('native');
    expect(record.verdict.kind, record.verdict.summary).not.toBe('link-failed');

    // The engine's table objects, with latest's empty one as pass 0.
    const engine: Array<TablePass & { size: number }> = [];
    if (record.emptyTableObject) {
      const t = record.emptyTableObject;
      engine.push({
        pass: 0,
        object: t.name,
        numSyms: t.counts.tableSymbols,
        rodata: t.sizes.total,
        size: t.bytes,
      });
    }
    for (const p of record.passes) {
      if (p.step !== 'trial' || !p.tableObject) continue;
      const t = p.tableObject;
      engine.push({
        pass: p.pass,
        object: t.name,
        numSyms: t.counts.tableSymbols,
        rodata: t.sizes.total,
        size: t.bytes,
      });
    }

    const withoutSize = (p: TablePass): TablePass => ({
      pass: p.pass,
      object: p.object,
      numSyms: p.numSyms,
      rodata: p.rodata,
    });
    const sizes = (passes: Array<TablePass & { size: number }>) =>
      passes.map((p) => ({ pass: p.pass, object: p.object, size: p.size }));

    expect(engine.length, 'at least two trials').toBeGreaterThanOrEqual(2);

    // The same verdict after the same number of trial links.
    expect(script.verdict).toEqual({ kind: record.verdict.kind, passes: record.verdict.passes });
    // The same final System.map check: map lengths and the first differing line.
    expect(script.systemMap).toEqual({
      lines: record.check!.finalLines,
      lastTrialLines: record.check!.trialLines,
      firstDifference: record.check!.differences[0]?.line ?? null,
    });
    // Per pass: the same file names, symbol counts and .rodata sizes.
    expect(script.passes.map(withoutSize)).toEqual(engine.map(withoutSize));
    // Per pass: clang-16's object and the project's ELF writer have the same file size.
    expect(sizes(script.passes), "clang-16's table object size vs the project's writer").toEqual(
      sizes(engine),
    );
    // Stronger than counts: llvm-nm-16 | sed | kallsyms made the same table
    // sources (and, for latest, the same .syms files) as the engine.
    for (const [name, made] of engineTexts) {
      expect(scriptTexts.get(name) === made, `${name} differs from the engine's`).toBe(true);
    }
    expect(engineTexts.size).toBeGreaterThanOrEqual(engine.length);
    // Strongest: the project's ELF writer made clang-16's table objects byte for byte.
    expect(engineObjects.size).toBe(engine.length);
    for (const [name, made] of engineObjects) {
      const assembled = scriptObjects.get(name);
      expect(assembled, `${name} was assembled by the script`).toBeTruthy();
      expect(Buffer.from(made).equals(Buffer.from(assembled!)), `${name}: writer vs clang-16`).toBe(
        true,
      );
    }
  });
});
