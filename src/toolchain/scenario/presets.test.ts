/**
 * Every preset tells its story on real links with the WebAssembly ld.lld:
 * these tests pin the verdict and pass count each preset's text promises.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import type { RunRecord } from '../kbuild/records.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from './loop-config.ts';
import { findPreset, PRESETS } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

const toolchain = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

async function run(
  id: string,
  overrides: Partial<Scenario> = {},
  onArtifact?: (name: string, bytes: Uint8Array | string) => void,
): Promise<RunRecord> {
  const scenario = parseScenario({ ...findPreset(id)!.scenario, ...overrides });
  if (!corpora.has(scenario.arch))
    corpora.set(scenario.arch, loadCorpus(nodeCorpusSource(), scenario.arch));
  const corpus = await corpora.get(scenario.arch)!;
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, corpus), { onArtifact });
}

const verdictOf = (r: RunRecord) => ({ kind: r.verdict.kind, passes: r.verdict.passes });

describe('presets', () => {
  it('are valid scenarios with an explanation each', () => {
    for (const preset of PRESETS) {
      expect(() => parseScenario(preset.scenario)).not.toThrow();
      expect(preset.explanation.length).toBeGreaterThan(100);
    }
  });

  describe('small-converges', () => {
    it.each(['latest', 'v5.9', 'eight-passes', 'fixpoint'] as const)(
      'converges after 2 passes with the %s strategy and no stubs',
      async (strategy) => {
        const record = await run('small-converges', {
          strategy,
          generation: strategy === 'latest' || strategy === 'fixpoint' ? 'latest' : 'v5.9',
        });
        expect(verdictOf(record)).toEqual({ kind: 'converged', passes: 2 });
        expect(record.passes.every((p) => p.stubs.total === 0)).toBe(true);
      },
    );
  });

  describe('powerpc-2020', () => {
    it('fails with "Inconsistent kallsyms data" under v5.9, after its three trial links', async () => {
      const record = await run('powerpc-2020');
      expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
      expect(record.check?.message).toMatch(
        /^Inconsistent kallsyms data\nTry "make KALLSYMS_EXTRA_PASS=1"/,
      );
      // The table keeps growing because every new stub is a new symbol.
      const stubs = record.passes.map((p) => p.stubs.total);
      expect(stubs[1]).toBeGreaterThan(stubs[0]);
      expect(stubs[2]).toBeGreaterThan(stubs[1]);
    });

    it('fails the same way with KALLSYMS_EXTRA_PASS', async () => {
      const record = await run('powerpc-2020', { extraPass: true });
      expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
    });

    it('converges with eight passes, after more than 3', async () => {
      const record = await run('powerpc-2020', { strategy: 'eight-passes' });
      expect(record.verdict.kind).toBe('converged');
      expect(record.verdict.passes).toBeGreaterThan(3);
      expect(record.verdict.passes).toBeLessThanOrEqual(8);
    });

    it('leaves every kallsyms table in .rodata between _etext and _sinittext of vmlinux (llvm-nm)', async () => {
      let vmlinux: Uint8Array | undefined;
      await run('powerpc-2020', { strategy: 'eight-passes' }, (name, bytes) => {
        if (name === 'vmlinux' && bytes instanceof Uint8Array) vmlinux = bytes;
      });
      const nm = await toolchain.run('llvm-nm', ['-f', 'sysv', 'vmlinux'], { vmlinux: vmlinux! });
      const rows = new Map(
        new TextDecoder()
          .decode(nm.stdout)
          .split('\n')
          .map((line) => line.split('|').map((f) => f.trim()))
          .filter((f) => f.length >= 7 && /^[0-9a-f]+$/.test(f[1]))
          .map((f) => [f[0], { address: BigInt(`0x${f[1]}`), section: f[6] }] as const),
      );
      const etext = rows.get('_etext')!.address;
      const sinittext = rows.get('_sinittext')!.address;
      const tables = [
        'kallsyms_offsets',
        'kallsyms_relative_base',
        'kallsyms_num_syms',
        'kallsyms_names',
        'kallsyms_markers',
        'kallsyms_token_table',
        'kallsyms_token_index',
      ];
      for (const name of tables) {
        const row = rows.get(name);
        expect(row, name).toBeDefined();
        expect(row!.section, name).toBe('.rodata');
        expect(row!.address >= etext && row!.address < sinittext, name).toBe(true);
      }
    });
  });

  describe('lld-today', () => {
    it('fails under latest on ppc64, with ld.lld __long_branch_ stubs growing', async () => {
      const record = await run('lld-today');
      expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
      expect(record.passes[1].stubs.added.every((s) => s.kind === 'long_branch')).toBe(true);
      expect(record.passes[1].stubs.added.length).toBeGreaterThan(0);
    });

    it('converges after 2 passes once ld.lld’s PPC64 stub names are filtered', async () => {
      const record = await run('lld-today', { filterLldStubs: true });
      expect(verdictOf(record)).toEqual({ kind: 'converged', passes: 2 });
      expect(record.passes[1].stubs.total).toBeGreaterThan(0);
    });
  });

  describe('ppc32-thunks', () => {
    it('converges under latest: the Thunk_ rule hides __LongThunk_ stubs', async () => {
      const record = await run('ppc32-thunks');
      expect(verdictOf(record)).toEqual({ kind: 'converged', passes: 2 });
      expect(record.passes[1].stubs.byKind.LongThunk).toBeGreaterThan(0);
    });

    it('fails under v5.9, which does not know the name', async () => {
      const record = await run('ppc32-thunks', { strategy: 'v5.9', generation: 'v5.9' });
      expect(verdictOf(record)).toEqual({ kind: 'inconsistent', passes: 3 });
    });
  });

  describe('never-converges', () => {
    it('is not converged after a 16-pass fixpoint', async () => {
      const record = await run('never-converges');
      expect(verdictOf(record)).toEqual({ kind: 'not-converged', passes: 16 });
      const sizes = record.passes.filter((p) => p.tableObject).map((p) => p.tableObject!.bytes);
      expect(sizes.at(-1)).toBeGreaterThan(sizes.at(-2)!);
    });

    it('is not converged after eight passes either', async () => {
      const record = await run('never-converges', { strategy: 'eight-passes' });
      expect(verdictOf(record)).toEqual({ kind: 'not-converged', passes: 8 });
    });
  });
});
