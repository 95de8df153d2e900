/**
 * What a sweep costs before it runs, from its steps' scenarios (cost.ts of
 * the scenario module): the largest image, corpus and call count of any
 * step, and every link of every step. The page holds a link's sweep over its
 * budget and refuses one over its ceiling, as it does a run.
 */
import {
  combineCosts,
  estimateRunCost,
  overLimits,
  PAGE_CEILING,
  type RunCost,
} from '../scenario/cost.ts';
import type { SweepPlan } from './request.ts';

/** The cost of every step of `plan` together (steps with the same corpus and loop share one estimate). */
export function sweepCost(plan: Pick<SweepPlan, 'steps'>): RunCost {
  const seen = new Map<string, RunCost>();
  const costs = plan.steps.map(({ scenario }) => {
    // The estimate reads the corpus id, the strategy's links and the script's fills; a
    // script of the user's own is the same in every step (sweeps never vary it).
    const key = [
      scenario.corpus,
      scenario.strategy,
      scenario.maxPasses,
      scenario.linkerScript === null ? 'template' : 'own',
    ].join('|');
    let cost = seen.get(key);
    if (!cost) {
      cost = estimateRunCost(scenario);
      seen.set(key, cost);
    }
    return cost;
  });
  return combineCosts(costs);
}

/**
 * Why the page refuses to sweep `cost` at all, or null: the page's ceiling
 * for a run, with every step's links counted together.
 */
export function sweepCeilingRefusal(cost: RunCost): string | null {
  const over = overLimits({ ...cost, imageBytes: cost.imageBytes ?? 0 }, PAGE_CEILING);
  if (over.length === 0) return null;
  return (
    `Not swept: this sweep asks for ${over.join(' and ')}, more than this page runs. ` +
    'Sweep fewer steps or a smaller corpus, or run it with the command-line tool ' +
    '(npx kallsyms-lab sweep … --param2 …), which can be given more (--max-image).'
  );
}
