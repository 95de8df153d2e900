import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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

  it('hands back an image over 1 GiB whole, as the WebAssembly toolchain does (no output buffer limit)', async () => {
    // Once "ld.lld exited with code -1": execFile's maxBuffer stopped at 1 GiB.
    const size = 2 ** 30 + 0x1000;
    const script = `SECTIONS { .data : { BYTE(0x5a) . += ${size}; BYTE(0xa5) } }`;
    const image = (
      await createNativeToolchain().run('ld.lld', ['-m', 'elf64lppc', 'big.lds', '-o', '-'], {
        'big.lds': script,
      })
    ).stdout;
    expect(image.length).toBeGreaterThan(size);
    const first = image.indexOf(0x5a, 0x40);
    expect(image[first + 1 + size]).toBe(0xa5);
  });

  it('runs each tool in a fresh directory holding only its inputs, with no LLD_* from the environment', async () => {
    // A private TMPDIR, to see every directory the toolchain makes and removes.
    const saved = { TMPDIR: process.env.TMPDIR, LLD_REPRODUCE: process.env.LLD_REPRODUCE };
    const root = mkdtempSync(join(tmpdir(), 'kallsyms-lab-native-test-'));
    const temp = join(root, 'tmp');
    const cwd = process.cwd();
    try {
      mkdirSync(temp);
      process.env.TMPDIR = temp;
      // A file beside the process's working directory that a relative INCLUDE would find.
      process.chdir(root);
      writeFileSync(join(root, 'outside.lds'), 'SECTIONS { .text : { *(.text) } }');
      process.env.LLD_REPRODUCE = join(root, 'reproduce.tar');
      const toolchain = createNativeToolchain();
      const error = await toolchain
        .run('ld.lld', ['-m', 'elf64lppc', 'main.lds', '-o', '-'], {
          'main.lds': 'INCLUDE outside.lds',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ToolError);
      expect((error as ToolError).stderr).toMatch(/cannot find linker script outside\.lds/);
      // A link that works writes nothing but its image, and leaves no directory behind.
      const ok = await toolchain.run('ld.lld', ['-m', 'elf64lppc', 'main.lds', '-o', '-'], {
        'main.lds': 'SECTIONS { .data : { BYTE(1) } }',
        'inputs/a.o.lds': '/* an input in a subdirectory */',
      });
      expect(Object.keys(ok.files).sort()).toEqual(['inputs/a.o.lds', 'main.lds']);
      expect(existsSync(join(root, 'reproduce.tar'))).toBe(false);
      await toolchain.dispose();
      expect(readdirSync(temp)).toEqual([]);
      expect(readdirSync(root).sort()).toEqual(['outside.lds', 'tmp']);
      // An input name that would leave the run directory is refused, not written.
      await expect(
        toolchain.run('ld.lld', ['--version'], { '../escape.lds': 'x' }),
      ).rejects.toThrow(/leaves the run directory/);
      await toolchain.dispose();
      expect(readdirSync(temp)).toEqual([]);
    } finally {
      process.chdir(cwd);
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(root, { recursive: true, force: true });
    }
  });
});
