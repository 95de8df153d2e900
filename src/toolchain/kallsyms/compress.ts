/**
 * The table's name compression: a byte-pair encoding into 256 token slots.
 * Slots holding bytes that occur in some name stay literals; every free slot,
 * from 255 down, takes the most frequent adjacent pair (lowest pair index on a
 * tie), and that pair is replaced by the slot byte everywhere, left to right
 * without overlap. The kernel tool keeps the pair counts exact by taking an
 * entry's pairs away before rewriting it and adding them back after; the
 * choice of each slot depends only on those counts, so any bookkeeping that
 * keeps them exact makes the same choices, and thus the same bytes.
 *
 * For speed (300k names make about 3.5 million replacements) this works on
 * pair occurrences rather than on whole entries, in the manner of Re-Pair:
 *
 * - all entries live in one buffer; replacing a pair is O(1): the left byte
 *   becomes the slot, the right byte is marked removed, and a byte's live
 *   neighbours are found by stepping over removed ones;
 * - a replacement changes only the pairs around it: (left neighbour, a),
 *   (a, b) and (b, right neighbour) go, (left neighbour, slot) and
 *   (slot, right neighbour) come; the counts are adjusted for exactly those;
 * - each pair keeps the positions where it (may) occur, in increasing order,
 *   so a step visits only those positions; a position whose pair has changed
 *   since it was listed is checked and skipped. Increasing order is what
 *   makes a run like "aaa" come out left to right, as in the kernel. The
 *   pairs of the first listing get a list each; the pairs a step forms share
 *   the step's list (position and pair, in position order), and a pair's
 *   positions are filtered out of it only if the pair is ever chosen
 *   (sorting every step's list into per-pair lists was ~15% of the time at
 *   300k names, and 4.96M of the 6.29M positions so listed were never read).
 *
 * A step's positions are scattered over the whole buffer, so its time goes
 * into cache misses rather than arithmetic. Hence a byte and its marks share
 * one 16-bit cell (half the memory of a cell holding links to the
 * neighbours, which measured ~10% slower at 300k), and the positions a step
 * will visit are touched a little ahead of their turn (TOUCH_AHEAD), so that
 * the misses overlap instead of coming one by one.
 */
import type { ByteLines } from './byte-lines.ts';

export interface CompressedNames {
  /** Each entry after compression: a sequence of slot bytes. */
  names: ByteLines;
  /** What each of the 256 slots expands to (empty for a free slot). */
  tokens: Uint8Array[];
}

/**
 * Byte i's cell: bits 0–7 the byte; REMOVED once a replacement took it out
 * (the right byte of a pair); FIRST and LAST on an entry's first and last
 * position (fixed: an entry's first byte is never removed, and its last
 * position keeps LAST even when removed). Removed cells lie between live
 * ones of the same entry, so stepping over them stays within a cache line or two.
 */
const REMOVED = 0x100;
const FIRST = 0x200;
const LAST = 0x400;

/** The next live position after live position i in its entry, or -1. */
function nextLive(cells: Uint16Array, i: number): number {
  if ((cells[i] & LAST) !== 0) return -1;
  let j = i + 1;
  for (let c = cells[j]; (c & REMOVED) !== 0; c = cells[++j]) if ((c & LAST) !== 0) return -1;
  return j;
}

/** The live position before live position i in its entry, or -1. */
function prevLive(cells: Uint16Array, i: number): number {
  if ((cells[i] & FIRST) !== 0) return -1;
  let j = i - 1;
  while ((cells[j] & REMOVED) !== 0) j--;
  return j;
}

/** How far ahead of its turn a position is touched; any value from 16 to 512 did about as well. */
const TOUCH_AHEAD = 64;

/*
 * The work is split into small functions, each with its hot loop over typed
 * arrays held in locals: V8 optimises those reliably, where one large
 * function with closures over mutable variables kept being deoptimised.
 */

