import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../scenario/schema.ts';
import { findPreset } from '../../scenario/presets.ts';
import { corpusSpec } from '../obtain-corpus.ts';
import {
  DEFAULT_GENERATED_PARAMS,
  GENERATED_PARAM_KEYS,
  generatedCorpusId,
  generatedCorpusParamsSchema,
  parseGeneratedCorpusId,
} from './params.ts';

describe('generated corpus ids', () => {
  it('name the default corpus by the version alone, and only what differs otherwise', () => {
    expect(generatedCorpusId(DEFAULT_GENERATED_PARAMS)).toBe('generated-v1');
    expect(generatedCorpusId({ ...DEFAULT_GENERATED_PARAMS, symbols: 20_000, seed: 7 })).toBe(
      'generated-v1?seed=7&symbols=20000',
    );
  });

  it('read parameters in any order, with the v1 defaults for the rest', () => {
    const parsed = parseGeneratedCorpusId('generated-v1?callsPerInit=2&seed=9');
    expect(parsed).toEqual({
      ok: true,
      params: { ...DEFAULT_GENERATED_PARAMS, callsPerInit: 2, seed: 9 },
    });
    expect(parseGeneratedCorpusId('generated-v1')).toEqual({
      ok: true,
      params: DEFAULT_GENERATED_PARAMS,
    });
  });

  it('round-trip every parameter', () => {
    const params = {
      seed: 4_000_000_000,
      symbols: 2000,
      objects: 16,
      initFunctions: 1,
      callsPerInit: 64,
      functionBody: 3,
      functionAlign: 8,
      nameLength: 40,
      nearTargets: 100,
      nearShare: 75,
      pinned: 300,
      pinnedSpacing: 12,
      pinnedCallsPerInit: 5,
      pinnedAt: 35_000_000,
    };
    expect(Object.keys(params)).toEqual([...GENERATED_PARAM_KEYS]);
    expect(generatedCorpusParamsSchema.parse(params)).toEqual(params);
    expect(parseGeneratedCorpusId(generatedCorpusId(params))).toEqual({ ok: true, params });
  });

  it.each([
    ['generated-v2?seed=1', /generator version 2 is unknown/],
    ['generated-v1?colour=red', /unknown parameter "colour"/],
    ['generated-v1?seed=1&seed=2', /seed is given twice/],
    ['generated-v1?seed=-1', /seed must be a whole number/],
    ['generated-v1?symbols=999', /symbols: .*1000/],
    ['generated-v1?symbols=1000&objects=200', /objects: needs at least 8 symbols per object/],
    ['generated-v1?symbols=3000&objects=16&initFunctions=1001', /at most a third/],
    ['generated-v1?functionAlign=24', /functionAlign: must be 0 or a power of two/],
    ['generated-v1?functionAlign=2', /functionAlign: must be 0 or a power of two from 4/],
    ['generated-v1?nameLength=5', /nameLength: must be 0, or from 8 to 100/],
    ['generated-v1?nameLength=101', /nameLength: .*100/],
    ['generated-v1?nearTargets=50', /nearShare: nearTargets and nearShare go together/],
    ['generated-v1?nearShare=50', /nearShare: nearTargets and nearShare go together/],
    ['generated-v1?symbols=1000&initFunctions=100&nearTargets=451&nearShare=5', /at most half/],
    ['generated-v1?pinnedAt=1000', /pinned: .*only apply with pinned > 0/],
    ['generated-v1?pinned=10&pinnedSpacing=10', /pinnedSpacing: must be a multiple of 4/],
    ['generated-v1?pinned=10&pinnedSpacing=4', /pinnedSpacing: .*8/],
    ['generated-v1?symbols=400000&objects=2000&pinned=100000', /at most 500000 functions/],
    [
      'generated-v1?symbols=400000&initFunctions=100000&callsPerInit=64',
      /callsPerInit: .*at most 1000000 calls/,
    ],
    [
      'generated-v1?symbols=400000&functionAlign=4096',
      /functionAlign: core text could pass 96 MiB/,
    ],
    ['generated-v1?pinned=100000&pinnedSpacing=4096', /at most 16 MiB/],
    ['generated-v1?pinned=10&pinnedAt=2000000000', /pinnedAt: .*1073741824/],
    ['generated-v1?constructor=1', /unknown parameter "constructor"/],
    ['generated-v1?functionBody=65', /functionBody: .*64/],
  ])('refuse %s with a reason', (id, reason) => {
    const parsed = parseGeneratedCorpusId(id);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.join('\n')).toMatch(reason);
  });

  it('are frozen with v1: the defaults never change', () => {
    expect(DEFAULT_GENERATED_PARAMS).toEqual({
      seed: 1,
      symbols: 150_000,
      objects: 400,
      initFunctions: 6000,
      callsPerInit: 4,
      // Added later; these values write the corpus v1 always wrote (generate.test.ts).
      functionBody: 0,
      functionAlign: 0,
      nameLength: 0,
      nearTargets: 0,
      nearShare: 0,
      pinned: 0,
      pinnedSpacing: 16,
      pinnedCallsPerInit: 8,
      pinnedAt: 33 * 1024 * 1024,
    });
    expect(Object.isFrozen(DEFAULT_GENERATED_PARAMS)).toBe(true);
  });
});

describe('a scenario with a generated corpus', () => {
  const base = findPreset('lld-today')!.scenario;

  it('keeps kernel-like scenarios as they were', () => {
    expect(parseScenario(base).corpus).toBe('kernel-like');
    expect(corpusSpec('kernel-like')).toEqual({ kind: 'kernel-like' });
  });

  it('stores the canonical id, whatever spelling it was given', () => {
    const scenario = parseScenario({
      ...base,
      corpus: 'generated-v1?symbols=20000&seed=3&callsPerInit=4',
    });
    expect(scenario.corpus).toBe('generated-v1?seed=3&symbols=20000');
    expect(corpusSpec(scenario.corpus)).toEqual({
      kind: 'generated',
      params: { ...DEFAULT_GENERATED_PARAMS, seed: 3, symbols: 20_000 },
    });
  });

  it('refuses unknown corpora and bad ids with the field named', () => {
    expect(() => parseScenario({ ...base, corpus: 'linux-6.12' })).toThrow(
      /corpus: must be "kernel-like" or a generated corpus id such as "generated-v1"/,
    );
    expect(() => parseScenario({ ...base, corpus: 'generated-v1?objects=9999' })).toThrow(
      /corpus: objects: /,
    );
    expect(() => corpusSpec('generated-v7')).toThrow(/unknown corpus "generated-v7"/);
  });
});
