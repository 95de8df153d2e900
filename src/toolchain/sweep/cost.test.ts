/**
 * A sweep's cost before it runs: every step's links together, the largest
 * corpus of any step (a corpus knob sweep makes one per step), and the page's
 * ceiling refusing, in words, what is too big.
 */
import { describe, expect, it } from 'vitest';
import { estimateRunCost, PAGE_CEILING } from '../scenario/cost.ts';
import { findPreset } from '../scenario/presets.ts';
import { sweepCeilingRefusal, sweepCost } from './cost.ts';
import { expandSweep } from './request.ts';

describe('sweepCost', () => {
  it('a map over the committed corpus: one run’s corpus, every cell’s links', () => {
    const plan = expandSweep({
      preset: 'never-converges',
      param: 'gap',
      from: 31,
      to: 32,
      steps: 4,
      param2: 'maxPasses',
      from2: 2,
      to2: 8,
      steps2: 4,
    });
    const one = estimateRunCost(findPreset('never-converges')!.scenario);
    const cost = sweepCost(plan);
    expect(cost.symbols).toBe(one.symbols);
    expect(cost.calls).toBe(one.calls);
    // fixpoint makes at most maxPasses trial links and vmlinux: rows of 3, 5, 7 and 9 links.
    expect(cost.links).toBe(4 * (3 + 5 + 7 + 9));
    expect(sweepCeilingRefusal(cost)).toBeNull();
  });

  it('a corpus knob sweep counts its largest corpus', () => {
    const plan = expandSweep({
      preset: 'pinned-oscillates',
      param: 'symbols',
      from: 4000,
      to: 40_000,
      steps: 3,
    });
    const cost = sweepCost(plan);
    expect(cost.symbols).toBe(40_000);
    expect(cost.calls).toBe(estimateRunCost(plan.steps[2].scenario).calls);
  });

  it('the ceiling refuses a map with more links than the page runs, and says what to do', () => {
    const plan = expandSweep({
      preset: 'never-converges',
      param: 'gap',
      from: 28,
      to: 36,
      steps: 64,
      param2: 'align',
      from2: 16,
      to2: 256 * 1024 * 1024,
      steps2: 25,
    });
    const cost = sweepCost(plan);
    expect(cost.links).toBe(64 * 25 * 17);
    expect(cost.links).toBeGreaterThan(PAGE_CEILING.links);
    expect(sweepCeilingRefusal(cost)).toMatch(
      /^Not swept: this sweep asks for up to 27,200 links \(the limit is 16,640\), more than this page runs\. .*command-line tool/,
    );
  });
});
