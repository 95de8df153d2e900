/** A store over the fakes, for tests: `setup` as the page starts it, `ready` with the toolchain ready. */
import { createAppStore } from '../create-store.ts';
import {
  fakeCodec,
  fakeDiagnoser,
  fakePage,
  fakeSupervisor,
  fakeSweeper,
  fakeTrier,
  type FakePage,
} from './fakes.ts';

export const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export function setup(
  hash = '',
  configure?: (page: FakePage) => void,
  options: { alternativesDelayMs?: number } = {},
) {
  const supervisor = fakeSupervisor();
  const sweeper = fakeSweeper();
  const trier = fakeTrier();
  const diagnoser = fakeDiagnoser();
  const page = fakePage(hash);
  configure?.(page);
  const store = createAppStore({
    supervisor,
    sweeper,
    trier,
    diagnoser,
    env: page,
    codec: fakeCodec,
    ...options,
  });
  const actions = store.getState().actions;
  return {
    supervisor,
    sweeper,
    trier,
    diagnoser,
    page,
    store,
    actions,
    get: () => store.getState(),
  };
}

/** Starts the store (opening `hash` as the page would) and makes the toolchain ready. */
export async function ready(hash = '', options: { alternativesDelayMs?: number } = {}) {
  const t = setup(hash, undefined, options);
  const started = t.actions.start();
  await t.supervisor.finishInit();
  await started;
  return t;
}
