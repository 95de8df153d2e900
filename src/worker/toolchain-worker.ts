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
import { installPreparedInstances } from './prepared-instances.ts';

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

/**
 * ld.lld instances made while the worker waits for the reader (prepared-instances.ts):
 * as many as most presets' Runs link (small-converges and ppc32-thunks 3,
 * powerpc-2020, lld-today and pinned-oscillates 4; `kallsyms-lab run --json`).
 * Each holds ~13 MB until a link takes it (Node's RSS per instance: its
 * memory's first 18 MB, 9.5 MB of it data, and its table).
 */
const PREPARED_INSTANCES = 4;
const instances = installPreparedInstances(
  self as unknown as Parameters<typeof installPreparedInstances>[0],
  PREPARED_INSTANCES,
);
/** Calls of the API under way: instances are prepared only when none is. */
let active = 0;
const busy = () => active > 0;
/** Counts the call as work; once the playground's run or warm-up ends, prepares instances. */
async function working<T>(work: () => Promise<T>, refillAfter = false): Promise<T> {
  active++;
  try {
    return await work();
  } finally {
    active--;
    if (refillAfter && !busy()) void instances.refill(busy);
  }
}

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

async function init(...[onProgress, modules]: Parameters<ToolchainWorkerApi['init']>) {
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
}

async function run(...[scenario, onPass, onCorpusProgress]: Parameters<ToolchainWorkerApi['run']>) {
  try {
    // The passes went to the page one by one: not again (see api.ts).
    return { ...(await service.run(scenario, onPass, onCorpusProgress)), passes: [] };
  } finally {
    release(onPass);
    if (onCorpusProgress) release(onCorpusProgress);
  }
}

const api: ToolchainWorkerApi = {
  init: (onProgress, modules) => working(() => init(onProgress, modules)),
  compiledModules: () => assets.compiledModules(),
  // ld.lld --version takes an instance too, after the warm-up and runs.
  toolchainVersion: () => working(() => service.toolchainVersion(), true),
  // The playground's warm-up and runs: once one ends and nothing else is under way,
  // instances are prepared for the next Run.
  prepare: (scenario) => working(() => service.prepare(scenario), true),
  run: (scenario, onPass, onCorpusProgress) =>
    working(() => run(scenario, onPass, onCorpusProgress), true),
  // A sweep's workers take step after step: nothing is prepared between.
  sweepStep: (step) => working(() => service.sweepStep(step)),
  cancelRun: () => service.cancelRun(),
  lifeline: () => lifeline,
};

expose(api);
