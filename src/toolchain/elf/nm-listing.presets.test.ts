/**
 * nmListing on every image the link loop makes for every preset (ppc64le,
 * ppc32, and ppc64 big-endian by overriding the arch of two ppc64le presets):
 * the loop runs once with `listing: 'llvm-nm'`, and every listing the
 * WebAssembly llvm-nm printed for it must be nmListing's byte for byte. Then
 * the loop runs again with `listing: 'elf'` and must record the same run:
 * same table objects (sha256), stubs, reach, System.map check and verdict.
 */
import { describe, expect, it } from 'vitest';
import { loadCorpus, type LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import type { RunRecord, TableObjectFacts } from '../kbuild/records.ts';
import { runLinkLoop, type ListingSource } from '../kbuild/run-loop.ts';
import type { Toolchain } from '../llvm/toolchain.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { PRESETS } from '../scenario/presets.ts';
import { parseScenario, type Scenario } from '../scenario/schema.ts';
import { nmListingBytes } from './nm-listing.ts';
import { firstDifference } from './nm-listing.testing.ts';
import { readElf } from './read-elf.ts';

const wasm = createWasmToolchain();
const corpora = new Map<string, Promise<LoadedCorpus>>();

interface Listed {
  image: string;
  bytes: Uint8Array;
  stdout: Uint8Array;
}

/** The toolchain, keeping what every `llvm-nm` run was given and printed. */
function watchingLlvmNm(toolchain: Toolchain, listed: Listed[]): Toolchain {
  return {
    kind: toolchain.kind,
    async run(tool, args, files) {
      const result = await toolchain.run(tool, args, files);
      if (tool === 'llvm-nm') {
        const image = args.at(-1)!;
        listed.push({ image, bytes: files[image] as Uint8Array, stdout: result.stdout });
      }
      return result;
    },
  };
}

async function run(scenario: Scenario, listing: ListingSource, toolchain: Toolchain) {
  if (!corpora.has(scenario.arch))
    corpora.set(scenario.arch, loadCorpus(nodeCorpusSource(), scenario.arch));
  const corpus = await corpora.get(scenario.arch)!;
  return runLinkLoop(toolchain, { ...scenarioLoopConfig(scenario, corpus), listing });
}

/** A record without what differs from run to run (times) or by design (the listing command). */
function comparable(record: RunRecord) {
  const table = (t: TableObjectFacts | null) =>
    t && {
      ...t,
      commands: t.commands.map((c) => ({
        ...c,
        stdin: c.stdin?.replace(' (listed by the ELF reader)', ''),
      })),
    };
  return {
    ...record,
    totalMs: 0,
    emptyTableObject: table(record.emptyTableObject),
    passes: record.passes.map((p) => ({
      ...p,
      link: { ...p.link, ms: 0 },
      timings: null,
      tableObject: table(p.tableObject),
    })),
  };
}

const CASES: Array<[string, Partial<Scenario>]> = [
  // The kernel-sized presets are left out: wasm llvm-nm takes 13-35 s per
  // listing there; nm-listing.test.ts covers a 158k-symbol image instead.
  ...PRESETS.filter((p) => p.scenario.corpus === 'kernel-like').map(
    (p) => [p.id, {}] as [string, Partial<Scenario>],
  ),
  ['lld-today', { arch: 'ppc64' }],
  ['powerpc-2020', { arch: 'ppc64' }],
];

describe('nmListing on every preset image', () => {
  it.each(CASES)('%s %o: llvm-nm -n byte for byte, and the same run record', async (id, over) => {
    const preset = PRESETS.find((p) => p.id === id)!;
    const scenario = parseScenario({ ...preset.scenario, ...over });
    const listed: Listed[] = [];
    const withLlvmNm = await run(scenario, 'llvm-nm', watchingLlvmNm(wasm, listed));

    // Every trial image and vmlinux (at least two trials and vmlinux), listed once each.
    expect(withLlvmNm.verdict.kind).not.toBe('link-failed');
    expect(listed.length).toBeGreaterThanOrEqual(3);
    expect(listed.map((l) => l.image)).toEqual(withLlvmNm.passes.map((p) => p.link.image));
    for (const { image, bytes, stdout } of listed) {
      const difference = firstDifference(nmListingBytes(readElf(bytes)), stdout);
      expect(difference, `${id} ${scenario.arch} ${image}`).toBeNull();
    }
    expect(withLlvmNm.passes[0].tableObject?.commands[0].stdin).toMatch(/^llvm-nm -n \S+$/);

    const noNm: Listed[] = [];
    const withElf = await run(scenario, 'elf', watchingLlvmNm(wasm, noNm));
    expect(noNm).toEqual([]);
    expect(withElf.passes[0].tableObject?.commands[0].stdin).toMatch(
      /^llvm-nm -n \S+ \(listed by the ELF reader\)$/,
    );
    expect(comparable(withElf)).toEqual(comparable(withLlvmNm));
  });
});
