/**
 * The package fetches and compiles its modules on a run that finds them
 * missing, once per process: this file has a process of its own (vitest's
 * forks), so the package has fetched nothing when it starts. A run that
 * starts during a prefetch (the CLI prefetches while it makes the corpus)
 * must share that fetch, not compile the 75 MB module a second time.
 */
import { expect, it } from 'vitest';
import { createWasmToolchain } from './wasm-toolchain.ts';

it('fetches and compiles its modules once, however many runs start during a prefetch', async () => {
  // Each fetch of the package first reports nothing done yet: count those.
  let fetches = 0;
  const toolchain = createWasmToolchain({
    onFetchProgress: ({ doneLength }) => void (doneLength === 0 && fetches++),
  });
  await Promise.all([
    toolchain.prefetch(),
    toolchain.run('llvm-nm', ['--version'], {}),
    toolchain.run('llvm-nm', ['--version'], {}),
    toolchain.prefetch(),
  ]);
  expect(fetches).toBe(1);
});
