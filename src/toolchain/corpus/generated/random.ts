/** Draws for the corpus generator (mulberry32): the corpus never depends on Math.random. */
import { mulberry32 } from '../../random/mulberry32.ts';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [0, n). */
  below(n: number): number;
  /** Uniform integer in [lo, hi]. */
  between(lo: number, hi: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed);
  const below = (n: number) => Math.floor(next() * n);
  return {
    next,
    below,
    between: (lo, hi) => lo + below(hi - lo + 1),
    pick: (items) => items[below(items.length)],
    chance: (p) => next() < p,
  };
}

/** Mixes a seed with a stream number, so that independent choices use independent streams. */
export function subSeed(seed: number, stream: number): number {
  let h = (seed ^ Math.imul(stream + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
