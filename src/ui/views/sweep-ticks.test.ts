/** The sweep chart's x ticks: round values where they fall between steps, for each parameter. */
import { describe, expect, it } from 'vitest';
import { expandSweep } from '../../toolchain/sweep/index.ts';
import { sweepTicks } from './sweep-ticks.ts';

const valuesOf = (request: Record<string, unknown>) =>
  expandSweep({ preset: 'powerpc-2020', ...request }).steps.map((s) => s.value);

describe('sweep axis ticks', () => {
  it('gap 28 … 36 MiB in 64 steps: 28, 30, …, 36, not the steps’ 29.0159 and 30.0317', () => {
    const values = valuesOf({ param: 'gap', from: 28, to: 36, steps: 64 });
    expect(values[8]).toBeCloseTo(29.0159, 4); // what the axis used to print
    const ticks = sweepTicks('gap', values);
    expect(ticks.map((t) => t.label)).toEqual(['28', '30', '32', '34', '36']);
    // Each where its value lies: 30 MiB is 2/8 of the way, at step 15.75 of 0 … 63.
    expect(ticks.map((t) => t.at)).toEqual([0, 15.75, 31.5, 47.25, 63]);
  });

  it('a narrow gap range gets decimal ticks without float noise', () => {
    const values = valuesOf({ param: 'gap', from: 31.5, to: 31.9, steps: 5 });
    expect(sweepTicks('gap', values).map((t) => t.label)).toEqual([
      '31.5',
      '31.6',
      '31.7',
      '31.8',
      '31.9',
    ]);
    const odd = valuesOf({ param: 'gap', from: 31.6875, to: 32.3, steps: 40 });
    const labels = sweepTicks('gap', odd).map((t) => t.label);
    expect(labels).toEqual(['31.8', '32', '32.2']);
    for (const t of sweepTicks('gap', odd)) {
      expect(t.at).toBeGreaterThanOrEqual(0);
      expect(t.at).toBeLessThanOrEqual(39);
    }
  });

  it('runs the other way when the sweep does (from > to)', () => {
    const values = valuesOf({ param: 'gap', from: 36, to: 28, steps: 9 });
    const ticks = sweepTicks('gap', values);
    expect(ticks.map((t) => [t.label, t.at])).toEqual([
      ['28', 8],
      ['30', 6],
      ['32', 4],
      ['34', 2],
      ['36', 0],
    ]);
  });

  it('align: powers of two, in K and M', () => {
    const values = valuesOf({ param: 'align', from: 4096, to: 2 ** 24, steps: 13 });
    const ticks = sweepTicks('align', values);
    expect(ticks.map((t) => t.label)).toEqual(['4K', '16K', '64K', '256K', '1M', '4M', '16M']);
    expect(ticks.map((t) => t.at)).toEqual([0, 2, 4, 6, 8, 10, 12]);
  });

  it('maxPasses: whole numbers only', () => {
    const values = valuesOf({
      preset: 'never-converges',
      param: 'maxPasses',
      from: 2,
      to: 5,
      steps: 4,
    });
    expect(sweepTicks('maxPasses', values).map((t) => t.label)).toEqual(['2', '3', '4', '5']);
  });

  it('base: round hex addresses', () => {
    const values = valuesOf({
      param: 'base',
      from: '0xc000000000000000',
      to: '0xc000000004000000',
      steps: 7,
    });
    const ticks = sweepTicks('base', values);
    expect(ticks.map((t) => t.label)).toEqual([
      '0xc000000000000000',
      '0xc000000001000000',
      '0xc000000002000000',
      '0xc000000003000000',
      '0xc000000004000000',
    ]);
    expect(ticks.map((t) => t.at)).toEqual([0, 1.5, 3, 4.5, 6]);
  });

  it('corpus knobs: whole numbers, powers of two for functionAlign, large values in k and M', () => {
    const pinned = (request: Record<string, unknown>) =>
      expandSweep({ preset: 'pinned-oscillates', ...request }).steps.map((s) => s.value);
    const at = pinned({ param: 'pinnedAt', from: 33630000, to: 33710000, steps: 33 });
    expect(sweepTicks('pinnedAt', at).map((t) => t.label)).toEqual([
      '33.64M',
      '33.66M',
      '33.68M',
      '33.7M',
    ]);
    const align = pinned({ param: 'functionAlign', from: 4, to: 64, steps: 5 });
    expect(sweepTicks('functionAlign', align).map((t) => t.label)).toEqual([
      '4',
      '8',
      '16',
      '32',
      '64',
    ]);
    const length = pinned({ param: 'nameLength', from: 8, to: 12, steps: 3 });
    expect(sweepTicks('nameLength', length).map((t) => t.label)).toEqual([
      '8',
      '9',
      '10',
      '11',
      '12',
    ]);
  });
});
