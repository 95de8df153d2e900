/**
 * A kernel-sized corpus, generated: real PowerPC relocatable objects written
 * directly (the browser has no PowerPC compiler), deterministic from a few
 * parameters. Pure: no DOM, no Node APIs, no module state, so it runs in the
 * worker as well as in Node.
 */
import type { Target } from '../../arch/targets.ts';
import type { CorpusObject } from '../load-corpus.ts';
import type { GeneratedCorpusParams } from './params.ts';
import { planCorpus, type CorpusPlan } from './plan.ts';
import { subSeed } from './random.ts';
import { createScratch, writeCodeObject } from './write-code-object.ts';

/** The objects of a generated corpus for one target, in link order. */
export function generateCorpus(params: GeneratedCorpusParams, target: Target): CorpusObject[] {
  return writeCorpus(planCorpus(params), params.seed, target);
}

/** Writes a planned corpus for one target (a plan can be written for several). */
export function writeCorpus(plan: CorpusPlan, seed: number, target: Target): CorpusObject[] {
  const scratch = createScratch(plan.names.size);
  return plan.objects.map((object, i) => ({
    name: object.name,
    bytes: writeCodeObject(plan, i, target, subSeed(seed, 1000 + i), scratch),
  }));
}
