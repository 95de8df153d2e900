/// <reference types="vite/client" />
/**
 * The Web Worker entry (a module worker): one long-lived toolchain and the
 * corpus objects live here, exposed through comlink. All logic is in
 * toolchain-service.ts; this file only binds it to browser globals.
 */
import { expose, releaseProxy } from 'comlink';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import type { ToolchainWorkerApi } from './api.ts';
import { fetchCorpusSource } from './fetch-corpus-source.ts';
import { contextLocks, holdLifeline } from './lifeline.ts';
import { installToolchainAssets } from './toolchain-assets.ts';
import { createToolchainService } from './toolchain-service.ts';

// A mark for profilers and the start probes: when the worker's own code begins.
performance.mark('kallsyms-lab: worker script running');

// Held for the worker's whole life: the page learns it ended, however it ends (lifeline.ts).
const lifeline = holdLifeline(contextLocks());

/** Defined by vite.config.ts: the size of the package's llvm-resources.tar. */
declare const __YOWASP_RESOURCES_TAR_BYTES__: number;

// Before anything imports @yowasp/clang: it reads `fetch` once, on import.
const assets = installToolchainAssets(
  self as unknown as Parameters<typeof installToolchainAssets>[0],
  { omitResourcesTar: { bytes: __YOWASP_RESOURCES_TAR_BYTES__ } },
);

// BASE_URL is absolute for this site ('/' or '/sub/'), so resolving against
// the worker's own URL gives the page's public/corpus/.
const corpusBase = new URL(`${import.meta.env.BASE_URL}corpus/`, self.location.href);

const service = createToolchainService({
  createToolchain: (onFetchProgress) =>
    createWasmToolchain({
      onFetchProgress: ({ doneLength, totalLength }) =>
        onFetchProgress({ doneLength, totalLength: totalLength - assets.omittedBytes() }),
    }),
  corpus: fetchCorpusSource(corpusBase),
});

/** Callbacks arrive as comlink proxies, each holding a MessagePort until released. */
function release(callback: unknown): void {
  (callback as { [releaseProxy]?: () => void })[releaseProxy]?.();
}

const api: ToolchainWorkerApi = {
  async init(onProgress, modules) {
    try {
      if (modules !== undefined) {
        // Anything but modules is ignored: the worker then compiles, as on a first start.
        // (The schemas, and zod, are loaded only here: a first start does not wait for them.)
        const { compiledModulesSchema } = await import('./messages.ts');
        const given = compiledModulesSchema.safeParse(modules);
        if (given.success) assets.adopt(given.data);
      }
      // Each report also says how many compressed bytes the downloads declared.
      const info = await service.init((progress) => {
        const wireBytes = assets.declaredWireBytes();
        return onProgress(wireBytes > 0 ? { ...progress, wireBytes } : progress);
      });
      void assets.pruneCache();
      const download = assets.download() ?? undefined;
      return { ...info, toolchainFrom: assets.toolchainFrom(), download };
    } finally {
      release(onProgress);
    }
  },
  compiledModules: () => assets.compiledModules(),
  toolchainVersion: () => service.toolchainVersion(),
  prepare: (scenario) => service.prepare(scenario),
  sweepStep: (step) => service.sweepStep(step),
  cancelRun: () => service.cancelRun(),
  lifeline: () => lifeline,
  async run(scenario, onPass, onCorpusProgress) {
    try {
      // The passes went to the page one by one: not again (see api.ts).
      return { ...(await service.run(scenario, onPass, onCorpusProgress)), passes: [] };
    } finally {
      release(onPass);
      if (onCorpusProgress) release(onCorpusProgress);
    }
  },
};

expose(api);
