/** The growth ratio in words: what the page's step box and both pass tables say for a pass. */
import { describe, expect, it } from 'vitest';
import { describeGrowth, shortSpacing } from './growth-words.ts';
import type { GrowthFacts } from './records.ts';

const facts = (over: Partial<GrowthFacts>): GrowthFacts => ({
  tableGrowth: 256,
  stubChange: 14,
  bytesPerStub: 18.29,
  bytesPerStubFrom: 'this-pass',
  coreCrossing: 2,
  fixedCrossing: 0,
  predictedStubChange: 2,
  coreSpacing: 430,
  fixedSpacing: null,
  ratio: 0.0425,
  prediction: 'dies-out',
  ...over,
});

describe('the growth ratio in words', () => {
  it('says the bytes per stub, where they come from, the spacing, the ratio and its prediction', () => {
    expect(describeGrowth(facts({}))).toBe(
      '18.3 table bytes per new stub (measured on this trial); the next call targets past the ' +
        'limit lie 430 bytes apart in core text; ratio 0.04: dies out, each pass should add ' +
        'fewer stubs than the last, so the loop settles.',
    );
  });

  it('names fixed-address targets, a missing spacing and each prediction', () => {
    const pinned = facts({
      coreSpacing: 12_345,
      fixedSpacing: 60,
      ratio: -1.4,
      prediction: 'cycles',
      bytesPerStubFrom: 'earlier-pass',
    });
    expect(describeGrowth(pinned)).toMatch(
      /\(as last measured \(no stub came or went here\)\); the next call targets past the limit lie 12k bytes apart in core text and 60\.0 bytes apart at the fixed address; ratio -1\.40: cycles, /,
    );
    expect(shortSpacing(pinned)).toBe('12k f60.0');
    expect(describeGrowth(facts({ coreSpacing: null, prediction: 'saturates', ratio: 2 }))).toMatch(
      /no call target is left near the limit; ratio 2\.00: saturates, each pass should add more/,
    );
    expect(describeGrowth(facts({ prediction: 'lingers', ratio: 1 }))).toMatch(/: lingers, /);
    expect(describeGrowth(facts({ prediction: 'settled', ratio: 0 }))).toMatch(/: settled, /);
  });
});
