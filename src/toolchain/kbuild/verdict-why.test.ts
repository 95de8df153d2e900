/**
 * The "why" of every verdict names the right images, table sizes and stub
 * counts: each preset, under each strategy, on real links with the
 * WebAssembly ld.lld, checked field by field against the run's own records.
 */
import { describe, expect, it } from 'vitest';
import type { LoadedCorpus } from '../corpus/load-corpus.ts';
import { obtainCorpus } from '../corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { findPreset } from '../scenario/presets.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import type { RunRecord } from './records.ts';
import { runLinkLoop } from './run-loop.ts';
import { STRATEGY_IDS } from './strategy.ts';
import { explainVerdict } from './verdict-why.ts';

const toolchain = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

async function run(scenario: Scenario): Promise<RunRecord> {
  const key = `${scenario.corpus}/${scenario.arch}`;
  if (!corpora.has(key)) corpora.set(key, obtainCorpus(scenario, nodeCorpusSource()));
  return runLinkLoop(toolchain, scenarioLoopConfig(scenario, await corpora.get(key)!));
}

const bytes = (n: number) => `${n.toLocaleString('en-US')} byte${n === 1 ? '' : 's'}`;

/** Checks each sentence against the records, which the test reads on its own. */
function expectWhyMatchesRecords(record: RunRecord) {
  const why = explainVerdict(record);
  const trials = record.passes.filter((p) => p.step === 'trial');
  const images = record.passes;
  // One sentence for the first trial, one per later image, one for the ending.
  expect(why.sentences).toHaveLength(images.length + 1);
  expect(why.sentences[0]).toContain(`its table object is ${bytes(trials[0].tableObject!.bytes)}`);
  for (let i = 1; i < images.length; i++) {
    const image = images[i];
    const previous = images[i - 1];
    const sentence = why.sentences[i];
    const name = image.step === 'vmlinux' ? 'vmlinux' : `Trial link ${image.pass}`;
    expect(
      sentence.startsWith(
        `${name} was made with trial link ${previous.pass}\u2019s table object (${bytes(previous.tableObject!.bytes)})`,
      ),
    ).toBe(true);
    const added = image.stubs.added.length;
    const removed = image.stubs.removed.length;
    if (added === 0 && removed === 0) expect(sentence).toContain('the linker added no stub');
    if (removed > 0)
      expect(sentence).toContain(
        `${removed.toLocaleString('en-US')} stub${removed === 1 ? '' : 's'} went away`,
      );
    if (added > 0)
      expect(sentence).toContain(
        `the linker added ${added.toLocaleString('en-US')} stub${added === 1 ? '' : 's'} (${image.stubs.added[0].name}`,
      );
    const moved = Number(
      BigInt(image.layout.symbols._sinittext!) - BigInt(previous.layout.symbols._sinittext!),
    );
    if (moved > 0) expect(sentence).toContain(`init text moved up ${bytes(moved)}`);
    if (moved === 0) expect(sentence).toContain('init text stayed where it was');
    if (image.tableObject) {
      const change = image.tableObject.bytes - previous.tableObject!.bytes;
      if (change === 0)
        expect(sentence).toContain(`the same size as trial link ${previous.pass}\u2019s`);
      else
        expect(sentence).toContain(
          `${bytes(Math.abs(change))} ${change > 0 ? 'larger' : 'smaller'}: ${bytes(image.tableObject.bytes)}`,
        );
    }
  }
  const ending = why.sentences.at(-1)!;
  const last = trials.at(-1)!.pass;
  switch (record.verdict.kind) {
    case 'converged':
      expect(ending).toContain(
        `Trial link ${last}\u2019s table object is the same size as trial link ${last - 1}\u2019s`,
      );
      expect(trials.at(-1)!.tableObject!.bytes).toBe(trials.at(-2)!.tableObject!.bytes);
      break;
    case 'inconsistent': {
      const first = record.check!.differences[0];
      expect(ending).toContain(`does not match trial link ${last}`);
      expect(ending).toContain(
        `line ${first.line.toLocaleString('en-US')} ("${first.trial}" in trial link ${last}, "${first.final}" in vmlinux)`,
      );
      break;
    }
    case 'not-converged':
      expect(ending).toContain(`after ${trials.length} trial links`);
      break;
    case 'oscillating': {
      const { period } = record.verdict;
      const sizes = trials.map((t) => t.tableObject!.bytes);
      // The last period's sizes, and the one before them that the last repeats.
      expect(ending).toContain(
        `period ${period} (${sizes
          .slice(-period - 1)
          .map((n) => n.toLocaleString('en-US'))
          .join(' \u2192 ')} bytes)`,
      );
      expect(sizes.at(-1)).toBe(sizes.at(-1 - period));
      break;
    }
    default:
      throw new Error(`no preset is expected to end ${record.verdict.kind}`);
  }
  // The short form keeps the opening, the final link and the ending.
  expect(why.brief[0]).toBe(why.sentences[0]);
  expect(why.brief.at(-1)).toBe(ending);
  expect(why.brief).toContain(why.sentences.at(-2));
  expect(why.steps).toHaveLength(images.length - 1);
}

describe('explainVerdict', () => {
  const presets = [
    'small-converges',
    'powerpc-2020',
    'lld-today',
    'ppc32-thunks',
    'never-converges',
    // The one layout whose sizes fall too: oscillating under fixpoint.
    'pinned-oscillates',
    // Kernel-sized: 150,000 symbols, thousands of stubs.
    'powerpc-2020-large',
    'lld-today-large',
  ];
  for (const id of presets) {
    it.each(STRATEGY_IDS)(
      `${id} under %s: names each link's table, stubs and the ending from the records`,
      async (strategy) => {
        const preset = findPreset(id)!.scenario;
        const generation =
          strategy === 'latest'
            ? 'latest'
            : strategy === 'v5.9' && preset.generation === 'latest'
              ? 'v5.9'
              : preset.generation;
        const record = await run(parseScenario({ ...preset, strategy, generation }));
        expectWhyMatchesRecords(record);
      },
    );
  }

  it('says the ld.lld stubs a filter keeps out of the table do not grow it (ppc32 under latest)', async () => {
    const record = await run(findPreset('ppc32-thunks')!.scenario);
    const why = explainVerdict(record);
    const withStubs = record.passes.findIndex(
      (p, i) => i > 0 && p.stubs.added.length > 0 && p.step === 'trial',
    );
    expect(withStubs).toBeGreaterThan(0);
    expect(why.sentences[withStubs]).toContain(
      'the symbol filter keeps every one of them out of the table',
    );
  });

  it('explains a failed link with the linker\u2019s first line', async () => {
    const scenario = parseScenario({
      ...findPreset('small-converges')!.scenario,
      linkerScript:
        'SECTIONS { .text : { _text = .; _stext = .; *(.text) _etext = .; _sinittext = .; _einittext = .; } }\nundefined_symbol_here = missing_symbol;\n',
    });
    const record = await run(scenario);
    expect(record.verdict.kind).toBe('link-failed');
    const ending = explainVerdict(record).sentences.at(-1)!;
    expect(ending.startsWith('The linker refused at')).toBe(true);
    expect(ending).toContain(
      record.verdict.kind === 'link-failed' ? record.verdict.message.trim().split('\n')[0] : '',
    );
  });
});
