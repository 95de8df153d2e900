/**
 * mulberry32: a tiny deterministic PRNG, uniform in [0, 1). Everything in the
 * project that needs reproducible randomness (the generated corpora, the
 * kernel-like C tree, random and fuzz tests) draws from this one, so a seed
 * always means the same sequence.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
