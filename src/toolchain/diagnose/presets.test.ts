/**
 * `diagnose` on the project's own images, made by real runs of the link loop
 * with the WebAssembly ld.lld at every preset (and ppc64 big-endian): the
 * System.map check of the last trial and vmlinux is exactly the run's, the
 * listing read through headers and symbol tables only is exactly the whole
 * image's, the linker-made symbols are the run's stubs, and the table object
 * size of each trial is the one the loop wrote.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { nmListingBytes, readElf } from '../elf/index.ts';
import type { RunRecord } from '../kbuild/records.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import type { StubKind } from '../kbuild/stub-symbols.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { findPreset } from '../scenario/presets.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import { readElfListing } from './elf-input.ts';
import { bytesSource, diagnose } from './index.ts';

const toolchain = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

interface Run {
  scenario: Scenario;
  record: RunRecord;
  images: Map<string, Uint8Array>;
}

async function run(id: string, overrides: Partial<Scenario> = {}): Promise<Run> {
  const scenario = parseScenario({ ...findPreset(id)!.scenario, ...overrides });
  if (!corpora.has(scenario.arch)) {
    corpora.set(scenario.arch, loadCorpus(nodeCorpusSource(), scenario.arch));
  }
  const corpus = await corpora.get(scenario.arch)!;
  const images = new Map<string, Uint8Array>();
  const record = await runLinkLoop(toolchain, scenarioLoopConfig(scenario, corpus), {
    onArtifact(name, bytes) {
      if (/^(vmlinux|\.tmp_vmlinux(\.kallsyms)?\d+)$/.test(name) && typeof bytes !== 'string') {
        images.set(name, bytes);
      }
    },
  });
  return { scenario, record, images };
}

/** The run's stub kinds as diagnose names them. */
const KIND_IDS: Record<StubKind, string> = {
  long_branch: 'lld-ppc64-long-branch',
  plt: 'lld-ppc64-plt',
  toc_save: 'lld-ppc64-toc-save',
  gep_setup: 'lld-ppc64-gep-setup',
  LongThunk: 'lld-ppc32-long-thunk',
  gnu_long_branch: 'gnu-ppc64-long_branch',
  gnu_plt_branch: 'gnu-ppc64-plt_branch',
};

const CASES: Array<[string, Partial<Scenario>]> = [
  ['small-converges', {}],
  ['powerpc-2020', {}],
  ['powerpc-2020', { arch: 'ppc64' }],
  ['lld-today', {}],
  ['lld-today', { filterLldStubs: true }],
  ['ppc32-thunks', {}],
  ['ppc32-thunks', { strategy: 'v5.9', generation: 'v5.9' }],
  ['never-converges', {}],
];

describe.each(CASES)('diagnose at preset %s %o', (id, overrides) => {
  let ran: Promise<Run> | undefined;
  const get = () => (ran ??= run(id, overrides));

  it('reads every image through its headers and symbol tables exactly as the whole file', async () => {
    const { images } = await get();
    expect(images.size).toBeGreaterThanOrEqual(2);
    for (const [name, bytes] of images) {
      const sparse = await readElfListing(bytesSource(name, bytes), () => {});
      expect(
        Buffer.from(sparse.listing).equals(Buffer.from(nmListingBytes(readElf(bytes)))),
        name,
      ).toBe(true);
      expect(sparse.bytesRead, name).toBeLessThan(bytes.length);
    }
  });

  it("reports the run's System.map check for the last trial and vmlinux, line for line", async () => {
    const { scenario, record, images } = await get();
    const trials = record.passes.filter((p) => p.step === 'trial');
    const last = trials.at(-1)!;
    const second = record.check ? 'vmlinux' : trials.at(-1)!.link.image;
    const first = record.check ? last.link.image : trials.at(-2)!.link.image;
    const result = await diagnose(
      [bytesSource(first, images.get(first)!), bytesSource(second, images.get(second)!)],
      { filterLldStubs: scenario.filterLldStubs, allSymbols: scenario.allSymbols },
    );
    if (result.inputs !== 2) throw new Error('two inputs give a comparison');
    const c = result.comparison;
    if (record.check) {
      const family = scenario.generation === 'latest' ? 'latest' : 'v5.9';
      const check = c.systemMaps.find((m) => m.generations.includes(family))!.check;
      expect(check).toEqual(record.check);
      if (record.check.ok) {
        expect(c.causes.map((x) => x.kind)).toEqual(
          c.systemMaps.every((m) => m.check.ok) ? ['identical'] : expect.any(Array),
        );
      } else {
        expect(c.causes.length).toBeGreaterThan(0);
        expect(c.causes.map((x) => x.kind)).not.toContain('identical');
      }
    }
    // The stubs that appeared between the two are the run's new stubs of that link.
    const appeared = record.check ? record.passes.at(-1)!.stubs.added : last.stubs.added;
    const added = c.linkerSymbols.added.flatMap((g) => g.examples);
    expect(c.linkerSymbols.added.reduce((n, g) => n + g.count, 0)).toBe(appeared.length);
    if (appeared.length <= 20) expect(added.sort()).toEqual(appeared.map((s) => s.name).sort());
    if (appeared.length > 0) expect(c.causes[0].kind).toBe('stubs-appeared');
  });

  it("finds the run's stubs in the last trial, with the loop's own table object size", async () => {
    const { scenario, record, images } = await get();
    const last = record.passes.filter((p) => p.step === 'trial').at(-1)!;
    const result = await diagnose([bytesSource(last.link.image, images.get(last.link.image)!)], {
      filterLldStubs: scenario.filterLldStubs,
      allSymbols: scenario.allSymbols,
    });
    const t = result.tables[0];
    expect(t.input.elf?.arch).toBe(scenario.arch);
    expect(t.linkerSymbols.total).toBe(last.stubs.total);
    const byKind = Object.fromEntries(t.linkerSymbols.groups.map((g) => [g.kind.id, g.count]));
    const expected = Object.fromEntries(
      Object.entries(last.stubs.byKind).map(([kind, n]) => [KIND_IDS[kind as StubKind], n]),
    );
    expect(byKind).toEqual(expected);

    const g = t.generations.find((x) => x.generation === scenario.generation)!;
    expect(g.error).toBeNull();
    expect(g.tableObjectBytes).toBe(last.tableObject!.bytes);
    expect(g.sizes).toEqual(last.tableObject!.sizes);
    expect(g.counts).toEqual(last.tableObject!.counts);

    // Each stub's fate: ppc32's __LongThunk_ is hidden by today's Thunk_ rule,
    // ld.lld's PPC64 names are let in, unless the scenario filters them.
    for (const group of t.linkerSymbols.groups) {
      const latest = group.fate.latest!;
      if (group.kind.id === 'lld-ppc32-long-thunk') {
        expect(latest.droppedBy).toEqual([
          { rule: 'mksysmap / __[A-Za-z0-9]*Thunk_/', symbols: group.count },
        ]);
        expect(group.fate['v5.9']!.inTable).toBe(group.count);
      } else if (scenario.filterLldStubs) {
        expect(latest.inTable).toBe(0);
      } else {
        expect(latest.inTable).toBe(group.count);
      }
    }
  });
});
