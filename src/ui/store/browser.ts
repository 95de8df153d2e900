/** The composition root of the store in a real page: the worker's supervisor, the URL, the codec. */
import { decodeLinkHash, encodeLinkHash } from '../../toolchain/scenario/permalink-view.ts';
import { firstToolchainWorker } from '../../worker/first-worker.ts';
import { createDiagnoser } from '../../worker/diagnose-client.ts';
import {
  backgroundPoolSize,
  pageSweepPoolSize,
  runScenariosInWorkers,
  runSweepInWorkers,
} from '../../worker/sweep-pool.ts';
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
    // A verdict's alternatives: workers of the sweep pool's kind, never the main one.
    trier: {
      run: (scenarios, { onResult, onError, signal }) =>
        runScenariosInWorkers(scenarios, {
          size: backgroundPoolSize(scenarios.length),
          modules: supervisor.compiledModules,
          onResult,
          onError,
          signal,
        }),
    },
    // Long enough to read the verdict: Run pressed again sooner never competes with them.
    alternativesDelayMs: 1500,
    diagnoser: createDiagnoser(),
    env: createBrowserEnvironment(),
    codec: { encode: encodeLinkHash, decode: decodeLinkHash },
  });
}
