/**
 * What both toolchains promise the engine: every file of the working
 * directory comes back, inputs as given and outputs as written (also one
 * that replaced an input), and the same input buffer can be given to run
 * after run (the native toolchain links it from a store written once).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createNativeToolchain } from './native-toolchain.ts';
import type { Toolchain } from './toolchain.ts';
import { createWasmToolchain } from './wasm-toolchain.ts';

const corpus = join(import.meta.dirname, '../../../public/corpus/ppc64le');

describe.each([
  ['wasm', () => createWasmToolchain()],
  ['native', () => createNativeToolchain()],
] as Array<[string, () => Toolchain]>)('the %s toolchain', (_kind, create) => {
  it('hands back the inputs and what the tool wrote, and takes the same input buffers again', async () => {
    const toolchain = create();
    const object = new Uint8Array(await readFile(join(corpus, 'lib/crc32.o')));
    const inputs = { 'lib/crc32.o': object, 'link.lds': 'SECTIONS { .text : { *(.text*) } }' };
    const args = ['-m', 'elf64lppc', '-r', '-T', 'link.lds', 'lib/crc32.o', '-o', 'out.o'];
    const first = await toolchain.run('ld.lld', args, inputs);
    expect(Object.keys(first.files).sort()).toEqual(['lib/crc32.o', 'link.lds', 'out.o']);
    expect(first.files['lib/crc32.o']).toEqual(object);
    expect(new TextDecoder().decode(first.files['link.lds'])).toBe(inputs['link.lds']);
    const second = await toolchain.run('ld.lld', args, inputs);
    expect(second.files['out.o']).toEqual(first.files['out.o']);
    // An output written over an input (re-running in a kept directory) comes back as written.
    const over = await toolchain.run('ld.lld', args, { ...inputs, 'out.o': new Uint8Array(8) });
    expect(over.files['out.o']).toEqual(first.files['out.o']);
    // The input is untouched by either run.
    expect(object).toEqual(new Uint8Array(await readFile(join(corpus, 'lib/crc32.o'))));
  });
});
