/**
 * The WebAssembly ld.lld links the whole generated kernel (150,000
 * functions, 400 objects) with the project's linker script for each target,
 * and adds range-extension stubs (`__long_branch_<f>` on ppc64,
 * `__LongThunk_<f>` on ppc32) exactly when the address gap puts __init calls
 * out of `bl`'s ±32 MiB reach. Every `bl` in the linked init text must land
 * on a function or on a stub: the relocations were where they should be.
 *
 * The image comes back through stdout (`-o -`): the runtime's in-memory file
 * system copies a file on every write, which makes writing a 14 MB image
 * take 6–7 s of CPU instead of 0.4 s. The first test shows that both ways
 * give the same bytes.
 */
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS, type ArchId } from '../../arch/targets.ts';
import { readElf } from '../../elf/index.ts';
import { renderLinkerScript } from '../../kbuild/linker-script.ts';
import { createWasmToolchain } from '../../llvm/wasm-toolchain.ts';
import type { CorpusObject } from '../load-corpus.ts';
import { writeCorpus } from './generate.ts';
import { DEFAULT_GENERATED_PARAMS, type GeneratedCorpusParams } from './params.ts';
import { planCorpus, type CorpusPlan } from './plan.ts';

const toolchain = createWasmToolchain();
const MIB = 1024 * 1024;
const BASE: Record<ArchId, bigint> = {
  ppc64le: 0xc000000000000000n,
  ppc64: 0xc000000000000000n,
  ppc32: 0xc0000000n,
};

async function link(
  arch: ArchId,
  objects: CorpusObject[],
  gap: number,
  output = '-',
  pinned: { at: number } | null = null,
) {
  const script = renderLinkerScript(TARGETS[arch], { base: BASE[arch], align: 16, gap }, pinned);
  const files: Record<string, Uint8Array | string> = { 'vmlinux.lds': script };
  for (const o of objects) files[o.name] = o.bytes;
  const args = ['-m', TARGETS[arch].lldEmulation, '--strip-debug', '-T', 'vmlinux.lds'];
  const result = await toolchain.run(
    'ld.lld',
    [...args, '-o', output, ...objects.map((o) => o.name)],
    files,
  );
  return output === '-' ? result.stdout : result.files[output];
}

/** Stubs in the image, and whether every `bl` in init text lands on a symbol. */
function inspect(image: Uint8Array, plan: CorpusPlan) {
  const elf = readElf(image);
  const symbols = elf.symbolTable()!.toArray();
  const at = new Set(symbols.filter((s) => s.sectionIndex !== 0).map((s) => s.value));
  const stubs = symbols.filter((s) => /^__(long_branch|LongThunk)_/.test(s.name));
  const init = elf.section('.init.text')!;
  const bytes = elf.sectionBytes(init)!;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  const little = elf.endian === 'little';
  let calls = 0;
  let strays = 0;
  const initSize = plan.objects.reduce((n, o) => n + (o.end - o.initStart), 0);
  for (let off = 0; off + 4 <= bytes.length; off += 4) {
    const word = view.getUint32(off, little);
    if (word >>> 26 !== 18 || (word & 3) !== 1) continue; // bl
    const displacement = ((word & 0x03fffffc) << 6) >> 6;
    const target = BigInt.asUintN(elf.elfClass, init.addr + BigInt(off + displacement));
    calls++;
    if (!at.has(target)) strays++;
  }
  return { symbols, stubs, calls, strays, initSize, elf };
}

