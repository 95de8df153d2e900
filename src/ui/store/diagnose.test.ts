/**
 * "Diagnose your build" in the store (issue 11, point 3): the inputs go to
 * the diagnoser as given (a file by handle, pasted text as text), progress
 * is shown, Cancel aborts, and a bad file's message never costs the reader
 * their inputs or an earlier result.
 */
import { describe, expect, it } from 'vitest';
import type { Diagnosis } from '../../toolchain/diagnose/index.ts';
import { setup, tick } from './testing/setup.ts';

const diagnosis = { format: 1, inputs: 1, tables: [] } as unknown as Diagnosis;

describe('diagnose your build', () => {
  it('sends the files and text given, shows progress, then the result', async () => {
    const { get, actions, diagnoser } = setup();
    actions.openDiagnose();
    expect(get().diagnose.open).toBe(true);
    const file = new Blob(['c0000000 T _stext\n']);
    actions.setDiagnoseSlot(0, { kind: 'file', name: 'System.map', size: file.size, file });
    actions.setDiagnoseSlot(1, { kind: 'text', text: 'c0000000 T _stext\n' });
    actions.setDiagnoseOption('filterLldStubs', true);
    actions.startDiagnose();
    expect(get().diagnose.status).toBe('running');
    const call = diagnoser.calls[0];
    expect(call.inputs).toEqual([
      { name: 'System.map', blob: file },
      { name: 'pasted text 2', text: 'c0000000 T _stext\n' },
    ]);
    expect(call.options).toEqual({ filterLldStubs: true, allSymbols: false });
    call.onProgress({ input: 0, phase: 'read', step: 'reading System.map', fraction: 0.2 });
    expect(get().diagnose.progress?.fraction).toBe(0.2);
    call.resolve(diagnosis);
    await tick();
    expect(get().diagnose).toMatchObject({
      status: 'done',
      result: diagnosis,
      resultFor: ['System.map', 'pasted text 2'],
      progress: null,
    });
  });

  it('a bad file says why and keeps the inputs and the earlier result', async () => {
    const { get, actions, diagnoser } = setup();
    actions.setDiagnoseSlot(0, { kind: 'text', text: 'good' });
    actions.startDiagnose();
    diagnoser.calls[0].resolve(diagnosis);
    await tick();
    const bad = new Blob(['\x7fELF garbage']);
    actions.setDiagnoseSlot(0, { kind: 'file', name: 'vmlinux', size: bad.size, file: bad });
    actions.startDiagnose();
    diagnoser.calls[1].reject(new Error('vmlinux: this ELF image is cut short'));
    await tick();
    expect(get().diagnose).toMatchObject({
      status: 'failed',
      error: 'vmlinux: this ELF image is cut short',
      result: diagnosis,
      resultFor: ['pasted text 1'],
    });
    expect(get().diagnose.slots[0]).toMatchObject({ kind: 'file', name: 'vmlinux' });
  });

  it('Cancel aborts the worker’s diagnosis; nothing given says what to give', async () => {
    const { get, actions, diagnoser } = setup();
    actions.startDiagnose();
    expect(get().diagnose.status).toBe('failed');
    expect(get().diagnose.error).toMatch(/^Nothing to diagnose yet/);
    expect(diagnoser.calls).toHaveLength(0);
    actions.setDiagnoseSlot(1, { kind: 'text', text: 'x' });
    actions.startDiagnose();
    actions.cancelDiagnose();
    expect(diagnoser.calls[0].signal.aborted).toBe(true);
    await tick();
    expect(get().diagnose.status).toBe('cancelled');
  });
});
