/**
 * Results belong to a scenario (issue 9, point 1; the rule in the README): a
 * run or sweep in flight stops when the scenario changes under it and says
 * why; Step never continues a scenario the form no longer shows; a result
 * that has ended stays, marked out of date with the fields that differ; runs,
 * pins and sweeps carry their scenario's permalink.
 */
import { describe, expect, it } from 'vitest';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import { sweepRecord, type SweepStepResult } from '../../toolchain/sweep/index.ts';
import * as sel from './selectors.ts';
import { fakeCodec, makePass, makeRecord } from './testing/fakes.ts';
import { ready, tick } from './testing/setup.ts';

const converged = (passes: number) =>
  ({ kind: 'converged', passes, summary: `Converged after ${passes} trial links` }) as const;
const MIB = 1024 * 1024;

describe('a run in flight', () => {
  it('stops when the preset changes under it, says why, and ignores what it sends later', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    await supervisor.runs[0].onPass(makePass(1));
    actions.choosePreset('never-converges');
    expect(sel.selectRunPhase(get())).toBe('stopped');
    expect(get().current?.stopReason).toBe('the scenario changed (gap, alignment and strategy)');
    expect(supervisor.cancelCalls).toBe(1);
    // Its verdict never arrives next to the new scenario.
    supervisor.runs[0].resolve(makeRecord([makePass(1)], converged(2)));
    await tick();
    expect(sel.selectVerdict(get())).toBeNull();
    expect(supervisor.runs[0].onPass(makePass(2))).toBeUndefined();
    expect(sel.selectPasses(get())).toHaveLength(1);
    // What is on screen says it is another scenario's.
    expect(sel.selectResultOutOfDate(get())).toBe(true);
  });

  it('goes on when a field holds text that is not a value yet (the scenario has not changed)', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    actions.editField('gapMiB', '3x');
    actions.editField('gapMiB', '-5');
    expect(sel.selectRunPhase(get())).toBe('running');
    expect(supervisor.cancelCalls).toBe(0);
  });

  it('a change back to the same value is no change', async () => {
    const { get, actions } = await ready();
    actions.run();
    actions.setFlag('filterLldStubs', false);
    actions.setGapBytes(get().scenario.layout.gap);
    expect(sel.selectRunPhase(get())).toBe('running');
  });
});

describe('Step', () => {
  it('after an edit while paused, starts the form’s scenario from its first link, never the old one', async () => {
    const { get, actions, supervisor } = await ready();
    actions.step();
    void supervisor.runs[0].onPass(makePass(1));
    await tick();
    expect(sel.selectIsPaused(get())).toBe(true);
    actions.editField('gapMiB', '30');
    expect(sel.selectRunPhase(get())).toBe('stopped');
    expect(get().current?.stopReason).toBe('the scenario changed (gap)');
    actions.step();
    expect(supervisor.runs).toHaveLength(2);
    expect(supervisor.runs[1].scenario).toEqual(get().scenario);
    expect((supervisor.runs[1].scenario as { layout: { gap: number } }).layout.gap).toBe(30 * MIB);
    expect(sel.selectPasses(get())).toEqual([]);
    expect(sel.selectResultOutOfDate(get())).toBe(false);
  });
});

describe('a result that has ended', () => {
  it('stays after an edit, marked out of date with the fields that differ, until the form is back', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    const passes = [makePass(1), makePass(2), makePass(3, { step: 'vmlinux' })];
    supervisor.runs[0].resolve(makeRecord(passes, converged(2)));
    await tick();
    expect(sel.selectResultChanges(get())).toEqual([]);
    actions.editField('gapMiB', '30');
    actions.setStrategy('v5.9');
    expect(sel.selectVerdict(get())?.kind).toBe('converged');
    expect(sel.selectResultChanges(get())).toEqual([
      { field: 'gap', label: 'gap', from: '8 MiB', to: '30 MiB' },
      { field: 'strategy', label: 'strategy', from: 'latest', to: 'v5.9' },
    ]);
    actions.editField('gapMiB', '8');
    actions.setStrategy('latest');
    expect(sel.selectResultOutOfDate(get())).toBe(false);
  });

  it('carries its scenario’s permalink, and so does the pinned run, which says how the form differs', async () => {
    const { get, actions, supervisor } = await ready();
    actions.run();
    supervisor.runs[0].resolve(makeRecord([makePass(1)], converged(1)));
    await tick();
    expect(get().current?.hash).toBe(fakeCodec.encode(get().scenario));
    actions.pin();
    expect(get().pinned?.hash).toBe(fakeCodec.encode(findPreset('small-converges')!.scenario));
    actions.setFlag('filterLldStubs', true);
    expect(sel.selectPinnedChanges(get()).map((d) => d.label)).toEqual(['ld.lld stub filter']);
  });
});

const step = (index: number, value: number): SweepStepResult => ({
  index,
  value,
  verdict: 'converged',
  passes: 2,
  tableSymbols: 3000,
  stubs: 0,
  ms: 10,
  summary: 'converged',
});

describe('sweeps', () => {
  it('a sweep in flight stops when the scenario changes, not when only the swept value does', async () => {
    const { get, actions, sweeper } = await ready();
    actions.editSweepField('steps', '4');
    actions.startSweep();
    expect(get().sweep.run?.hash).toBe(fakeCodec.encode(get().scenario));
    expect(get().sweep.run?.request).toEqual({
      param: 'gap',
      from: '28',
      to: '36',
      steps: 4,
      second: null,
    });
    // The gap is what it sweeps (as a sweep point loaded into the form would set it).
    actions.editField('gapMiB', '30');
    expect(sel.selectSweepRunning(get())).toBe(true);
    expect(sel.selectSweepChanges(get())).toEqual([]);
    actions.setStrategy('v5.9');
    await tick();
    expect(get().sweep.run).toMatchObject({
      status: 'stopped',
      stopReason: 'the scenario changed (strategy)',
    });
    expect(sweeper.sweeps[0].signal.aborted).toBe(true);
  });

  it('a finished sweep stays after a change, marked out of date with what differs (issue 9, point 7)', async () => {
    const { get, actions, sweeper } = await ready();
    actions.editSweepField('steps', '2');
    actions.startSweep();
    const { plan } = sweeper.sweeps[0];
    sweeper.sweeps[0].resolve(
      sweepRecord(plan, [step(0, 28), step(1, 36)], { toolchain: 'wasm', jobs: 1, totalMs: 5 }),
    );
    await tick();
    actions.setFlag('extraPass', true);
    expect(get().sweep.run?.status).toBe('done');
    expect(sel.selectSweepChanges(get())).toEqual([
      { field: 'extraPass', label: 'KALLSYMS_EXTRA_PASS', from: 'off', to: 'on' },
    ]);
  });
});
