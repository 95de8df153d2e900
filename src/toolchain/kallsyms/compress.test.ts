import { describe, expect, it } from 'vitest';
import { fromArrays, toArrays } from './byte-lines.ts';
import { compressNames as compressLines } from './compress.ts';
import { generateKallsyms } from './index.ts';
import { kernelLikeListing } from './testing/kernel-listing.ts';
import { mulberry32, randomInt } from './testing/random.ts';

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));
const text = (b: Uint8Array): string => String.fromCharCode(...b);

/** The fast implementation, on arrays. */
function compressNames(entries: readonly Uint8Array[]) {
  const { names, tokens } = compressLines(fromArrays(entries));
  return { names: toArrays(names), tokens };
}

/** The spec's algorithm written as plainly as possible, to check the fast one. */
function referenceCompress(input: readonly Uint8Array[]) {
  const entries = input.map((e) => Array.from(e));
  const counts = new Array<number>(0x10000).fill(0);
  const pairs = (e: number[], delta: number) => {
    for (let i = 0; i + 1 < e.length; i++) counts[e[i] + 256 * e[i + 1]] += delta;
  };
  entries.forEach((e) => pairs(e, 1));
  const table: number[][] = Array.from({ length: 256 }, () => []);
  for (const e of entries) for (const b of e) table[b] = [b];
  for (let slot = 255; slot >= 0; slot--) {
    if (table[slot].length) continue;
    let best = 0;
    let bestCount = 0;
    for (let p = 0; p < 0x10000; p++) {
      if (counts[p] > bestCount) [best, bestCount] = [p, counts[p]];
    }
    if (bestCount === 0) break;
    const [a, b] = [best & 0xff, best >> 8];
    table[slot] = [a, b];
    entries.forEach((e, i) => {
      const at = e.findIndex((x, j) => x === a && e[j + 1] === b);
      if (at < 0) return;
      pairs(e, -1);
      const out: number[] = [];
      for (let j = 0; j < e.length; j++) {
        if (e[j] === a && e[j + 1] === b && j + 1 < e.length) {
          out.push(slot);
          j++;
        } else out.push(e[j]);
      }
      entries[i] = out;
      pairs(out, 1);
    });
  }
  const expand = (slot: number): number[] =>
    table[slot].length === 1 && table[slot][0] === slot
      ? [slot]
      : table[slot].flatMap((b) => expand(b));
  return {
    names: entries.map((e) => Uint8Array.from(e)),
    tokens: table.map((_, slot) => Uint8Array.from(expand(slot))),
  };
}

describe('name compression', () => {
  it('keeps every byte that occurs as a literal of its own value', () => {
    const { tokens } = compressNames([bytes('Tab'), bytes('tba')]);
    for (const c of 'Ttab') expect(text(tokens[c.charCodeAt(0)])).toBe(c);
  });

  it('gives slot 255 down to the most frequent pair, lowest pair index on a tie', () => {
    // "ab" and "ba" both occur twice; "ba" = 0x62 + 256×0x61 is the lower index.
    const { tokens, names } = compressNames([bytes('aba'), bytes('bab')]);
    expect(text(tokens[255])).toBe('ba');
    // Then [a, ba] and [ba, b] tie again: (255, "b") has the lower index.
    expect(text(tokens[254])).toBe('bab');
    expect(text(tokens[253])).toBe('aba');
    expect(Array.from(names[0])).toEqual([253]);
  });

  it('replaces left to right without overlap', () => {
    // "aaab" → [aa, a, b]: the next best pair is then (slot 255, "a") = "aaa".
    // Right to left would give [a, aa, b] and then (255, "b") = "aab".
    const { tokens } = compressNames([bytes('aaab')]);
    expect(text(tokens[255])).toBe('aa');
    expect(text(tokens[254])).toBe('aaa');
  });

  it('stops when no pair is left and leaves the other slots empty', () => {
    const { tokens, names } = compressNames([bytes('Tx')]);
    expect(text(tokens[255])).toBe('Tx');
    expect(Array.from(names[0])).toEqual([255]);
    expect(tokens.filter((t) => t.length === 0)).toHaveLength(256 - 3);
  });

  it('handles no entries at all', () => {
    const { tokens, names } = compressNames([]);
    expect(names).toEqual([]);
    expect(tokens.every((t) => t.length === 0)).toBe(true);
  });

  /** The fast and the plain algorithm give the same tokens and names, and names expand back. */
  function expectSameAsReference(entries: readonly Uint8Array[], label: string): void {
    const fast = compressNames(entries);
    const slow = referenceCompress(entries);
    expect(fast.tokens, label).toEqual(slow.tokens);
    expect(fast.names, label).toEqual(slow.names);
    fast.names.forEach((name, i) => {
      const expanded = Array.from(name).flatMap((b) => Array.from(fast.tokens[b]));
      expect(expanded, label).toEqual(Array.from(entries[i]));
    });
  }

  it('agrees with the plain algorithm on random inputs', () => {
    const random = mulberry32(7);
    for (let round = 0; round < 12; round++) {
      const alphabet = 2 + randomInt(random, round < 6 ? 8 : 200);
      const entries = Array.from({ length: 1 + randomInt(random, 60) }, () =>
        Uint8Array.from(
          { length: 1 + randomInt(random, 40) },
          () => 32 + randomInt(random, alphabet),
        ),
      );
      expectSameAsReference(entries, `round ${round}`);
    }
  });

  it('agrees with it on runs and repeats (where left to right matters)', () => {
    // Tiny alphabets make runs like "aaaa" and pairs of one token twice
    // ("abab" → [ab, ab]); long entries make deep tokens; empty and
    // one-byte entries have no pairs at all.
    const random = mulberry32(11);
    for (let round = 0; round < 24; round++) {
      const alphabet = 1 + randomInt(random, 3);
      const entries = Array.from({ length: 1 + randomInt(random, 30) }, () =>
        Uint8Array.from(
          { length: randomInt(random, round < 12 ? 12 : 300) },
          () => 0x61 + randomInt(random, alphabet),
        ),
      );
      expectSameAsReference(entries, `round ${round}`);
    }
    expectSameAsReference([bytes('aaaaaaaaaaaaaaaaa'), bytes('a'), bytes('')], 'one run');
  });

  it('agrees with it on kernel-like names, as the table gives them', () => {
    for (const generation of ['latest', 'v5.9'] as const) {
      const { text } = kernelLikeListing({ textSymbols: 1500, seed: 5 });
      const { symbols } = generateKallsyms(text, { generation });
      const entries = symbols.map((s) => bytes(s.type + s.name));
      expect(entries.length).toBeGreaterThan(1400);
      expectSameAsReference(entries, generation);
    }
  });

  it('agrees with it on an entry longer than the tool allows', () => {
    // Names of 512 bytes and more never reach the compressor from a listing,
    // but program building accepts any; links must span any distance.
    const random = mulberry32(3);
    const long = Uint8Array.from({ length: 20000 }, () => 0x61 + randomInt(random, 4));
    expectSameAsReference([long, bytes('Tabcabc'), long.subarray(0, 5000)], 'long');
    // A run of one byte halves at each token (aa, aaaa, …), so the gaps
    // between live bytes grow past 4 KiB: links longer than a cell holds.
    const run = new Uint8Array(40000).fill(0x61);
    expectSameAsReference([run, bytes('Tb'), run.subarray(0, 9999)], 'run');
  });
});
