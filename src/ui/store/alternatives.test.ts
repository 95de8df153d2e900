/**
 * "What would change it" (issue 11, point 2): after a verdict, the run's
 * alternatives go to the background trier (workers of the sweep pool's
 * kind), never to the main worker, and each shows the outcome its own run
 * reported; they stop, saying why, when the scenario changes, another run
 * starts or a sweep starts.
 */
import { describe, expect, it } from 'vitest';
import type { Verdict } from '../../toolchain/kbuild/records.ts';
import { alternativesFor } from '../../toolchain/scenario/alternatives.ts';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import type { SweepStepResult } from '../../toolchain/sweep/index.ts';
import { fakeCodec, makePass, makeRecord } from './testing/fakes.ts';
import { ready, tick } from './testing/setup.ts';

const inconsistent: Verdict = {
  kind: 'inconsistent',
  passes: 3,
  summary: 'Inconsistent kallsyms data after 3 trial links',
  check: {
    ok: false,
    message: 'Inconsistent kallsyms data',
    trialLines: 1,
    finalLines: 1,
    differences: [],
  },
};
const record = () =>
  makeRecord(
    [makePass(1), makePass(2), makePass(3), makePass(4, { step: 'vmlinux' })],
    inconsistent,
  );
const outcome = (
  index: number,
  verdict: SweepStepResult['verdict'],
  passes: number,
): SweepStepResult => ({
  index,
  value: index,
  verdict,
  passes,
  tableSymbols: 100,
  stubs: 0,
  ms: 5,
  summary: `${verdict} after ${passes} trial links`,
});

async function afterVerdict(hash = '') {
  const t = await ready(hash);
  if (!hash) {
    t.actions.choosePreset('powerpc-2020');
    t.actions.run();
  }
  t.supervisor.runs[0].resolve(record());
  await tick();
  return t;
}

describe('what would change it', () => {
  it('after the reader’s run, tries each alternative on the trier, not the main worker, and shows each outcome', async () => {
    const { get, trier, supervisor } = await afterVerdict();
    const expected = alternativesFor(findPreset('powerpc-2020')!.scenario, record());
    expect(expected.length).toBeGreaterThan(1);
    expect(trier.trials).toHaveLength(1);
    expect(trier.trials[0].scenarios).toEqual(expected.map((a) => a.scenario));
    expect(supervisor.runs).toHaveLength(1);
    const alternatives = get().alternatives!;
    expect(alternatives.runId).toBe(get().current!.id);
    expect(alternatives.status).toBe('running');
    expect(alternatives.items.map((i) => i.label)).toEqual(expected.map((a) => a.label));
    expect(alternatives.items[0].hash).toBe(fakeCodec.encode(expected[0].scenario));

    trier.trials[0].onResult(1, outcome(1, 'converged', 5));
    trier.trials[0].onError(0, 'Not run: too large');
    expect(get().alternatives!.items[1]).toMatchObject({ status: 'done', result: { passes: 5 } });
    expect(get().alternatives!.items[0]).toMatchObject({
      status: 'failed',
      error: 'Not run: too large',
    });
    expect(get().alternatives!.status).toBe('running');
    expected.forEach((_, i) => i > 1 && trier.trials[0].onResult(i, outcome(i, 'inconsistent', 3)));
    trier.trials[0].resolve();
    await tick();
    expect(get().alternatives!.status).toBe('done');
  });

  it('with a delay, they start once the verdict has been on screen that long, and a Run pressed sooner starts none', async () => {
    const wait = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
    const read = await ready('', { alternativesDelayMs: 40 });
    read.actions.choosePreset('powerpc-2020');
    read.actions.run();
    read.supervisor.runs[0].resolve(record());
    await tick();
    expect(read.trier.trials).toHaveLength(0);
    await wait(80);
    expect(read.trier.trials).toHaveLength(1);

    const again = await ready('', { alternativesDelayMs: 40 });
    again.actions.choosePreset('powerpc-2020');
    again.actions.run();
    again.supervisor.runs[0].resolve(record());
    await tick();
    again.actions.run();
    await wait(80);
    expect(again.trier.trials).toHaveLength(0);
    expect(again.get().alternatives!.stopReason).toBe('another run started');
  });

  it('a kernel-sized run’s alternatives wait for a click (over the budget), then run', async () => {
    const t = await ready();
    t.actions.choosePreset('lld-today-large');
    t.actions.run();
    t.supervisor.runs[0].resolve(record());
    await tick();
    expect(t.get().alternatives!.status).toBe('held');
    expect(t.get().alternatives!.over.length).toBeGreaterThan(0);
    expect(t.trier.trials).toHaveLength(0);
    t.actions.tryAlternatives();
    expect(t.trier.trials).toHaveLength(1);
    expect(t.get().alternatives!.status).toBe('running');
  });

  it('a link’s run within the budget tries them too', async () => {
    const { get, trier } = await afterVerdict(
      fakeCodec.encode(findPreset('powerpc-2020')!.scenario),
    );
    expect(get().current!.origin).toBe('link');
    expect(trier.trials).toHaveLength(1);
    expect(get().alternatives!.status).toBe('running');
  });

  it('stop when the scenario changes, saying what changed', async () => {
    const { get, actions, trier } = await afterVerdict();
    actions.editField('gapMiB', '30');
    expect(trier.trials[0].signal.aborted).toBe(true);
    expect(get().alternatives).toMatchObject({
      status: 'stopped',
      stopReason: 'the scenario changed (gap)',
    });
    // Out of date: not tried again by a click either.
    actions.tryAlternatives();
    expect(trier.trials).toHaveLength(1);
  });

  it('stop when another run starts, and when a sweep starts', async () => {
    const first = await afterVerdict();
    first.actions.run();
    expect(first.trier.trials[0].signal.aborted).toBe(true);
    expect(first.get().alternatives!.stopReason).toBe('another run started');

    const second = await afterVerdict();
    second.actions.startSweep();
    expect(second.trier.trials[0].signal.aborted).toBe(true);
    expect(second.get().alternatives!.stopReason).toBe('a sweep started');
    // Tried again by the reader's click, once the sweep is theirs to stop.
    second.actions.tryAlternatives();
    expect(second.trier.trials).toHaveLength(2);
  });

  it('a run stopped or failed has no alternatives', async () => {
    const { get, actions, supervisor, trier } = await ready();
    actions.run();
    actions.stop();
    await tick();
    actions.run();
    supervisor.runs.at(-1)!.reject(new Error('boom'));
    await tick();
    expect(get().current!.phase).toBe('failed');
    expect(trier.trials).toHaveLength(0);
    expect(get().alternatives).toBeNull();
  });
});
