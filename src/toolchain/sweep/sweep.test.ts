import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../kbuild/records.ts';
import { findPreset } from '../scenario/presets.ts';
import { ScenarioError } from '../scenario/schema.ts';
import { expandSweep, type SweepStep } from './request.ts';
import {
  describeSweepRange,
  inStepOrder,
  sweepPoolSize,
  sweepRanges,
  sweepRecord,
  sweepRecordSchema,
  sweepStepResult,
  type SweepStepResult,
} from './result.ts';

const MIB = 1024 * 1024;

/** The problems a bad request is rejected with. */
function problemsOf(input: unknown): string[] {
  try {
    expandSweep(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ScenarioError);
    return (error as ScenarioError).problems;
  }
  throw new Error('expected the request to be rejected');
}

const gapSweep = (from: number, to: number, steps: number) =>
  expandSweep({ preset: 'powerpc-2020', param: 'gap', from, to, steps });

describe('expandSweep: gap', () => {
  it('spaces the steps evenly in MiB, both endpoints included', () => {
    expect(gapSweep(28, 36, 5).steps.map((s) => s.value)).toEqual([28, 30, 32, 34, 36]);
  });

  it('64 steps over 28..36 MiB: exact endpoints, whole bytes, increasing', () => {
    const { steps } = gapSweep(28, 36, 64);
    expect(steps).toHaveLength(64);
    expect(steps[0].value).toBe(28);
    expect(steps[63].value).toBe(36);
    // Step 1 is 28 + 8/63 MiB, rounded to a whole byte (as run --gap rounds).
    expect(steps[1].scenario.layout.gap).toBe(Math.round((28 + 8 / 63) * MIB));
    for (const [i, s] of steps.entries()) {
      expect(s.index).toBe(i);
      // The reported value is what ran: `run --gap VALUE` repeats the step exactly.
      expect(s.scenario.layout.gap).toBe((s.value as number) * MIB);
      expect(Number.isInteger(s.scenario.layout.gap)).toBe(true);
      if (i > 0) expect(s.value).toBeGreaterThan(steps[i - 1].value as number);
    }
  });

  it('changes only the gap: everything else is the preset’s', () => {
    const preset = findPreset('powerpc-2020')!.scenario;
    for (const s of gapSweep(30, 32, 3).steps) {
      expect({ ...s.scenario, layout: { ...s.scenario.layout, gap: 0 } }).toEqual({
        ...preset,
        layout: { ...preset.layout, gap: 0 },
      });
    }
  });

  it('sweeps downwards when from > to', () => {
    expect(gapSweep(36, 28, 5).steps.map((s) => s.value)).toEqual([36, 34, 32, 30, 28]);
  });

  it('reports an out-of-range value in the schema’s words, with the step it came from', () => {
    const problems = problemsOf({
      preset: 'powerpc-2020',
      param: 'gap',
      from: 1000,
      to: 1100,
      steps: 11,
    });
    expect(problems[0]).toBe(
      'step 4 of 11 (gap 1030 MiB): layout.gap: must be at most 1073741824 (1 GiB)',
    );
    // The first three bad steps, then a count: not eight copies of one message.
    expect(problems).toHaveLength(4);
    expect(problems[3]).toBe('… and 5 more steps');
  });

  it('a negative gap is the schema’s “too small” at step 1', () => {
    expect(problemsOf({ preset: 'powerpc-2020', param: 'gap', from: -1, to: 4, steps: 6 })).toEqual(
      [expect.stringMatching(/^step 1 of 6 \(gap -1 MiB\): layout\.gap: .*>=0/)],
    );
  });
});

