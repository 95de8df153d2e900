/**
 * An alternative's outcome in words, beside its label: "eight passes:
 * converges after 5 trial links", "KALLSYMS_EXTRA_PASS=1: still
 * inconsistent". "Still" when it ends as the run on screen did, so the
 * reader sees at once which changes matter.
 */
import type { Verdict } from '../../toolchain/kbuild/records.ts';
import type { SweepStepResult } from '../../toolchain/sweep/index.ts';

const trialLinks = (n: number) => `${n} trial link${n === 1 ? '' : 's'}`;

const KIND_WORDS: Record<Verdict['kind'], string> = {
  converged: 'converges',
  inconsistent: 'inconsistent',
  'not-converged': 'does not converge',
  oscillating: 'oscillates',
  'link-failed': 'the link fails',
};

export function outcomeWords(
  result: Pick<SweepStepResult, 'verdict' | 'passes'>,
  shown: Verdict['kind'],
): string {
  const kind = result.verdict;
  const same = kind === shown;
  switch (kind) {
    case 'converged':
      return `${same ? 'also converges' : 'converges'} after ${trialLinks(result.passes)}`;
    case 'inconsistent':
      return `${same ? 'still inconsistent' : 'inconsistent'} after ${trialLinks(result.passes)}`;
    case 'not-converged':
      return `${same ? 'still does not converge' : 'does not converge'} in ${trialLinks(result.passes)}`;
    case 'oscillating':
      return `${same ? 'still oscillates' : 'oscillates'} (${trialLinks(result.passes)})`;
    case 'link-failed':
      return same ? 'the link still fails' : KIND_WORDS[kind];
  }
}

/** Whether the outcome is the one the reader hopes for: a converged loop where the run did not. */
export function outcomeHelps(
  result: Pick<SweepStepResult, 'verdict'>,
  shown: Verdict['kind'],
): boolean {
  return result.verdict === 'converged' && shown !== 'converged';
}
