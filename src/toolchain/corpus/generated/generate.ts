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

/**
 * How far making a corpus has got: the plan (one step: names, sizes and
 * calls of every function), then each object written, in link order. Only
 * reported: a hook never changes a byte (generate.test.ts pins that).
 */
export interface GenerateProgress {
  stage: 'plan' | 'write';
  /** Steps of this stage done, of `total` (the plan: 0 or 1; writing: objects). */
  done: number;
  total: number;
}

export type GenerateProgressHook = (progress: GenerateProgress) => void;

/** The objects of a generated corpus for one target, in link order. */
export function generateCorpus(
  params: GeneratedCorpusParams,
  target: Target,
  onProgress?: GenerateProgressHook,
): CorpusObject[] {
  onProgress?.({ stage: 'plan', done: 0, total: 1 });
  const plan = planCorpus(params);
  onProgress?.({ stage: 'plan', done: 1, total: 1 });
  return writeCorpus(plan, params.seed, target, onProgress);
}

/** Writes a planned corpus for one target (a plan can be written for several). */
export function writeCorpus(
  plan: CorpusPlan,
  seed: number,
  target: Target,
  onProgress?: GenerateProgressHook,
): CorpusObject[] {
  const scratch = createScratch(plan.names.size);
  const total = plan.objects.length;
  onProgress?.({ stage: 'write', done: 0, total });
  return plan.objects.map((object, i) => {
    const written = {
      name: object.name,
      bytes: writeCodeObject(plan, i, target, subSeed(seed, 1000 + i), scratch),
    };
    onProgress?.({ stage: 'write', done: i + 1, total });
    return written;
  });
}
