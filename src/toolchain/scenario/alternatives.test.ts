/**
 * "What would change it": each alternative changes only what it says, and on
 * real links (the WebAssembly ld.lld) the ones the presets' stories promise
 * do what they say.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import type { RunRecord } from '../kbuild/records.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { absorbingAlign, alternativesFor, type AlternativeId } from './alternatives.ts';
import { scenarioLoopConfig } from './loop-config.ts';
import { findPreset } from './presets.ts';
import type { Scenario } from './schema.ts';

const toolchain = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

async function run(scenario: Scenario): Promise<RunRecord> {
  if (!corpora.has(scenario.arch))
    corpora.set(scenario.arch, loadCorpus(nodeCorpusSource(), scenario.arch));
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, await corpora.get(scenario.arch)!));
}

/** The scenario's fields that differ, by dotted path. */
function changedFields(a: Scenario, b: Scenario): string[] {
  const out: string[] = [];
  for (const key of Object.keys(a) as Array<keyof Scenario>) {
    if (key === 'layout') {
      for (const k of Object.keys(a.layout) as Array<keyof Scenario['layout']>)
        if (a.layout[k] !== b.layout[k]) out.push(`layout.${k}`);
    } else if (JSON.stringify(a[key]) !== JSON.stringify(b[key])) out.push(key);
  }
  return out;
}

const EXPECTED_CHANGE: Record<AlternativeId, string[]> = {
  'eight-passes': ['strategy'],
  fixpoint: ['strategy'],
  'extra-pass': ['extraPass'],
  'filter-lld-stubs': ['filterLldStubs'],
  latest: ['generation', 'strategy'],
  'v5.9': ['generation', 'strategy'],
  'absorbing-align': ['layout.align'],
  'template-script': ['linkerScript'],
  'no-extra-flags': ['extraLinkerFlags'],
};

describe('alternativesFor', () => {
  it.each(['powerpc-2020', 'lld-today', 'ppc32-thunks', 'never-converges', 'small-converges'])(
    '%s: each alternative changes only what its id says',
    async (id) => {
      const scenario = findPreset(id)!.scenario;
      const record = await run(scenario);
      const alternatives = alternativesFor(scenario, record);
      expect(alternatives.length).toBeGreaterThan(0);
      for (const alternative of alternatives) {
        const changed = changedFields(scenario, alternative.scenario);
        // v5.9 → latest may leave the strategy or generation as it was: a subset, never more.
        expect(changed.length).toBeGreaterThan(0);
        for (const field of changed) expect(EXPECTED_CHANGE[alternative.id]).toContain(field);
      }
    },
  );

  it('powerpc-2020 offers what its story names: KALLSYMS_EXTRA_PASS, eight passes, the stub filter', async () => {
    const scenario = findPreset('powerpc-2020')!.scenario;
    const ids = alternativesFor(scenario, await run(scenario)).map((a) => a.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'extra-pass',
        'eight-passes',
        'fixpoint',
        'filter-lld-stubs',
        'absorbing-align',
      ]),
    );
  });

  it('offers the template script and no flags after a link failed with them', async () => {
    const scenario: Scenario = {
      ...findPreset('small-converges')!.scenario,
      linkerScript:
        'SECTIONS { .text : { _text = .; _stext = .; *(.text) _etext = .; _sinittext = .; _einittext = .; } }\nbroken = missing_symbol;\n',
      extraLinkerFlags: ['--no-rosegment'],
    };
    const record = await run(scenario);
    expect(record.verdict.kind).toBe('link-failed');
    expect(alternativesFor(scenario, record).map((a) => a.id)).toEqual([
      'template-script',
      'no-extra-flags',
    ]);
  });
});

describe('absorbingAlign', () => {
  it('finds nothing to absorb when the alignment already does (small-converges, 16 MiB)', async () => {
    const scenario = findPreset('small-converges')!.scenario;
    expect(absorbingAlign(scenario, await run(scenario))).toBeNull();
  });

  it.each([
    ['powerpc-2020', 64 * 1024],
    ['lld-today', 128 * 1024],
  ])(
    '%s: the alignment it proposes (%i) keeps init text in one place, and the loop converges at once',
    async (id, expected) => {
      const scenario = findPreset(id)!.scenario;
      const align = absorbingAlign(scenario, await run(scenario));
      expect(align).toBe(expected);
      const aligned = await run({ ...scenario, layout: { ...scenario.layout, align: align! } });
      const starts = new Set(aligned.passes.map((p) => p.layout.symbols._sinittext));
      expect(starts.size).toBe(1);
      expect({ kind: aligned.verdict.kind, passes: aligned.verdict.passes }).toEqual({
        kind: 'converged',
        passes: 2,
      });
    },
  );
});
