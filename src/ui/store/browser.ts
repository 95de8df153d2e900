/** The composition root of the store in a real page: the worker's supervisor, the URL, the codec. */
import { decodeLinkHash, encodeLinkHash } from '../../toolchain/scenario/permalink-view.ts';
import { firstToolchainWorker } from '../../worker/first-worker.ts';
import { pageSweepPoolSize, runSweepInWorkers } from '../../worker/sweep-pool.ts';
import { createToolchainSupervisor } from '../../worker/supervisor.ts';
import { createBrowserEnvironment } from './browser-env.ts';
import { createAppStore, type AppStore } from './create-store.ts';

export function createBrowserStore(): AppStore {
  // The worker index.html started before the app's scripts (first-worker.ts).
  const supervisor = createToolchainSupervisor({ firstWorker: firstToolchainWorker });
  return createAppStore({
    supervisor,
    sweeper: {
      run: (plan, { onStep, signal }) =>
        runSweepInWorkers(plan, {
          size: pageSweepPoolSize(plan.steps.length),
          modules: supervisor.compiledModules,
          onStep,
          signal,
        }),
    },
    env: createBrowserEnvironment(),
    codec: { encode: encodeLinkHash, decode: decodeLinkHash },
  });
}