describe('the WebAssembly ld.lld links the generated kernel', () => {
  it('writes the same image through stdout as through a file', async () => {
    const params: GeneratedCorpusParams = {
      ...DEFAULT_GENERATED_PARAMS,
      symbols: 20_000,
      objects: 100,
    };
    const objects = writeCorpus(planCorpus(params), params.seed, TARGETS.ppc64le);
    const viaFile = await link('ppc64le', objects, 31 * MIB, 'vmlinux');
    const viaStdout = await link('ppc64le', objects, 31 * MIB);
    expect(viaStdout.length).toBeGreaterThan(1_000_000);
    expect(Buffer.from(viaStdout).equals(Buffer.from(viaFile))).toBe(true);
  });

  it('with no call out of reach, adds no stubs (ppc64le, 8 MiB gap)', async () => {
    const plan = planCorpus(DEFAULT_GENERATED_PARAMS);
    const objects = writeCorpus(plan, DEFAULT_GENERATED_PARAMS.seed, TARGETS.ppc64le);
    const { symbols, stubs, calls, strays } = inspect(
      await link('ppc64le', objects, 8 * MIB),
      plan,
    );
    expect(stubs).toEqual([]);
    expect(calls).toBe(
      DEFAULT_GENERATED_PARAMS.initFunctions * DEFAULT_GENERATED_PARAMS.callsPerInit,
    );
    expect(strays).toBe(0);
    expect(symbols.filter((s) => s.type === 2)).toHaveLength(DEFAULT_GENERATED_PARAMS.symbols);
  });

  it.each(ARCH_IDS)(
    '%s: with init text 28 MiB past .rodata, stubs for the calls out of reach',
    async (arch) => {
      const plan = planCorpus(DEFAULT_GENERATED_PARAMS);
      const objects = writeCorpus(plan, DEFAULT_GENERATED_PARAMS.seed, TARGETS[arch]);
      const image = await link(arch, objects, 28 * MIB);
      const { symbols, stubs, calls, strays, elf } = inspect(image, plan);

      // Every function linked, once (ld.lld 22 makes its stubs STT_FUNC too).
      const functions = symbols.filter((s) => s.type === 2 && !stubs.includes(s));
      expect(functions.length).toBe(DEFAULT_GENERATED_PARAMS.symbols);
      for (const name of [
        '_stext',
        '_etext',
        '_sinittext',
        '_einittext',
        'start_here',
        'start_kernel',
      ])
        expect(
          symbols.some((s) => s.name === name),
          name,
        ).toBe(true);

      // Stubs of ld.lld's kind for this target, each for a function __init code calls.
      const prefix = arch === 'ppc32' ? '__LongThunk_' : '__long_branch_';
      expect(stubs.length).toBeGreaterThan(1000);
      expect(stubs.every((s) => s.name.startsWith(prefix))).toBe(true);
      const called = new Set(Array.from(plan.callee, (f) => plan.names.toString(f)));
      expect(stubs.every((s) => called.has(s.name.slice(prefix.length)))).toBe(true);

      // ... and they sit in init text, next to their callers.
      const init = elf.section('.init.text')!;
      for (const s of stubs)
        expect(s.value >= init.addr && s.value < init.addr + init.size).toBe(true);

      // The relocations were applied where the calls are: each bl lands on a symbol.
      expect(calls).toBe(
        DEFAULT_GENERATED_PARAMS.initFunctions * DEFAULT_GENERATED_PARAMS.callsPerInit,
      );
      expect(strays).toBe(0);
    },
  );
});

describe('the pinned section', () => {
  it.each(ARCH_IDS)(
    '%s: .fixed.text lies pinnedAt above the end of core text + gap; far calls to it get stubs, near ones none',
    async (arch) => {
      const params: GeneratedCorpusParams = {
        ...DEFAULT_GENERATED_PARAMS,
        symbols: 3000,
        objects: 24,
        initFunctions: 300,
        pinned: 64,
        pinnedSpacing: 32,
      };
      const plan = planCorpus(params);
      const objects = writeCorpus(plan, params.seed, TARGETS[arch]);
      const gap = 4 * MIB;
      const far = inspect(await link(arch, objects, gap, '-', { at: 40 * MIB }), plan);
      const etext = far.symbols.find((s) => s.name === '_etext')!.value;
      const fixed = far.elf.section('.fixed.text')!;
      expect(fixed.addr).toBe(((etext + BigInt(gap) + 15n) / 16n) * 16n + BigInt(40 * MIB));
      expect(fixed.size).toBe(64n * 32n);
      const prefix = arch === 'ppc32' ? '__LongThunk_' : '__long_branch_';
      const pinnedNames = new Set(
        far.symbols
          .filter((s) => s.sectionIndex === fixed.index && s.type === 2)
          .map((s) => s.name),
      );
      expect(pinnedNames.size).toBe(64);
      expect(far.stubs.map((s) => s.name.slice(prefix.length)).sort()).toEqual(
        [...pinnedNames].sort(),
      );
      expect(far.strays).toBe(0);

      const near = inspect(await link(arch, objects, gap, '-', { at: 20 * MIB }), plan);
      expect(near.stubs).toEqual([]);
      expect(near.elf.section('.fixed.text')!.addr).toBe(fixed.addr - BigInt(20 * MIB));
    },
  );
});
