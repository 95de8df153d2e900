import { describe, expect, it } from 'vitest';
import { ToolError } from './tool-error.ts';
import { createWasmToolchain } from './wasm-toolchain.ts';

describe('the WebAssembly toolchain', () => {
  const toolchain = createWasmToolchain();

  it('runs llvm-nm and captures its stdout', async () => {
    const result = await toolchain.run('llvm-nm', ['--version'], {});
    expect(new TextDecoder().decode(result.stdout)).toMatch(/LLVM version 22\./);
  });

  it('turns a failing tool into a ToolError carrying stderr and the exit code', async () => {
    const failure = toolchain.run('ld.lld', ['-T', 'broken.lds', '-o', 'out'], {
      'broken.lds': 'SECTIONS { .text : { *(.text) } ',
    });
    await expect(failure).rejects.toBeInstanceOf(ToolError);
    const error = (await failure.catch((e: unknown) => e)) as ToolError;
    expect(error.exitCode).toBe(1);
    expect(error.stderr).toMatch(/broken\.lds/);
    expect(error.message).toMatch(/^ld\.lld exited with code 1/);
  });

  it('hands back an image of tens of MB written to stdout (`-o -`), whole', async () => {
    // A linker script given as an input file is enough for ld.lld to link.
    const script = 'SECTIONS { .data : { BYTE(0x5a) . += 0x2000000; BYTE(0xa5) } }';
    const result = await toolchain.run('ld.lld', ['-m', 'elf64lppc', 'big.lds', '-o', '-'], {
      'big.lds': script,
    });
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
