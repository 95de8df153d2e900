/**
 * Every flag on the allow-list is one both toolchains accept: each links a
 * small image (two corpus objects, the template script) with the
 * WebAssembly ld.lld 22 and Debian's ld.lld-16, and the image comes back as
 * ELF on standard output, as the loop needs it. A flag that either linker
 * did not know, or that printed text instead of the image, would fail here.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { TARGETS } from '../arch/targets.ts';
import { renderLinkerScript } from '../kbuild/linker-script.ts';
import { createNativeToolchain } from '../llvm/native-toolchain.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { describeAllowedLinkerFlags, linkerFlagProblems } from './linker-flags.ts';

const OBJECTS = ['arch/powerpc/kernel/head_64.o', 'lib/sink.o'];
const corpus = (name: string) =>
  new Uint8Array(
    readFileSync(fileURLToPath(new URL(`../../../public/corpus/ppc64le/${name}`, import.meta.url))),
  );

/** One use of each allowed flag, in each spelling the list names. */
const USES: string[][] = [
  ['--emit-relocs'],
  ['--relax'],
  ['--no-relax'],
  ['--gc-sections'],
  ['--no-gc-sections'],
  ['--discard-all'],
  ['--discard-locals'],
  ['--discard-none'],
  ['--rosegment'],
  ['--no-rosegment'],
  ['--toc-optimize'],
  ['--no-toc-optimize'],
  ['--pcrel-optimize'],
  ['--no-pcrel-optimize'],
  ['--power10-stubs'],
  ['--power10-stubs=no'],
  ['--no-power10-stubs'],
  ['--check-sections'],
  ['--no-check-sections'],
  ['--fatal-warnings'],
  ['--no-fatal-warnings'],
  ['--warn-common'],
  ['--no-warn-common'],
  ['--demangle'],
  ['--no-demangle'],
  ['--noinhibit-exec'],
  ['--allow-multiple-definition'],
  ['--no-allow-multiple-definition'],
  ['--eh-frame-hdr'],
  ['--no-eh-frame-hdr'],
  ['--warn-unresolved-symbols'],
  ['--error-unresolved-symbols'],
  ['--no-undefined'],
  ['--nostdlib'],
  ['--build-id'],
  ['--build-id=none'],
  ['--build-id=0xabcdef'],
  ['--icf=all'],
  ['--orphan-handling=place'],
  ['--orphan-handling', 'warn'],
  ['--sort-section=name'],
  ['--unresolved-symbols=report-all'],
  ['--error-limit=5'],
  ['--defsym=answer=42'],
  ['--defsym', 'answer=_stext + 0x10'],
  ['--section-start=.data=0xc000000004000000'],
  ['--entry=start_here'],
  ['--undefined', 'corpus_sink'],
  ['-q'],
  ['-x'],
  ['-X'],
  ['-z', 'max-page-size=0x10000'],
  ['-zcommon-page-size=4096'],
  ['-z', 'norelro'],
  ['-z', 'noexecstack'],
  ['-O2'],
  ['-O', '1'],
  ['-e', 'start_here'],
  ['-u', 'corpus_sink'],
];

describe('the allow-list itself', () => {
  it('has a use here for every flag it lists', () => {
    const listed = describeAllowedLinkerFlags()
      .split(', ')
      .map((f) => f.replace(/[[= ].*$/, ''));
    const used = new Set(USES.map((u) => u[0].replace(/=.*$/, '').replace(/^(-[zO]).+$/, '$1')));
    expect(listed.filter((f) => !used.has(f))).toEqual([]);
  });

  it.each(USES.map((u) => [u.join(' '), u]))('the schema allows %s', (_, use) => {
    expect(linkerFlagProblems(use)).toEqual([]);
  });
});

describe.each([
  ['wasm (ld.lld 22)', createWasmToolchain()],
  ['native (ld.lld-16)', createNativeToolchain()],
] as const)('%s', (_, toolchain) => {
  const script = renderLinkerScript(TARGETS.ppc64le, {
    base: 0xc000000000000000n,
    align: 16,
    gap: 0x100000,
  });
  const files = Object.fromEntries([
    ['vmlinux.lds', script],
    ...OBJECTS.map((o) => [o, corpus(o)]),
  ]);

  it.each(USES.map((u) => [u.join(' '), u]))(
    'links with %s, the image on stdout',
    async (__, use) => {
      const result = await toolchain.run(
        'ld.lld',
        ['-m', 'elf64lppc', '--strip-debug', ...use, '-T', 'vmlinux.lds', '-o', '-', ...OBJECTS],
        files,
      );
      expect(result.stdout.subarray(0, 4)).toEqual(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46));
      // Nothing but the inputs in the run's directory.
      expect(Object.keys(result.files).sort()).toEqual([...OBJECTS, 'vmlinux.lds'].sort());
    },
  );
});
