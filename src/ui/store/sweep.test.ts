/**
 * The sweep slice with a fake sweeper: the form and its messages, a sweep's
 * progress as steps arrive out of order, the ranges, stop and failure.
 */
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import { sweepRecord, type SweepStepResult } from '../../toolchain/sweep/index.ts';
import { createAppStore } from './create-store.ts';
import * as sel from './selectors.ts';
import {
  fakeCodec,
  fakeDiagnoser,
  fakePage,
  fakeSupervisor,
  fakeSweeper,
  fakeTrier,
} from './testing/fakes.ts';

function setup() {
  const sweeper = fakeSweeper();
  const store = createAppStore({
    supervisor: fakeSupervisor(),
    sweeper,
    trier: fakeTrier(),
    diagnoser: fakeDiagnoser(),
    env: fakePage(),
    codec: fakeCodec,
  });
  return { sweeper, store, actions: store.getState().actions, get: () => store.getState() };
}

const result = (
  index: number,
  value: number,
  verdict: SweepStepResult['verdict'],
  passes: number,
): SweepStepResult => ({
  index,
  value,
  verdict,
  passes,
  tableSymbols: 3000,
  stubs: 0,
  ms: 100,
  summary: verdict,
});

describe('sweeps', () => {
  it('offers the gap from 28 to 36 MiB in 64 steps, and a fitting range per parameter', () => {
    const { get, actions } = setup();
    expect(sel.selectSweepForm(get())).toEqual({ param: 'gap', from: '28', to: '36', steps: '64' });
    actions.setSweepParam('align');
    expect(sel.selectSweepForm(get())).toMatchObject({ param: 'align', from: '4096' });
    actions.setSweepParam('base');
    expect(sel.selectSweepForm(get())).toMatchObject({
      param: 'base',
      from: '0xc000000000000000',
      to: '0xc000000010000000',
    });
  });

  it('sweeps the scenario on the page, showing steps as they arrive, then the record', async () => {
    const { get, actions, sweeper } = setup();
    actions.choosePreset('powerpc-2020');
    actions.editSweepField('from', '31.5');
    actions.editSweepField('to', '31.75');
    actions.editSweepField('steps', '3');
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(1);
    const { plan } = sweeper.sweeps[0];
    expect(plan.scenario).toEqual(findPreset('powerpc-2020')!.scenario);
    expect(plan.steps.map((s) => s.scenario.layout.gap)).toEqual([
      31.5 * 2 ** 20,
      31.625 * 2 ** 20,
      31.75 * 2 ** 20,
    ]);
    expect(sel.selectSweepRunning(get())).toBe(true);
    expect(sel.selectSweepProgress(get())).toEqual({ done: 0, total: 3 });

    // Workers finish out of order; the ranges cover what is known, in step order.
    sweeper.sweeps[0].onStep(result(2, 31.75, 'inconsistent', 3));
    sweeper.sweeps[0].onStep(result(0, 31.5, 'converged', 2));
    expect(sel.selectSweepProgress(get())).toEqual({ done: 2, total: 3 });
    expect(sel.selectSweepResults(get()).map((r) => r.index)).toEqual([0, 2]);
    expect(sel.selectSweepRanges(get()).map((r) => [r.verdict, r.first, r.last])).toEqual([
      ['converged', 0, 0],
      ['inconsistent', 2, 2],
    ]);
    // Asking again while it runs does not start a second sweep.
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(1);

    const steps = [
      result(0, 31.5, 'converged', 2),
      result(1, 31.625, 'inconsistent', 3),
      result(2, 31.75, 'inconsistent', 3),
    ];
    sweeper.sweeps[0].resolve(sweepRecord(plan, steps, { toolchain: 'wasm', jobs: 2, totalMs: 9 }));
    await Promise.resolve();
    expect(sel.selectSweepRun(get())?.status).toBe('done');
    expect(sel.selectSweepRanges(get()).map((r) => [r.verdict, r.first, r.last])).toEqual([
      ['converged', 0, 0],
      ['inconsistent', 1, 2],
    ]);
  });

  it('keeps an invalid form as typed, says what is wrong, and starts nothing', () => {
    const { get, actions, sweeper } = setup();
    actions.editSweepField('steps', '1000');
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(0);
    expect(sel.selectSweepFormError(get())).toMatch(/steps/);
    expect(sel.selectSweepForm(get()).steps).toBe('1000');
    // Editing clears the message; a value the scenario cannot hold is named with its step.
    actions.editSweepField('steps', '4');
    expect(sel.selectSweepFormError(get())).toBeNull();
    actions.editSweepField('from', '-3');
    actions.startSweep();
    expect(sel.selectSweepFormError(get())).toMatch(/step 1 of 4 \(gap -3 MiB\)/);
    actions.editSweepField('from', 'lots');
    actions.startSweep();
    expect(sel.selectSweepFormError(get())).toMatch(/from/);
    expect(sweeper.sweeps).toHaveLength(0);
  });

  it('stops a sweep at once, keeping the steps that finished', async () => {
    const { get, actions, sweeper } = setup();
    actions.editSweepField('steps', '4');
    actions.startSweep();
    sweeper.sweeps[0].onStep(result(0, 28, 'converged', 2));
    actions.stopSweep();
    await Promise.resolve();
    expect(sel.selectSweepRun(get())).toMatchObject({ status: 'stopped', error: null });
    expect(sel.selectSweepProgress(get())).toEqual({ done: 1, total: 4 });
    // And a new one can start.
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(2);
  });

  it('reports a failed sweep in words', async () => {
    const { get, actions, sweeper } = setup();
    actions.editSweepField('steps', '4');
    actions.startSweep();
    sweeper.sweeps[0].reject(new Error('A sweep worker stopped (it may have run out of memory).'));
    await Promise.resolve();
    expect(sel.selectSweepRun(get())).toMatchObject({
      status: 'failed',
      error: 'A sweep worker stopped (it may have run out of memory).',
    });
  });
});
