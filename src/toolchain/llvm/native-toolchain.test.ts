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
});
