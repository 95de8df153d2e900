/**
 * imageFactReader reads a pass's facts (addresses, stubs, ambiguous names, line
 * count) from the symbols the listing is printed from. Here they must be
 * what a plain reading of the printed listing gives (the listing itself is
 * pinned to llvm-nm's, byte for byte, by the nm-listing tests), on every
 * image of presets with ld.lld's PPC64 stubs and its PPC32 thunks, and on
 * an object holding the corner cases the presets' images do not have.
 */
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../arch/targets.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { nmListing, nmSymbols, readElf } from '../elf/index.ts';
import { compileObject } from '../elf/testing/clang16.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { findPreset } from '../scenario/presets.ts';
import { imageFactReader, type ListingFacts } from './image-listing.ts';
import { runLinkLoop } from './run-loop.ts';
import { stubKind } from './stub-symbols.ts';

/** The listing's lines read one by one, as the loop once did: the reference. */
function readListing(listing: string): ListingFacts {
  const addresses = new Map<string, bigint>();
  const stubs: ListingFacts['stubs'] = [];
  const textNames = new Set<string>();
  const ambiguous = new Set<string>();
  let lines = 0;
  for (const line of listing.split('\n')) {
    if (line === '') continue;
    lines++;
    const m = /^([0-9a-fA-F]+) (\S) (.+)$/.exec(line);
    if (!m) continue; // undefined symbols have no address
    const [, hex, type, name] = m;
    const address = BigInt(`0x${hex}`);
    const isText = type === 'T' || type === 't' || type === 'W';
    if (isText && textNames.has(name)) ambiguous.add(name);
    if (!addresses.has(name) || (isText && !textNames.has(name))) {
      addresses.set(name, address);
      if (isText) textNames.add(name);
    }
    const kind = stubKind(name);
    if (kind) stubs.push({ name, kind, address });
  }
  return { lines, addresses, stubs, ambiguous };
}

/** The facts, asked about every name the listing defines, and two it does not. */
function compare(bytes: Uint8Array) {
  const elf = readElf(bytes);
  const symbols = nmSymbols(elf);
  const expected = readListing(nmListing(elf, symbols));
  const names = new Set([...expected.addresses.keys(), 'no_such_symbol', '']);
  const facts = imageFactReader(names)(symbols);
  expect(facts.lines).toBe(expected.lines);
  expect(facts.stubs).toEqual(expected.stubs);
  expect(facts.ambiguous).toEqual(expected.ambiguous);
  expect(facts.addresses).toEqual(expected.addresses);
  // Asked about fewer names, it finds just those.
  const some = [...expected.addresses.keys()].filter((_, i) => i % 7 === 0);
  const fewer = imageFactReader(some)(symbols);
  expect([...fewer.addresses.keys()].sort()).toEqual([...some].sort());
  expect(fewer.stubs).toEqual(expected.stubs);
  return expected;
}

describe('imageFactReader', () => {
  const wasm = createWasmToolchain();

  it.each(['powerpc-2020', 'ppc32-thunks'])(
    'gives the facts the printed listing gives, on every image of %s',
    async (id) => {
      const scenario = findPreset(id)!.scenario;
      const corpus = await loadCorpus(nodeCorpusSource(), scenario.arch);
      const images: Uint8Array[] = [];
      await runLinkLoop(wasm, scenarioLoopConfig(scenario, corpus), {
        onArtifact(name, bytes) {
          if (/^(\.tmp_vmlinux\.kallsyms\d+|\.tmp_vmlinux\d+|vmlinux)$/.test(name))
            images.push(bytes as Uint8Array);
        },
      });
      expect(images.length).toBeGreaterThanOrEqual(3);
      let stubs = 0;
      for (const image of images) stubs += compare(image).stubs.length;
      // The case worth comparing is there: the linker's stubs.
      expect(stubs).toBeGreaterThan(0);
    },
  );

  it('reads GNU ld’s stub names, names with a dot, and names defined twice, in text and not', async () => {
    // Two objects with local symbols of the same names, joined by `ld.lld -r`.
    const a = [
      '.text',
      '.globl start',
      'start: nop',
      'dup: nop',
      'f.long_branch.g: nop',
      '"00000010.plt_branch.h": nop',
      '__plt_x: nop',
      '__long_branch_y: nop',
      '__LongThunk_z: nop',
      '__l: nop',
      '__: nop',
      'a.b: nop',
      '.data',
      'mixed: .long 0',
      '.long undefined_one',
    ].join('\n');
    const b = ['.text', 'nop', 'dup: nop', 'mixed: nop', '.data', 'dup_data: .long 0'].join('\n');
    const triple = TARGETS.ppc64le.clangTriple;
    const joined = await wasm.run('ld.lld', ['-r', 'a.o', 'b.o', '-o', '-'], {
      'a.o': compileObject(triple, 'a.s', a + '\n'),
      'b.o': compileObject(triple, 'b.s', b + '\n'),
    });
    const facts = compare(joined.stdout);
    expect(facts.stubs.map((s) => s.kind)).toEqual([
      'gnu_long_branch',
      'gnu_plt_branch',
      'plt',
      'long_branch',
      'LongThunk',
    ]);
    expect(facts.ambiguous).toEqual(new Set(['dup']));
    // `mixed` is data in a.o and text in b.o: the text one is its address.
    expect(facts.addresses.has('mixed')).toBe(true);
  });
});
