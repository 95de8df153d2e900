/** Test support: a small seeded PRNG, so random tests are reproducible. */

export { mulberry32 } from '../../random/mulberry32.ts';

/** 0 ≤ n < bound. */
export function randomInt(random: () => number, bound: number): number {
  return Math.floor(random() * bound);
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[randomInt(random, items.length)];
}
