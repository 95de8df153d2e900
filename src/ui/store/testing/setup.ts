/** A store over the fakes, for tests: `setup` as the page starts it, `ready` with the toolchain ready. */
import { createAppStore } from '../create-store.ts';
import { fakeCodec, fakePage, fakeSupervisor, fakeSweeper, type FakePage } from './fakes.ts';

export const tick = () => new Promise<void>((r) => setTimeout(r, 0));

export function setup(hash = '', configure?: (page: FakePage) => void) {
  const supervisor = fakeSupervisor();
  const sweeper = fakeSweeper();
  const page = fakePage(hash);
  configure?.(page);
  const store = createAppStore({ supervisor, sweeper, env: page, codec: fakeCodec });
  const actions = store.getState().actions;
  return { supervisor, sweeper, page, store, actions, get: () => store.getState() };
}

/** Starts the store (opening `hash` as the page would) and makes the toolchain ready. */
export async function ready(hash = '') {
  const t = setup(hash);
  const started = t.actions.start();
  await t.supervisor.finishInit();
  await started;
  return t;
}
