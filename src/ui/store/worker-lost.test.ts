/**
 * The store when the supervisor reports a worker that ended without being
 * asked to (it closed itself, the browser ended it): the run in flight
 * fails in the supervisor's words, the notice stays until dismissed, and
 * Run works again on the replacement.
 */
import { describe, expect, it } from 'vitest';
import { createAppStore } from './create-store.ts';
import * as sel from './selectors.ts';
import {
  fakeCodec,
  fakePage,
  fakeSupervisor,
  fakeSweeper,
  makePass,
  makeRecord,
} from './testing/fakes.ts';

const tick = () => new Promise<void>((r) => setTimeout(r, 0));

async function ready() {
  const supervisor = fakeSupervisor();
  const store = createAppStore({
    supervisor,
    sweeper: fakeSweeper(),
    env: fakePage(),
    codec: fakeCodec,
  });
  const started = store.getState().actions.start();
  await supervisor.finishInit();
  await started;
  return { supervisor, store, actions: store.getState().actions, get: () => store.getState() };
}

const LOST =
  'The toolchain worker stopped without reporting an error (it closed itself, or the browser ended it). ' +
  'A new one has been started in its place.';

describe('a worker lost', () => {
  it('fails the run in flight in the supervisor’s words and keeps the notice until dismissed', async () => {
    const { supervisor, actions, get } = await ready();
    actions.run();
    await supervisor.runs[0].onPass(makePass(1));
    await supervisor.runs[0].onPass(makePass(2));
    // What the supervisor does: the run is rejected, the page told, a new worker starts.
    supervisor.runs[0].reject(Object.assign(new Error(LOST), { name: 'WorkerFailedError' }));
    supervisor.loseWorker(LOST);
    supervisor.setStatus('failed', LOST);
    supervisor.setStatus('starting');
    await tick();
    expect(sel.selectRunPhase(get())).toBe('failed');
    expect(sel.selectRunError(get())).toBe(LOST);
    expect(sel.selectIsBusy(get())).toBe(false);
    expect(sel.selectToolchain(get()).workerLost).toBe(LOST);

    // Ready again: the notice stays (it says what happened), and Run runs.
    supervisor.setStatus('ready');
    expect(sel.selectToolchain(get()).workerLost).toBe(LOST);
    actions.run();
    expect(supervisor.runs).toHaveLength(2);
    supervisor.runs[1].resolve(
      makeRecord([makePass(1), makePass(2, { step: 'vmlinux' })], {
        kind: 'converged',
        passes: 1,
        summary: 'Converged after 1 pass',
      }),
    );
    await tick();
    expect(sel.selectRunPhase(get())).toBe('done');

    actions.dismissWorkerLost();
    expect(sel.selectToolchain(get()).workerLost).toBeNull();
  });
});