describe('expandSweep: align, base, maxPasses', () => {
  it('align steps by factors of two', () => {
    const { steps } = expandSweep({
      preset: 'small-converges',
      param: 'align',
      from: 16,
      to: 4096,
      steps: 9,
    });
    expect(steps.map((s) => s.value)).toEqual([16, 32, 64, 128, 256, 512, 1024, 2048, 4096]);
    expect(steps.map((s) => s.scenario.layout.align)).toEqual(steps.map((s) => s.value));
  });

  it('align: rejects non-powers of two, more steps than powers, and the schema’s range', () => {
    expect(
      problemsOf({ preset: 'small-converges', param: 'align', from: 24, to: 4096, steps: 3 }),
    ).toEqual(['from: align must be a power of two']);
    expect(
      problemsOf({ preset: 'small-converges', param: 'align', from: 16, to: 4096, steps: 10 }),
    ).toEqual(['steps: there are only 9 powers of two from 16 to 4096: use at most 9 steps']);
    expect(
      problemsOf({ preset: 'small-converges', param: 'align', from: 2, to: 16, steps: 4 }),
    ).toEqual([
      'step 1 of 4 (align 2 bytes): layout.align: must be between 4 and 268435456 (256 MiB)',
    ]);
  });

  it('base steps through 64-bit hex addresses without losing bits', () => {
    const { steps } = expandSweep({
      preset: 'small-converges',
      param: 'base',
      from: '0xc000000000000000',
      to: '0xc000000000100000',
      steps: 3,
    });
    expect(steps.map((s) => s.scenario.layout.base)).toEqual([
      '0xc000000000000000',
      '0xc000000000080000',
      '0xc000000000100000',
    ]);
    expect(
      problemsOf({ preset: 'small-converges', param: 'base', from: 12, to: '0x10', steps: 2 }),
    ).toEqual(['from: base is a hex address such as 0xc000000000000000']);
  });

  it('maxPasses: whole numbers, fixpoint scenarios only', () => {
    const { steps } = expandSweep({
      preset: 'never-converges',
      param: 'maxPasses',
      from: 2,
      to: 16,
      steps: 8,
    });
    expect(steps.map((s) => s.value)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(steps.map((s) => s.scenario.maxPasses)).toEqual([2, 4, 6, 8, 10, 12, 14, 16]);
    expect(
      problemsOf({ preset: 'powerpc-2020', param: 'maxPasses', from: 2, to: 8, steps: 4 })[0],
    ).toMatch(/maxPasses caps only the fixpoint strategy.*strategy is v5\.9/);
    expect(
      problemsOf({ preset: 'never-converges', param: 'maxPasses', from: 2, to: 4, steps: 4 }),
    ).toEqual(['steps: there are only 3 whole numbers from 2 to 4: use at most 3 steps']);
    expect(
      problemsOf({ preset: 'never-converges', param: 'maxPasses', from: 2, to: 80, steps: 2 }),
    ).toEqual([expect.stringMatching(/^step 2 of 2 \(maxPasses 80\): maxPasses: .*<=64/)]);
  });
});

describe('expandSweep: the request itself', () => {
  const ok = { preset: 'powerpc-2020', param: 'gap', from: 28, to: 36, steps: 4 };

  it.each([
    [{ ...ok, steps: 1 }, /^steps: .*>=2/],
    [{ ...ok, steps: 257 }, /^steps: .*<=256/],
    [{ ...ok, steps: 2.5 }, /^steps: .*int/],
    [{ ...ok, preset: 'nope' }, /^preset: unknown preset "nope": use one of small-converges, /],
    [{ ...ok, param: 'extraPass' }, /^param: .*"gap"\|"align"\|"base"\|"maxPasses"/],
    [{ ...ok, to: 28 }, /^to: equals from: nothing to sweep/],
    [{ ...ok, from: '28' }, /^from: gap is a number \(MiB, decimals allowed\)/],
    [
      { param: 'gap', from: 28, to: 36, steps: 4 },
      /^preset: give either a preset id or a scenario/,
    ],
  ])('rejects %j', (input, message) => {
    expect(problemsOf(input)[0]).toMatch(message);
  });

  it('takes a scenario instead of a preset, checked by the scenario schema', () => {
    const scenario = findPreset('lld-today')!.scenario;
    expect(expandSweep({ ...ok, preset: undefined, scenario }).steps[0].scenario.generation).toBe(
      'latest',
    );
    expect(
      problemsOf({ ...ok, preset: undefined, scenario: { ...scenario, strategy: 'nine' } })[0],
    ).toMatch(/^scenario\.strategy: /);
  });

  it('refuses a layout sweep of a scenario with its own linker script', () => {
    const scenario = { ...findPreset('lld-today')!.scenario, linkerScript: 'SECTIONS {}' };
    expect(problemsOf({ ...ok, preset: undefined, scenario })[0]).toMatch(
      /own linker script, which does not read layout\.gap/,
    );
  });
});

const result = (index: number, value: number, verdict: SweepStepResult['verdict']) => ({
  index,
  value,
  verdict,
  passes: 2,
  tableSymbols: 10,
  stubs: 0,
  ms: 1,
  summary: verdict,
});

describe('sweep results', () => {
  it('groups consecutive steps with one verdict into ranges', () => {
    const steps = [
      result(0, 28, 'converged'),
      result(1, 29, 'converged'),
      result(2, 30, 'inconsistent'),
      result(3, 31, 'converged'),
    ];
    const ranges = sweepRanges(steps);
    expect(ranges).toEqual([
      { verdict: 'converged', from: 28, to: 29, first: 0, last: 1 },
      { verdict: 'inconsistent', from: 30, to: 30, first: 2, last: 2 },
      { verdict: 'converged', from: 31, to: 31, first: 3, last: 3 },
    ]);
    expect(describeSweepRange('gap', ranges[0])).toBe('gap 28 … 29 MiB: converged (2 steps)');
    expect(describeSweepRange('gap', ranges[1])).toBe('gap 30 MiB: inconsistent (1 step)');
  });

  it('hands results on in step order whatever order they finish in', () => {
    const seen: number[] = [];
    const push = inStepOrder((r) => seen.push(r.index));
    for (const i of [2, 0, 3, 1, 4]) push(result(i, i, 'converged'));
    expect(seen).toEqual([0, 1, 2, 3, 4]);
  });

  it('sizes the pool by cores, memory and steps, at least one worker', () => {
    const GIB = 1024 ** 3;
    const size = (cores: number, gib: number, steps: number) =>
      sweepPoolSize({ cores, availableBytes: gib * GIB, bytesPerWorker: GIB, steps });
    expect(size(8, 32, 64)).toBe(8);
    expect(size(8, 3.5, 64)).toBe(3);
    expect(size(8, 32, 2)).toBe(2);
    expect(size(8, 0.5, 64)).toBe(1);
  });

  it('keeps a step’s verdict, trial links, last table and last image’s stubs', () => {
    const step: SweepStep = gapSweep(28, 36, 2).steps[1];
    const pass = (tableSymbols: number | null, stubs: number) => ({
      tableObject: tableSymbols === null ? null : { counts: { tableSymbols } },
      stubs: { total: stubs },
    });
    const record = {
      verdict: { kind: 'inconsistent', passes: 3, summary: 'Inconsistent kallsyms data' },
      passes: [pass(100, 1), pass(110, 9), pass(112, 11), pass(null, 12)],
      totalMs: 42,
    } as unknown as RunRecord;
    expect(sweepStepResult(step, record)).toEqual({
      index: 1,
      value: 36,
      verdict: 'inconsistent',
      passes: 3,
      tableSymbols: 112,
      stubs: 12,
      ms: 42,
      summary: 'Inconsistent kallsyms data',
    });
  });

  it('the sweep record passes its schema; steps out of order do not', () => {
    const plan = gapSweep(28, 30, 3);
    const steps = plan.steps.map((s) => result(s.index, s.value as number, 'converged'));
    const record = sweepRecord(plan, steps, { toolchain: 'wasm', jobs: 2, totalMs: 5 });
    expect(sweepRecordSchema.parse(JSON.parse(JSON.stringify(record)))).toEqual(record);
    expect(record).toMatchObject({ preset: 'powerpc-2020', param: 'gap', unit: 'MiB', from: 28 });
    const swapped = { ...record, steps: [steps[1], steps[0], steps[2]] };
    expect(sweepRecordSchema.safeParse(swapped).success).toBe(false);
  });
});
