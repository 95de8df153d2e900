/**
 * Creates the toolchain worker (toolchain-worker.ts). A module of its own,
 * with no imports, so that the page can create the worker before it has
 * evaluated anything else (see src/ui/first-worker.ts).
 */

/** The real module worker; Vite bundles it from this exact `new Worker(new URL(...))` form. */
export function createToolchainWorker(): Worker {
  // A mark for profilers and the start probes.
  performance.mark('kallsyms-lab: creating the toolchain worker');
  return new Worker(new URL('./toolchain-worker.ts', import.meta.url), {
    type: 'module',
    name: 'kallsyms-lab toolchain',
  });
}
