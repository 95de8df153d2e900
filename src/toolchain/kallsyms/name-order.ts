/**
 * The order of kallsyms_seqs_of_names: table positions sorted by name (bytes,
 * unsigned, a prefix first), equal names by address, then by position.
 *
 * A comparison sort in JavaScript costs a callback per comparison (5 million
 * for 300k names, most of them walking long shared prefixes such as
 * "__long_branch_"), so this is a most-significant-byte radix sort: each
 * range of names that agree so far is split by its next byte with a stable
 * counting sort (positions start in order, so equal names stay in position
 * order), and ranges too small to be worth a count are sorted by insertion.
 * The names' bytes are scattered over megabytes, so each name's next three
 * digits are read once into `keys`, which moves along with `order` and is
 * read in sequence, instead of fetching a byte per name at every level.
 */
import type { ByteLines } from './byte-lines.ts';

/** Ranges this small are sorted by insertion (a count costs 257 slots to clear). */
const SMALL = 32;
/** Digits (0 past the end, else byte + 1: 9 bits) held per name in `keys`. */
const KEY_DIGITS = 3;

/**
 * `entries`: each symbol's type char and name (the name starts at offset 1);
 * `addrs`: the addresses, consulted only for equal names.
 */
export function orderByName(
  entries: ByteLines,
  addrs: (i: number) => bigint | number,
): Uint32Array {
  const n = entries.starts.length - 1;
  const s: SortState = {
    entries,
    addrs,
    order: new Uint32Array(n),
    spare: new Uint32Array(n),
    keys: new Uint32Array(n),
    spareKeys: new Uint32Array(n),
    // count[d + 1]: names whose byte at the offset is d - 1, or which end there (d = 0).
    count: new Int32Array(258),
  };
  for (let i = 0; i < n; i++) s.order[i] = i;

  // Ranges of `order` still to sort, and the entry offset their names agree up to.
  const pending: number[] = n > 1 ? [0, n, 1] : [];
  while (pending.length) {
    const offset = pending.pop()!;
    const to = pending.pop()!;
    const from = pending.pop()!;
    if (to - from <= SMALL) {
      sortSmallRange(s, from, to, offset);
      continue;
    }
    const slot = (offset - 1) % KEY_DIGITS; // which of the key's digits is this offset's
    if (slot === 0) loadKeys(s, from, to, offset);
    const shift = 9 * (KEY_DIGITS - 1 - slot);
    // Names often share long prefixes ("__se_sys_", "__long_branch_"): a
    // digit all of the range shares needs no pass, only the next offset.
    if (sharedDigit(s.keys, from, to, shift)) {
      if (((s.keys[from] >>> shift) & 0x1ff) === 0)
        orderEqualNames(s.order, from, to, addrs); // all ended: equal names
      else pending.push(from, to, offset + 1);
      continue;
    }
    splitByDigit(s, from, to, shift);
    const { count } = s;
    // count[d] is now where digit d's names end.
    if (count[0] > 1) orderEqualNames(s.order, from, from + count[0], addrs); // names that ended
    for (let d = 1; d < 257; d++) {
      if (count[d] - count[d - 1] > 1)
        pending.push(from + count[d - 1], from + count[d], offset + 1);
    }
  }
  return s.order;
}

/*
 * A function per loop: this runs once a pass, and V8 compiled the one large
 * function it was (on the stack, loop by loop) again and again over the
 * first passes, ~140 ms of compiling at 150k symbols.
 */

interface SortState {
  entries: ByteLines;
  addrs: (i: number) => bigint | number;
  order: Uint32Array;
  spare: Uint32Array;
  keys: Uint32Array;
  spareKeys: Uint32Array;
  count: Int32Array;
}

function sortSmallRange(s: SortState, from: number, to: number, offset: number): void {
  const { order, entries } = s;
  insertionSort(order, from, to, offset, entries);
  // Runs of equal names (neighbours now) go by address.
  for (let k = from; k < to;) {
    let end = k + 1;
    while (end < to && compareFrom(entries, order[k], order[end], offset) === 0) end++;
    if (end - k > 1) orderEqualNames(order, k, end, s.addrs);
    k = end;
  }
}

/** Loads the next digits: 0 past the end of the name, else byte + 1. */
function loadKeys(s: SortState, from: number, to: number, offset: number): void {
  const { order, keys } = s;
  const { data, starts } = s.entries;
  for (let k = from; k < to; k++) {
    const i = order[k];
    const at = starts[i] + offset;
    const end = starts[i + 1];
    let key = 0;
    for (let m = 0; m < KEY_DIGITS; m++) key = (key << 9) | (at + m < end ? data[at + m] + 1 : 0);
    keys[k] = key;
  }
}

/** Whether all of keys[from … to - 1] have the same digit at `shift`. */
function sharedDigit(keys: Uint32Array, from: number, to: number, shift: number): boolean {
  const shared = (keys[from] >>> shift) & 0x1ff;
  for (let k = from + 1; k < to; k++) if (((keys[k] >>> shift) & 0x1ff) !== shared) return false;
  return true;
}

/** A stable counting sort of the range by the digit at `shift`; leaves count[d] = where digit d ends. */
function splitByDigit(s: SortState, from: number, to: number, shift: number): void {
  const { order, keys, spare, spareKeys, count } = s;
  count.fill(0);
  for (let k = from; k < to; k++) count[((keys[k] >>> shift) & 0x1ff) + 1]++;
  for (let d = 1; d < 258; d++) count[d] += count[d - 1];
  // count[d] is now where digit d's names start (relative to `from`).
  for (let k = from; k < to; k++) {
    const at = from + count[(keys[k] >>> shift) & 0x1ff]++;
    spare[at] = order[k];
    spareKeys[at] = keys[k];
  }
  order.set(spare.subarray(from, to), from);
  keys.set(spareKeys.subarray(from, to), from);
}

/** Entries i and j compared as names from `offset` on: bytes, then a prefix first. */
function compareFrom(entries: ByteLines, i: number, j: number, offset: number): number {
  const { data, starts } = entries;
  let a = starts[i] + offset;
  let b = starts[j] + offset;
  const endA = starts[i + 1];
  const endB = starts[j + 1];
  for (; a < endA && b < endB; a++, b++) if (data[a] !== data[b]) return data[a] - data[b];
  return endA - a - (endB - b);
}

/** Stable: equal names keep their (position) order. */
function insertionSort(
  order: Uint32Array,
  from: number,
  to: number,
  offset: number,
  entries: ByteLines,
): void {
  for (let k = from + 1; k < to; k++) {
    const i = order[k];
    let m = k - 1;
    for (; m >= from && compareFrom(entries, order[m], i, offset) > 0; m--) order[m + 1] = order[m];
    order[m + 1] = i;
  }
}

/** Equal names: by address, then by position (already the order within the run). */
function orderEqualNames(
  order: Uint32Array,
  from: number,
  to: number,
  addrs: (i: number) => bigint | number,
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
