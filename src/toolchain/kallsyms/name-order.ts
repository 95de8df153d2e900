/**
 * The order of kallsyms_seqs_of_names: table positions sorted by name (bytes,
 * unsigned, a prefix first), equal names by address, then by position.
 *
 * A comparison sort in JavaScript costs a callback per comparison (5 million
 * for 300k names, most of them walking long shared prefixes such as
 * "__long_branch_"), so this is a most-significant-digit radix sort whose
 * digits are three name bytes, sorted by the engine's native numeric sort: a
 * digit and the position share one float64 key (digit × 2^28 + position), so
 * the sort needs no callback, and equal digits stay in position order.
 */
import type { ByteLines } from './byte-lines.ts';

/** Positions below this fit beside a digit in a float64 (exact up to 2^53). */
const POSITION_SPAN = 2 ** 28;
/** A digit: three bytes, each as byte + 1, 0 past the name's end (so shorter sorts first). */
const BASE = 257;
const DIGIT_BYTES = 3;
/** Below this many, a range is sorted by insertion rather than by a native sort on a view. */
const SMALL = 16;

/**
 * `entries`: each symbol's type char and name (the name starts at offset 1);
 * `addrs`: the addresses, consulted only for equal names.
 */
export function orderByName(entries: ByteLines, addrs: (i: number) => bigint): Uint32Array {
  const { data, starts } = entries;
  const n = starts.length - 1;
  if (n >= POSITION_SPAN) throw new RangeError(`kallsyms: ${n} symbols are too many to order`);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const keys = new Float64Array(n);

  const digitAt = (i: number, offset: number): number => {
    const at = starts[i] + offset;
    const end = starts[i + 1];
    let digit = 0;
    for (let k = 0; k < DIGIT_BYTES; k++)
      digit = digit * BASE + (at + k < end ? data[at + k] + 1 : 0);
    return digit;
  };

  // Ranges of `order` still to sort, and the name offset they agree up to.
  const pending: number[] = n > 1 ? [0, n, 1] : [];
  while (pending.length) {
    const offset = pending.pop()!;
    const to = pending.pop()!;
    const from = pending.pop()!;
    for (let k = from; k < to; k++) keys[k] = digitAt(order[k], offset) * POSITION_SPAN + order[k];
    if (to - from < SMALL) {
      for (let k = from + 1; k < to; k++) {
        const key = keys[k];
        let m = k - 1;
        for (; m >= from && keys[m] > key; m--) keys[m + 1] = keys[m];
        keys[m + 1] = key;
      }
    } else {
      keys.subarray(from, to).sort();
    }
    // Back to positions; runs of one digit go on to the next digit, unless
    // the names ended in it: those are equal names.
    let runStart = from;
    let runDigit = Math.floor(keys[from] / POSITION_SPAN);
    for (let k = from; k <= to; k++) {
      const digit = k < to ? Math.floor(keys[k] / POSITION_SPAN) : -1;
      if (k < to) order[k] = keys[k] - digit * POSITION_SPAN;
      if (digit === runDigit) continue;
      if (k - runStart > 1) {
        if (runDigit % BASE !== 0) pending.push(runStart, k, offset + DIGIT_BYTES);
        else orderEqualNames(order, runStart, k, addrs);
      }
      runStart = k;
      runDigit = digit;
    }
  }
  return order;
}

/** Equal names: by address, then by position (already the order within the run). */
function orderEqualNames(
  order: Uint32Array,
  from: number,
  to: number,
  addrs: (i: number) => bigint,
): void {
  // Table order is by address, so this is usually already sorted: check first.
  let sorted = true;
  for (let k = from + 1; k < to && sorted; k++) sorted = addrs(order[k - 1]) <= addrs(order[k]);
  if (sorted) return;
  const run = Array.from(order.subarray(from, to));
  run.sort((a, b) => {
    const x = addrs(a);
    const y = addrs(b);
    return x !== y ? (x < y ? -1 : 1) : a - b;
  });
  order.set(run, from);
}