/** The working state of one compression. */
interface Work {
  /** A cell per byte of every entry: see REMOVED. */
  cells: Uint16Array;
  /** Pair counts; pair index = first byte + 256 × second byte. */
  counts: Int32Array;
  /**
   * The largest count in each block of 256 pairs (block = second byte), or
   * more where `dirty` is set: a decrement of a block's largest count marks
   * it, and the next search recounts just that block. The search then reads
   * 256 maxima and one block instead of 65,536 counts per step, which was
   * most of the time on a small table (~3,000 symbols).
   */
  blockMax: Int32Array;
  dirty: Uint8Array;
  /**
   * Pair p's positions: listLength[p] values from listOf[p][listStart[p]].
   * The initial pairs share one array. The pairs a step formed are listed
   * together in stepAt[slot] (position) and stepPairs[slot] (which pair),
   * filtered into listOf when one is chosen.
   */
  listOf: Int32Array[];
  listStart: Int32Array;
  listLength: Int32Array;
  stepAt: (Int32Array | undefined)[];
  stepPairs: (Uint16Array | undefined)[];
  /** Slot kinds: 0 free, 1 literal, 2 pair. */
  kind: Uint8Array;
  /** Pairs formed by the current step and where: filled by replacePair. */
  formedPair: Uint16Array;
  formedAt: Int32Array;
  /** The chosen pair's positions, filtered out of its step's list. */
  chosenAt: Int32Array;
  /** What touching ahead read: kept, so that the reads are not optimised away. */
  touched: number;
}

/**
 * Cells for the entries, each byte linked to its neighbours; counts their
 * pairs, and marks in `seen` each byte value that occurs.
 */
function makeCells(
  data: Uint8Array,
  start: Uint32Array,
  n: number,
  counts: Int32Array,
  seen: Uint8Array,
): Uint16Array {
  const cells = new Uint16Array(start[n]);
  for (let e = 0; e < n; e++) {
    const s = start[e];
    const end = start[e + 1];
    if (s === end) continue;
    for (let i = s; i < end - 1; i++) {
      cells[i] = data[i];
      seen[data[i]] = 1;
      counts[data[i] | (data[i + 1] << 8)]++;
    }
    cells[s] |= FIRST;
    cells[end - 1] = data[end - 1] | LAST | (cells[end - 1] & FIRST);
    seen[data[end - 1]] = 1;
  }
  return cells;
}

/**
 * The initial positions of each pair, placed by a counting sort (the counts
 * are the list lengths), so each list is in increasing order.
 */
function listInitialPairs(w: Work): void {
  const { cells, counts, listOf, listStart, listLength } = w;
  let at = 0;
  for (let p = 0; p < 0x10000; p++) {
    listStart[p] = at;
    at += counts[p];
  }
  const lists = new Int32Array(at);
  listOf.fill(lists);
  for (let i = 0; i < cells.length; i++) {
    const c = cells[i];
    if ((c & LAST) !== 0) continue;
    const p = (c & 0xff) | ((cells[i + 1] & 0xff) << 8);
    lists[listStart[p] + listLength[p]++] = i;
  }
}

/** The most frequent pair, the lowest index on a tie (the kernel's `>` scan). */
function findBestPair(w: Work): number {
  const { counts, blockMax } = w;
  recountDirtyBlocks(w);
  // Blocks are in index order, and so are the pairs in a block: the first
  // block holding the largest count holds its lowest index.
  const bestBlock = firstLargest(blockMax);
  return firstLargest(counts.subarray(bestBlock << 8, (bestBlock + 1) << 8)) | (bestBlock << 8);
}

/*
 * Why a function per loop, here and in listFormedPairs: V8 compiles a hot
 * loop on its own while the function is still running (on-stack
 * replacement), before the code after the loop has ever run, and then
 * throws that code away on reaching it; a function with several loops did
 * so on nearly every one of its 200-odd calls, and the recompiling cost
 * ~40% of the CPU time of the first few passes.
 */

