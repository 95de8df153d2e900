/**
 * The layout built to oscillate (`pinned-oscillates`) tells its story on
 * real links, with the WebAssembly ld.lld and with the native one: fixpoint
 * sees a table it has seen before and reports the cycle with its period;
 * eight-passes and latest fail as its text says.
 *
 * The window of pinnedAt where it oscillates was found by a map over real
 * links, `kallsyms-lab sweep --scenario … --param pinnedAt --from 33630000
 * --to 33710000 --steps 33 --param2 pinnedSpacing --from2 44 --to2 76
 * --steps2 9 --toolchain native` with maxPasses 64: the pinned calls lie
 * (pinnedSpacing − 44) bytes apart in distance, and where that is under a
 * stub's ~23 table bytes (spacing 44 to 64) a band of pinnedAt about 10 KB
 * wide oscillates (period 2, and period 4 once), with convergence on both
 * sides; at 72 and 76 some cells converge only after 9 to 17 passes.
 * Every value from 33,657,000 to 33,672,000 bytes gives period 2 at
 * spacing 60; the sizes below are what both linkers give.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { obtainCorpus } from '../corpus/obtain-corpus.ts';
import type { RunRecord } from '../kbuild/records.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createNativeToolchain } from '../llvm/native-toolchain.ts';
import type { Toolchain } from '../llvm/toolchain.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from './loop-config.ts';
import { findPreset } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

const TOOLCHAINS: Array<[string, Toolchain]> = [
  ['wasm', createWasmToolchain()],
  ['native', createNativeToolchain()],
];
let corpus: Promise<LoadedCorpus> | undefined;

async function run(toolchain: Toolchain, overrides: Partial<Scenario> = {}): Promise<RunRecord> {
  const scenario = parseScenario({ ...findPreset('pinned-oscillates')!.scenario, ...overrides });
  corpus ??= obtainCorpus(scenario, nodeCorpusSource());
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, await corpus));
}

const trials = (r: RunRecord) => r.passes.filter((p) => p.step === 'trial');
const tableBytes = (r: RunRecord) => trials(r).map((p) => p.tableObject!.sizes.total);
const stubs = (r: RunRecord) => r.passes.map((p) => p.stubs.total);

describe.each(TOOLCHAINS)('pinned-oscillates (%s ld.lld)', (_, toolchain) => {
  it('oscillates with period 2 under fixpoint: the fourth table is the second', async () => {
    const record = await run(toolchain);
    expect(record.verdict).toMatchObject({ kind: 'oscillating', period: 2, passes: 4 });
    expect(record.verdict.summary).toBe('Oscillating with period 2 after 4 trial links');
    expect(tableBytes(record)).toEqual([85911, 76559, 85911, 76559]);
    expect(stubs(record)).toEqual([400, 0, 400, 0]);
    const [, second, third, fourth] = trials(record);
    expect(fourth.tableObject!.sha256).toBe(second.tableObject!.sha256);
    // The third table has the first's size but not its bytes: init text sat elsewhere.
    expect(third.tableObject!.sha256).not.toBe(trials(record)[0].tableObject!.sha256);
    // No final link: a cycle never reaches vmlinux.
    expect(record.passes.every((p) => p.step === 'trial')).toBe(true);
    expect(record.check).toBeNull();

    // The stubs are for the pinned functions above init text: no core call leaves its reach.
    expect(record.passes.every((p) => p.reach.outOfReach === 0)).toBe(true);
    expect(second.stubs.removed).toHaveLength(400);
    // The ratio each pass measures says so: fixed-address targets closer than a stub's bytes.
    for (const pass of trials(record).slice(1)) {
      expect(pass.growth!.prediction, `pass ${pass.pass}`).toBe('cycles');
      expect(pass.growth!.ratio).toBeLessThanOrEqual(-1);
      expect(pass.growth!.fixedCrossing).toBe(400);
    }
  });

  it('is not converged after eight passes: the sizes still alternate', async () => {
    const record = await run(toolchain, { strategy: 'eight-passes' });
    expect(record.verdict).toMatchObject({ kind: 'not-converged', passes: 8 });
    expect(tableBytes(record)).toEqual([85911, 76559, 85911, 76559, 85911, 76559, 85911, 76559]);
  });

  it('near a ratio of −1 (pinned functions 64 bytes apart) spirals into a cycle of period 4', async () => {
    // A neighbour of the preset on the search's map: the targets lie 20 bytes apart past the
    // limit, about one stub's table bytes, so the sizes swing less each pass and never settle.
    const corpus = findPreset('pinned-oscillates')!
      .scenario.corpus.replace('pinnedSpacing=60', 'pinnedSpacing=64')
      .replace(/pinnedAt=\d+/, 'pinnedAt=33670000');
    const scenario = parseScenario({
      ...findPreset('pinned-oscillates')!.scenario,
      corpus,
      maxPasses: 24,
    });
    const objects = await obtainCorpus(scenario, nodeCorpusSource());
    const record = await runLinkLoop(toolchain, scenarioLoopConfig(scenario, objects));
    expect(record.verdict).toMatchObject({ kind: 'oscillating', period: 4, passes: 18 });
    expect(tableBytes(record)).toEqual([
      85911, 83885, 85244, 84000, 85138, 84103, 85059, 84187, 84991, 84263, 84915, 84339, 84935,
      84312, 84877, 84350, 84935, 84312,
    ]);
    const t = trials(record);
    // Pass 17 has pass 13's size but not its bytes: the loop goes on until an object repeats.
    expect(t[16].tableObject!.sha256).not.toBe(t[12].tableObject!.sha256);
    expect(t[17].tableObject!.sha256).toBe(t[13].tableObject!.sha256);
  });

  it('fails under latest with "Inconsistent kallsyms data" after its three trials', async () => {
    const record = await run(toolchain, { strategy: 'latest' });
    expect(record.verdict).toMatchObject({ kind: 'inconsistent', passes: 3 });
    // The third trial has the stubs its table lists; vmlinux, linked with that table, has none.
    expect(stubs(record)).toEqual([400, 0, 400, 0]);
  });
});
