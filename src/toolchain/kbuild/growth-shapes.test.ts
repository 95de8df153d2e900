/**
 * The growth ratio each pass measures predicts what the loop does, on
 * three shapes of one generated corpus, linked for real (WebAssembly
 * ld.lld): a pool of 1,500 tiny leaf functions at the bottom of core text
 * takes every __init call, and the gap puts the ±32 MiB limit 8 KB into it
 * once the first table is linked. Only the pool's spacing and the names'
 * length differ:
 *
 * - functions 64 bytes apart: a stub's ~27 table bytes cross well under one
 *   target, the growth dies out;
 * - 8 bytes apart: about one target per stub, the growth lingers pass
 *   after pass;
 * - 8 bytes apart with 100-character names (~40 bytes per stub): more than
 *   one target per stub, the growth speeds up until the pool is used up.
 *
 * Each gap was found with the native ld.lld: a first link at a gap with no
 * stub gave the farthest call's margin, and the gap was moved by it plus
 * 8,000 bytes.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATED_PARAMS, generatedCorpusId } from '../corpus/generated/params.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { obtainCorpus } from '../corpus/obtain-corpus.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { parseScenario } from '../scenario/schema.ts';
import { predictionOf } from './growth.ts';
import type { GrowthPrediction, RunRecord } from './records.ts';
import { runLinkLoop } from './run-loop.ts';

const toolchain = createWasmToolchain();
const POOL = 1500;

async function run(corpus: Partial<typeof DEFAULT_GENERATED_PARAMS>, gap: number, maxPasses = 24) {
  const scenario = parseScenario({
    corpus: generatedCorpusId({
      ...DEFAULT_GENERATED_PARAMS,
      symbols: 4000,
      objects: 16,
      initFunctions: 80,
      callsPerInit: 64,
      functionBody: 1,
      nearTargets: POOL,
      nearShare: 100,
      ...corpus,
    }),
    arch: 'ppc64le',
    layout: { base: '0xc000000000000000', align: 16, gap },
    linkerScript: null,
    generation: 'latest',
    baseRelative: true,
    allSymbols: false,
    filterLldStubs: false,
    strategy: 'fixpoint',
    extraPass: false,
    maxPasses,
    extraLinkerFlags: [],
  });
  const objects = await obtainCorpus(scenario, nodeCorpusSource());
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, objects));
}

const trials = (r: RunRecord) => r.passes.filter((p) => p.step === 'trial');
/** What passes 2… predict (pass 1's move is the whole first table, not a step of growth). */
const predictions = (r: RunRecord): GrowthPrediction[] =>
  trials(r)
    .slice(1)
    .map((p) => p.growth!.prediction);
const count = (xs: GrowthPrediction[], p: GrowthPrediction) => xs.filter((x) => x === p).length;

/** Each pass predicts the stubs the next one gains: off by a few at most (alignment, ties). */
function expectStubsForeseen(record: RunRecord) {
  const t = trials(record);
  for (let i = 0; i + 1 < t.length; i++) {
    const foreseen = t[i].growth!.predictedStubChange;
    const happened = t[i + 1].growth!.stubChange;
    expect(
      Math.abs(foreseen - happened),
      `pass ${t[i].pass} → ${t[i + 1].pass}`,
    ).toBeLessThanOrEqual(3);
  }
}

describe('the growth ratio predicts the shape of the loop (real links)', () => {
  it('dies out: pool functions 64 bytes apart, ratio well under 1, converged in a few passes', async () => {
    const record = await run({ functionAlign: 64 }, 33_177_380);
    expect(record.verdict.kind).toBe('converged');
    expect(record.verdict.passes).toBeLessThanOrEqual(6);
    const second = trials(record)[1].growth!;
    expect(second.stubChange).toBeGreaterThan(10); // the first table did push calls out
    expect(second.ratio).toBeLessThan(0.3);
    expect(predictions(record).every((p) => p === 'dies-out' || p === 'settled')).toBe(true);
    expectStubsForeseen(record);
  });

  it('lingers: 8 bytes apart, ratio near 1, still adding stubs after 16 passes', async () => {
    const record = await run({ functionAlign: 8 }, 33_373_724, 16);
    expect(record.verdict).toMatchObject({ kind: 'not-converged', passes: 16 });
    const t = trials(record);
    // Stubs keep coming at every pass, and the ratio stays near 1 most of the way.
    for (let i = 1; i < t.length; i++)
      expect(t[i].stubs.total).toBeGreaterThan(t[i - 1].stubs.total);
    const ratios = t.slice(1).map((p) => p.growth!.ratio);
    expect(Math.min(...ratios)).toBeGreaterThan(0.3);
    expect(Math.max(...ratios)).toBeLessThan(2);
    const median = [...ratios].sort((a, b) => a - b)[Math.floor(ratios.length / 2)];
    expect(predictionOf(median, 1)).toBe('lingers');
    expect(count(predictions(record), 'lingers')).toBeGreaterThan(
      count(predictions(record), 'saturates'),
    );
    expect(t.at(-1)!.stubs.total).toBeLessThan(POOL);
    expectStubsForeseen(record);
  });

  it('saturates: long names make each stub cost more than a target, until the pool is used up', async () => {
    const record = await run({ functionAlign: 8, nameLength: 100 }, 33_307_132);
    const t = trials(record);
    expect(t[1].growth!.prediction).toBe('saturates');
    expect(t[1].growth!.bytesPerStub).toBeGreaterThan(35);
    // Growth speeds up while the ratio is above 1 …
    expect(t[2].growth!.stubChange).toBeGreaterThan(t[1].growth!.stubChange);
    expect(t[3].growth!.stubChange).toBeGreaterThan(t[2].growth!.stubChange);
    // … then stops once nearly every pool target has its stub.
    expect(record.verdict.kind).toBe('converged');
    expect(t.at(-1)!.stubs.total).toBeGreaterThan(0.85 * POOL);
    expect(predictions(record).at(-1)).toBe('settled');
    expectStubsForeseen(record);
  });
});
