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
import { ready } from './testing/setup.ts';

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

  it('maps two parameters: cells row by row, ranges per row and column, a cell opens and runs', async () => {
    const { get, actions, sweeper, supervisor } = await ready();
    actions.choosePreset('powerpc-2020');
    actions.setStrategy('fixpoint');
    actions.editSweepField('from', '31.5');
    actions.editSweepField('to', '31.75');
    actions.editSweepField('steps', '3');
    actions.setSweepParam2('maxPasses');
    expect(sel.selectSweepSecond(get())).toMatchObject({ param: 'maxPasses', steps: '8' });
    actions.editSweepField('from2', '2');
    actions.editSweepField('to2', '3');
    actions.editSweepField('steps2', '2');
    expect(sel.selectSweepCellCount(get())).toBe(6);
    actions.startSweep();
    expect(sel.selectSweepFormError(get())).toBeNull();
    const { plan } = sweeper.sweeps[0];
    // Row by row: the first parameter across, the second down.
    expect(plan.steps.map((s) => [s.scenario.layout.gap / 2 ** 20, s.scenario.maxPasses])).toEqual([
      [31.5, 2],
      [31.625, 2],
      [31.75, 2],
      [31.5, 3],
      [31.625, 3],
      [31.75, 3],
    ]);
    expect(sel.selectSweepRun(get())).toMatchObject({
      param: 'gap',
      param2: 'maxPasses',
      values: [31.5, 31.625, 31.75],
      values2: [2, 3],
      request: { second: { param: 'maxPasses', from: '2', to: '3', steps: 2 } },
    });
    expect(sel.selectSweepProgress(get())).toEqual({ done: 0, total: 6 });
    const cell = (i: number, verdict: SweepStepResult['verdict'], passes: number) => ({
      ...result(i, [31.5, 31.625, 31.75][i % 3], verdict, passes),
      value2: [2, 3][Math.floor(i / 3)],
    });
    for (const [i, v, p] of [
      [0, 'converged', 2],
      [1, 'not-converged', 2],
      [2, 'not-converged', 2],
      [3, 'converged', 2],
      [5, 'inconsistent', 3],
    ] as const)
      sweeper.sweeps[0].onStep(cell(i, v, p));
    expect(sel.selectSweepProgress(get())).toEqual({ done: 5, total: 6 });
    // The one-parameter ranges would mix rows: a map has none, but a line per row and column.
    expect(sel.selectSweepRanges(get())).toEqual([]);
    const lines = sel.selectSweepGridLines(get())!;
    expect(
      lines.byRow.map((l) => [l.value, l.ranges.map((r) => [r.verdict, r.from, r.to])]),
    ).toEqual([
      [
        2,
        [
          ['converged', 31.5, 31.5],
          ['not-converged', 31.625, 31.75],
        ],
      ],
      [
        3,
        [
          ['converged', 31.5, 31.5],
          ['inconsistent', 31.75, 31.75],
        ],
      ],
    ]);
    expect(lines.byColumn[2].ranges.map((r) => [r.verdict, r.from, r.to])).toEqual([
      ['not-converged', 2, 2],
      ['inconsistent', 3, 3],
    ]);
    // Opening a cell puts its whole scenario in the form and runs it; the map stays current.
    actions.openSweepCell(4);
    expect(get().scenario).toEqual(plan.steps[4].scenario);
    expect(supervisor.runs.at(-1)?.scenario).toEqual(plan.steps[4].scenario);
    expect(sel.selectSweepChosenIndex(get())).toBe(4);
    expect(sel.selectSweepChanges(get())).toEqual([]);
    // Another field (not swept) makes the map out of date, and says which.
    actions.setGeneration('v5.8');
    expect(sel.selectSweepChanges(get()).map((c) => c.field)).toEqual(['generation']);
  });

  it('refuses in words a map over the page ceiling, before any worker starts', () => {
    const { get, actions, sweeper } = setup();
    actions.choosePreset('powerpc-2020');
    actions.setStrategy('fixpoint');
    actions.setSweepParam('maxPasses');
    actions.editSweepField('from', '2');
    actions.editSweepField('to', '64');
    actions.editSweepField('steps', '63');
    actions.setSweepParam2('gap');
    actions.editSweepField('steps2', '64');
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(0);
    expect(sel.selectSweepFormError(get())).toMatch(
      /^Not swept: this sweep asks for .*links.*command-line tool/,
    );
    // The second parameter cannot be the first, and too many cells are refused in words.
    actions.setSweepParam('gap');
    expect(sel.selectSweepSecond(get())).toBeNull();
    actions.setSweepParam2('align');
    actions.editSweepField('steps', '256');
    actions.editSweepField('steps2', '32');
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(0);
    expect(sel.selectSweepFormError(get())).toMatch(/4096/);
  });

  it('sweeps a generated corpus knob, and refuses one on the kernel-like corpus in words', () => {
    const { get, actions, sweeper } = setup();
    actions.choosePreset('powerpc-2020');
    actions.setSweepParam('nameLength');
    actions.startSweep();
    expect(sweeper.sweeps).toHaveLength(0);
    expect(sel.selectSweepFormError(get())).toMatch(
      /nameLength is a parameter of a generated corpus/,
    );
    actions.choosePreset('pinned-oscillates');
    actions.setSweepParam('nameLength');
    actions.editSweepField('steps', '3');
    actions.editSweepField('from', '8');
    actions.editSweepField('to', '24');
    actions.startSweep();
    expect(sweeper.sweeps[0].plan.steps.map((s) => s.scenario.corpus)).toEqual(
      [8, 16, 24].map((n) => expect.stringContaining(`nameLength=${n}`)),
    );
  });
});
