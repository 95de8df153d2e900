/** An alternative's outcome in words: "still" when nothing changed, the trial links counted. */
import { describe, expect, it } from 'vitest';
import { outcomeHelps, outcomeWords } from './outcome-words.ts';

describe('an alternative’s outcome in words', () => {
  it('says what the 2020 report says: eight passes converge, the extra pass does not help', () => {
    expect(outcomeWords({ verdict: 'converged', passes: 5 }, 'inconsistent')).toBe(
      'converges after 5 trial links',
    );
    expect(outcomeWords({ verdict: 'inconsistent', passes: 4 }, 'inconsistent')).toBe(
      'still inconsistent after 4 trial links',
    );
  });

  it('counts in trial links, one or many, and says "still" only for the same ending', () => {
    expect(outcomeWords({ verdict: 'converged', passes: 1 }, 'converged')).toBe(
      'also converges after 1 trial link',
    );
    expect(outcomeWords({ verdict: 'not-converged', passes: 8 }, 'not-converged')).toBe(
      'still does not converge in 8 trial links',
    );
    expect(outcomeWords({ verdict: 'oscillating', passes: 16 }, 'not-converged')).toBe(
      'oscillates (16 trial links)',
    );
    expect(outcomeWords({ verdict: 'link-failed', passes: 0 }, 'link-failed')).toBe(
      'the link still fails',
    );
  });

  it('marks as helping only a convergence where the run did not converge', () => {
    expect(outcomeHelps({ verdict: 'converged' }, 'inconsistent')).toBe(true);
    expect(outcomeHelps({ verdict: 'converged' }, 'converged')).toBe(false);
    expect(outcomeHelps({ verdict: 'inconsistent' }, 'inconsistent')).toBe(false);
  });
});
