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
});
