/**
 * Every chapter's scenario is valid and every figure its text states holds on
 * real links with the WebAssembly ld.lld: a corpus or linker change that
 * makes a sentence untrue fails here.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../../toolchain/corpus/load-corpus.ts';
import { nodeCorpusSource } from '../../toolchain/corpus/node-source.ts';
import type { RunRecord } from '../../toolchain/kbuild/records.ts';
import { runLinkLoop } from '../../toolchain/kbuild/run-loop.ts';
import { createWasmToolchain } from '../../toolchain/llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../../toolchain/scenario/loop-config.ts';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import { parseScenario, type Scenario } from '../../toolchain/scenario/schema.ts';
import { CHAPTERS, type Chapter } from './chapters.ts';

const toolchain = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

function scenarioOf(chapter: Chapter, more: Partial<Scenario> = {}): Scenario {
  return parseScenario({ ...findPreset(chapter.preset)!.scenario, ...chapter.changes, ...more });
}

async function run(scenario: Scenario): Promise<RunRecord> {
  if (!corpora.has(scenario.arch))
    corpora.set(scenario.arch, loadCorpus(nodeCorpusSource(), scenario.arch));
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, await corpora.get(scenario.arch)!));
}

const chapter = (id: string) => CHAPTERS.find((c) => c.id === id)!;
const verdict = (r: RunRecord) => `${r.verdict.kind} ${r.verdict.passes}`;
const trials = (r: RunRecord) => r.passes.filter((p) => p.step === 'trial');

describe('the story', () => {
  it('has unique ids, a valid scenario, a pass and outside links per chapter', () => {
    expect(new Set(CHAPTERS.map((c) => c.id)).size).toBe(CHAPTERS.length);
    for (const c of CHAPTERS) {
      expect(() => scenarioOf(c)).not.toThrow();
      expect(c.paragraphs.length).toBeGreaterThan(0);
      expect(c.links.length).toBeGreaterThan(0);
      for (const link of c.links)
        expect(link.href).toMatch(
          /^https:\/\/(elixir\.bootlin\.com|lore\.kernel\.org|github\.com)\//,
        );
    }
  });

  it('opens each chapter at a pass its run has', async () => {
    for (const c of CHAPTERS) {
      const record = await run(scenarioOf(c));
      if (c.pass !== 'vmlinux') expect(trials(record).length).toBeGreaterThanOrEqual(c.pass);
      else expect(record.passes.at(-1)!.step).toBe('vmlinux');
    }
  });

  it('a-loop-that-converges: trial 1 and 2 tables are the same size, init text does not move, converged after 2', async () => {
    const record = await run(scenarioOf(chapter('a-loop-that-converges')));
    expect(verdict(record)).toBe('converged 2');
    const [t1, t2] = trials(record);
    expect(t2.tableObject!.bytes).toBe(t1.tableObject!.bytes);
    expect(new Set(record.passes.map((p) => p.layout.symbols._sinittext)).size).toBe(1);
  });

  it('stubs-grow-the-table: new stubs fall 208, 15, 1, 0 under eight passes', async () => {
    const record = await run(scenarioOf(chapter('stubs-grow-the-table')));
    expect(
      trials(record)
        .slice(1)
        .map((p) => p.stubs.added.length),
    ).toEqual([208, 15, 1, 0]);
    expect(record.passes[1].stubs.added[0].name.startsWith('__long_branch_')).toBe(true);
  });

  it('the-2020-report: v5.9 inconsistent, also with KALLSYMS_EXTRA_PASS; eight passes converge after 5', async () => {
    const c = chapter('the-2020-report');
    expect(verdict(await run(scenarioOf(c)))).toBe('inconsistent 3');
    expect(verdict(await run(scenarioOf(c, { extraPass: true })))).toBe('inconsistent 3');
    expect(verdict(await run(scenarioOf(c, { strategy: 'eight-passes' })))).toBe('converged 5');
  });

  it('the-fix-and-lld: latest is inconsistent on ppc64; the stub filter converges after 2', async () => {
    const c = chapter('the-fix-and-lld');
    const record = await run(scenarioOf(c));
    expect(record.verdict.kind).toBe('inconsistent');
    expect(record.strategy).toBe('latest');
    expect(verdict(await run(scenarioOf(c, { filterLldStubs: true })))).toBe('converged 2');
  });

  it('ppc32-thunks: latest converges after 2 with hundreds of __LongThunk_ stubs; v5.9 is inconsistent', async () => {
    const c = chapter('ppc32-thunks');
    const record = await run(scenarioOf(c));
    expect(verdict(record)).toBe('converged 2');
    expect(record.passes[1].stubs.total).toBeGreaterThanOrEqual(200);
    expect(record.passes[1].stubs.added.every((s) => s.name.startsWith('__LongThunk_'))).toBe(true);
    const old = await run(scenarioOf(c, { generation: 'v5.9', strategy: 'v5.9' }));
    expect(old.verdict.kind).toBe('inconsistent');
  });

  it('growth-that-lingers: about 20 table bytes per new stub and a target about every 20 bytes; 8 and 16 passes do not converge; the filter converges after 3', async () => {
    const c = chapter('growth-that-lingers');
    const record = await run(scenarioOf(c));
    expect(verdict(record)).toBe('not-converged 16');
    const later = trials(record).slice(3);
    for (let i = 1; i < later.length; i++) {
      const grew = later[i].tableObject!.bytes - later[i - 1].tableObject!.bytes;
      const moved = Number(
        BigInt(later[i].layout.symbols._sinittext!) -
          BigInt(later[i - 1].layout.symbols._sinittext!),
      );
      const stubs = later[i].stubs.added.length;
      expect(grew / stubs).toBeGreaterThan(14);
      expect(grew / stubs).toBeLessThan(26);
      expect(moved / stubs).toBeGreaterThan(14);
      expect(moved / stubs).toBeLessThan(30);
    }
    expect(verdict(await run(scenarioOf(c, { strategy: 'eight-passes' })))).toBe('not-converged 8');
    expect(verdict(await run(scenarioOf(c, { filterLldStubs: true })))).toBe('converged 3');
  });
});