function recountDirtyBlocks(w: Work): void {
  const { counts, blockMax, dirty } = w;
  for (let block = 0; block < 256; block++) {
    if (dirty[block] === 0) continue;
    dirty[block] = 0;
    let max = 0;
    for (let p = block << 8, end = p + 256; p < end; p++) if (counts[p] > max) max = counts[p];
    blockMax[block] = max;
  }
}

/** The index of the first largest value. */
function firstLargest(values: Int32Array): number {
  let best = 0;
  for (let k = 1; k < values.length; k++) if (values[k] > values[best]) best = k;
  return best;
}

/**
 * Replaces pair `best` by `slot` at every position where it still occurs;
 * returns how many pairs it formed (recorded in formedPair/formedAt, in
 * increasing position order: a replacement records its left neighbour's
 * position, then its own, and the next replacement lies further right).
 */
function replacePair(w: Work, best: number, slot: number): number {
  const { cells, counts, blockMax, dirty, listLength, formedPair, formedAt } = w;
  const lists = w.listOf[best];
  const a = best & 0xff;
  const b = best >> 8;
  let formed = 0;
  let touched = 0;
  const first = w.listStart[best];
  const end = first + listLength[best];
  for (let k = first; k < end; k++) {
    if ((k - first) % TOUCH_AHEAD === 0) {
      // Start loading the next batch's cells while this one is worked on.
      for (let t = k + TOUCH_AHEAD, stop = Math.min(t + TOUCH_AHEAD, end); t < stop; t++) {
        touched ^= cells[lists[t]];
      }
    }
    const i = lists[k];
    const ci = cells[i];
    // Skip positions whose pair changed since they were listed (a removed byte fails too).
    if ((ci & (0xff | REMOVED)) !== a) continue;
    const j = nextLive(cells, i);
    if (j < 0) continue;
    const cj = cells[j];
    if ((cj & 0xff) !== b) continue;
    const p = prevLive(cells, i);
    const q = nextLive(cells, j);
    // The pairs around the occurrence go (a block that loses its largest count is recounted)…
    if (p >= 0) {
      const gone = (cells[p] & 0xff) | (a << 8);
      if (counts[gone]-- === blockMax[a]) dirty[a] = 1;
    }
    if (counts[best]-- === blockMax[b]) dirty[b] = 1;
    if (q >= 0) {
      const c = cells[q] & 0xff;
      if (counts[b | (c << 8)]-- === blockMax[c]) dirty[c] = 1;
    }
    // …the occurrence becomes the slot byte, the right byte is taken out…
    cells[i] = (ci & FIRST) | slot;
    cells[j] = cj | REMOVED;
    // …and the pairs around the slot byte come.
    if (p >= 0) {
      const left = (cells[p] & 0xff) | (slot << 8);
      if (++counts[left] > blockMax[slot]) blockMax[slot] = counts[left];
      formedPair[formed] = left;
      formedAt[formed++] = p;
    }
    if (q >= 0) {
      const c = cells[q] & 0xff;
      const right = slot | (c << 8);
      if (++counts[right] > blockMax[c]) blockMax[c] = counts[right];
      formedPair[formed] = right;
      formedAt[formed++] = i;
    }
  }
  listLength[best] = 0; // the pair can never form again
  w.touched = touched;
  return formed;
}

/**
 * Keeps the step's list of the pairs it formed. They all contain the step's
 * new slot byte, which no entry held before, and no later step forms them
 * again (its new pairs contain its own slot), so the list is complete now.
 */
function listFormedPairs(w: Work, slot: number, formed: number): void {
  w.stepAt[slot] = w.formedAt.slice(0, formed);
  w.stepPairs[slot] = w.formedPair.slice(0, formed);
}

/**
 * Makes listOf[best] the chosen pair's own positions when a step formed it:
 * the step of the newer of its pair slots (slots are taken from 255 down),
 * as a pair with no pair slot is one of the initial pairs.
 */
