/**
 * The kernel-sized presets tell their story on real links with the
 * WebAssembly ld.lld over the generated 150,000-function corpus: these tests
 * pin the verdicts, pass counts and stub growth their texts promise.
 *
 * The gap (26 MiB) was found by sweeping it with the native toolchain
 * (corpus/generated/sweep-gap.ts); from 0x1800000 to 0x1d00000 every gap
 * tells the same stories, and ld.lld 16 and 22 give the same stub counts.
 *
 * The loop itself takes each image through ld.lld's stdout (`-o -`, see
 * kbuild/run-loop.ts): the WebAssembly runtime's file system copies the
 * whole file on every write, so a 16 MB image written as a file costs 6–7 s
 * of CPU per link, through stdout 0.4 s.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { obtainCorpus } from '../corpus/obtain-corpus.ts';
import type { RunRecord } from '../kbuild/records.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from './loop-config.ts';
import { findPreset } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

const toolchain = createWasmToolchain();
let corpus: Promise<LoadedCorpus> | undefined;

async function run(id: string, overrides: Partial<Scenario> = {}): Promise<RunRecord> {
  const scenario = parseScenario({ ...findPreset(id)!.scenario, ...overrides });
  corpus ??= obtainCorpus(scenario, nodeCorpusSource());
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, await corpus));
}

const verdictOf = (r: RunRecord) => ({ kind: r.verdict.kind, passes: r.verdict.passes });
const trials = (r: RunRecord) => r.passes.filter((p) => p.step === 'trial');
const stubsPerLink = (r: RunRecord) => r.passes.map((p) => p.stubs.total);

describe('powerpc-2020-large', () => {
  it('links a kernel-sized table: 150,000 generated symbols and more', async () => {
    const scenario = findPreset('powerpc-2020-large')!.scenario;
    expect(scenario.corpus).toBe('generated-v1');
    const record = await run('powerpc-2020-large', { strategy: 'eight-passes' });
    expect(record.corpus.objects).toHaveLength(400);
    expect(record.corpus.compiler).toBe('kallsyms-lab generator v1');
    expect(trials(record)[0].tableObject!.counts.tableSymbols).toBeGreaterThanOrEqual(150_000);

    // Eight passes converge, after more than three: stubs grow and the growth dies out.
    expect(record.verdict.kind).toBe('converged');
    expect(record.verdict.passes).toBeGreaterThan(3);
    expect(record.verdict.passes).toBeLessThanOrEqual(8);
    const stubs = stubsPerLink(record);
    expect(stubs[0]).toBeGreaterThan(0); // the first trial already needs some
    expect(stubs[1] - stubs[0]).toBeGreaterThan(5000); // the 2.3 MB table pushes thousands out
    const added = stubs.slice(1).map((n, i) => n - stubs[i]);
    for (let i = 1; i < added.length; i++) expect(added[i]).toBeLessThanOrEqual(added[i - 1]);
    expect(stubs.at(-1)).toBe(stubs.at(-2));
    expect(record.passes.at(-2)!.stubs.added.every((s) => s.kind === 'long_branch')).toBe(true);
  });

  it('fails with "Inconsistent kallsyms data" under v5.9, after its three trial links', async () => {
    const record = await run('powerpc-2020-large');
    expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
    expect(record.check?.message).toMatch(
      /^Inconsistent kallsyms data\nTry "make KALLSYMS_EXTRA_PASS=1"/,
    );
    const stubs = stubsPerLink(record);
    expect(stubs[1]).toBeGreaterThan(stubs[0]);
    expect(stubs[2]).toBeGreaterThan(stubs[1]);
    expect(stubs[3]).toBeGreaterThan(stubs[2]); // vmlinux still has new stubs
  });

  it('fails the same way with KALLSYMS_EXTRA_PASS', async () => {
    const record = await run('powerpc-2020-large', { extraPass: true });
    expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
  });
});

describe('lld-today-large', () => {
  it('fails under latest on ppc64, with ld.lld __long_branch_ stubs growing', async () => {
    const record = await run('lld-today-large');
    expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
    const [first, second, third] = trials(record);
    expect(second.stubs.added.length).toBeGreaterThan(5000);
    expect(second.stubs.added.every((s) => s.kind === 'long_branch')).toBe(true);
    expect(third.stubs.added.length).toBeGreaterThan(0);
    expect(second.tableObject!.bytes).toBeGreaterThan(first.tableObject!.bytes);
    expect(third.tableObject!.bytes).toBeGreaterThan(second.tableObject!.bytes);
  });

  it('converges after 2 passes once ld.lld’s PPC64 stub names are filtered', async () => {
    const record = await run('lld-today-large', { filterLldStubs: true });
    expect(verdictOf(record)).toEqual({ kind: 'converged', passes: 2 });
    expect(record.passes[1].stubs.total).toBeGreaterThan(10_000);
  });
});
