/** The composition root of the store in a real page: the worker's supervisor, the URL, the codec. */
import { decodeScenarioHash, encodeScenarioHash } from '../../toolchain/scenario/permalink.ts';
import { createToolchainSupervisor } from '../../worker/supervisor.ts';
import { createBrowserEnvironment } from './browser-env.ts';
import { createAppStore, type AppStore } from './create-store.ts';

export function createBrowserStore(): AppStore {
  return createAppStore({
    supervisor: createToolchainSupervisor(),
    env: createBrowserEnvironment(),
    codec: { encode: encodeScenarioHash, decode: decodeScenarioHash },
  });
}
