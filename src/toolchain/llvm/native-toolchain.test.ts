import { describe, expect, it } from 'vitest';
import { createNativeToolchain } from './native-toolchain.ts';
import { ToolError } from './tool-error.ts';

describe('the native toolchain (Debian lld-16/llvm-16, installed by .ci/run)', () => {
  it('uses one LLVM version for every tool', async () => {
    const toolchain = createNativeToolchain();
    const ld = new TextDecoder().decode((await toolchain.run('ld.lld', ['--version'], {})).stdout);
    const nm = new TextDecoder().decode((await toolchain.run('llvm-nm', ['--version'], {})).stdout);
    const major = (text: string) => /(?:LLD|LLVM version) (\d+)\./.exec(text)?.[1];
    expect(major(ld)).toBeDefined();
    expect(major(nm)).toBe(major(ld));
  });

  it('turns a failing tool into a ToolError with stderr, as the wasm one does', async () => {
    const toolchain = createNativeToolchain();
    const error = await toolchain
      .run('ld.lld', ['-T', 'broken.lds', '-o', 'out'], { 'broken.lds': 'SECTIONS {' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ToolError);
    expect((error as ToolError).stderr).toMatch(/broken\.lds/);
  });

  it('hands back an image of tens of MB written to stdout (`-o -`), whole', async () => {
    // A linker script given as an input file is enough for ld.lld to link.
    const script = 'SECTIONS { .data : { BYTE(0x5a) . += 0x2000000; BYTE(0xa5) } }';
    const result = await createNativeToolchain().run(
      'ld.lld',
      ['-m', 'elf64lppc', 'big.lds', '-o', '-'],
      {
        'big.lds': script,
      },
    );
    const image = result.stdout;
    expect(image.length).toBeGreaterThan(0x2000000);
    expect(result.files['-']).toBeUndefined();
    expect(image.subarray(0, 4)).toEqual(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46)); // ELF
    // .data holds 0x5a, 32 MiB of zeros, 0xa5: find both ends.
    const first = image.indexOf(0x5a, 0x40);
    expect(image[first + 1 + 0x2000000]).toBe(0xa5);
    expect(image.subarray(first + 1, first + 1 + 0x2000000).every((b) => b === 0)).toBe(true);
    // A buffer of its own, no larger: it can be transferred without carrying other bytes.
    expect(image.byteOffset).toBe(0);
    expect(image.buffer.byteLength).toBe(image.length);
  });
});