function takeChosenPositions(w: Work, best: number): void {
  const a = best & 0xff;
  const b = best >> 8;
  let step = w.kind[a] === 2 ? a : -1;
  if (w.kind[b] === 2 && (step < 0 || b < step)) step = b;
  if (step < 0) return;
  const at = w.stepAt[step]!;
  const pairs = w.stepPairs[step]!;
  if (w.chosenAt.length < at.length) w.chosenAt = new Int32Array(at.length);
  const chosen = w.chosenAt;
  let m = 0;
  for (let k = 0; k < at.length; k++) if (pairs[k] === best) chosen[m++] = at[k];
  w.listOf[best] = chosen;
  w.listStart[best] = 0;
  w.listLength[best] = m;
}

/** The entries after compression, packed: their bytes that were not removed, in order. */
function packEntries(w: Work, start: Uint32Array, n: number): ByteLines {
  const { cells } = w;
  const starts = new Uint32Array(n + 1);
  const data = new Uint8Array(cells.length);
  let at = 0;
  for (let e = 0; e < n; e++) {
    starts[e] = at;
    for (let i = start[e], end = start[e + 1]; i < end; i++) {
      const c = cells[i];
      if ((c & REMOVED) === 0) data[at++] = c & 0xff;
    }
  }
  starts[n] = at;
  return { data: data.slice(0, at), starts };
}

/** Compresses entries (type char followed by name bytes), in table order. */
export function compressNames(entries: ByteLines): CompressedNames {
  const n = entries.starts.length - 1;
  const start = entries.starts;
  const counts = new Int32Array(0x10000);
  // Slot kinds: 0 free, 1 literal, 2 pair (slotFirst/slotSecond); makeCells marks the literals 1.
  const kind = new Uint8Array(256);
  const w: Work = {
    cells: makeCells(entries.data, start, n, counts, kind),
    counts,
    blockMax: new Int32Array(256),
    dirty: new Uint8Array(256).fill(1), // every block is counted at the first search
    listOf: new Array<Int32Array>(0x10000),
    listStart: new Int32Array(0x10000),
    listLength: new Int32Array(0x10000),
    stepAt: new Array<Int32Array | undefined>(256),
    stepPairs: new Array<Uint16Array | undefined>(256),
    kind,
    formedPair: new Uint16Array(0),
    formedAt: new Int32Array(0),
    chosenAt: new Int32Array(0),
    touched: 0,
  };
  listInitialPairs(w);

  const slotFirst = new Uint8Array(256);
  const slotSecond = new Uint8Array(256);

  for (let slot = 255; slot >= 0; slot--) {
    if (kind[slot] !== 0) continue;
    const best = findBestPair(w);
    if (counts[best] === 0) break;
    kind[slot] = 2;
    slotFirst[slot] = best & 0xff;
    slotSecond[slot] = best >> 8;
    // Each replacement forms at most two pairs.
    if (w.formedPair.length < 2 * counts[best]) {
      w.formedPair = new Uint16Array(2 * counts[best]);
      w.formedAt = new Int32Array(2 * counts[best]);
    }
    takeChosenPositions(w, best);
    listFormedPairs(w, slot, replacePair(w, best, slot));
  }
  const names = packEntries(w, start, n);

  const tokens: Uint8Array[] = new Array(256);
  const expand = (slot: number): Uint8Array => {
    const known = tokens[slot];
    if (known) return known;
    let text: Uint8Array;
    if (kind[slot] === 0) text = new Uint8Array(0);
    else if (kind[slot] === 1) text = Uint8Array.of(slot);
    else {
      const first = expand(slotFirst[slot]);
      const second = expand(slotSecond[slot]);
      text = new Uint8Array(first.length + second.length);
      text.set(first);
      text.set(second, first.length);
    }
    tokens[slot] = text;
    return text;
  };
  for (let slot = 0; slot < 256; slot++) expand(slot);
  return { names, tokens };
}
