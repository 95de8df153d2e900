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
 * - all entries live in one buffer, each byte linked to its live neighbours
 *   within its entry, so replacing a pair is O(1): the left byte becomes the
 *   slot, the right byte is unlinked;
 * - a replacement changes only the pairs around it: (left neighbour, a),
 *   (a, b) and (b, right neighbour) go, (left neighbour, slot) and
 *   (slot, right neighbour) come; the counts are adjusted for exactly those;
 * - each pair keeps the positions where it (may) occur, in increasing order,
 *   so a step visits only those positions; a position whose pair has changed
 *   since it was listed is checked and skipped. Increasing order is what
 *   makes a run like "aaa" come out left to right, as in the kernel.
 *
 * A step's positions are scattered over the whole buffer, so its time goes
 * into cache misses rather than arithmetic. Hence each byte and its two links
 * share one 32-bit cell (one miss per visit instead of three, and less than
 * half the memory of three arrays), and the positions a step will visit are touched a little
 * ahead of their turn (TOUCH_AHEAD), so that the misses overlap instead of
 * coming one by one.
 */
import type { ByteLines } from './byte-lines.ts';

export interface CompressedNames {
  /** Each entry after compression: a sequence of slot bytes. */
  names: ByteLines;
  /** What each of the 256 slots expands to (empty for a free slot). */
  tokens: Uint8Array[];
}

/**
 * Byte i's cell: bits 0–7 the byte, 8–19 the distance to the next live byte
 * of its entry (0 at the entry's end), 20–31 the distance back to the
 * previous one (0 at the entry's start, REMOVED once a replacement took the
 * byte out). Distances of FAR or more, which only entries longer than any
 * symbol name can have, are kept in a map instead (the field says FAR).
 */
const REMOVED = 0xfff;
const FAR = 0xffe;
const byteOf = (cell: number): number => cell & 0xff;
const nextField = (cell: number): number => (cell >>> 8) & 0xfff;
const prevField = (cell: number): number => cell >>> 20;
const makeCell = (byte: number, next: number, prev: number): number =>
  byte | (next << 8) | (prev << 20);
/** A distance as a field: itself, or FAR with the distance in `far` at `at`. */
function linkField(distance: number, at: number, far: Map<number, number>): number {
  if (distance < FAR) return distance;
  far.set(at, distance);
  return FAR;
}
/** A field as a distance. */
const linkDistance = (field: number, at: number, far: Map<number, number>): number =>
  field === FAR ? far.get(at)! : field;

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
  cells: Int32Array;
  /** Next and previous distances of FAR or more, by position. */
  farNext: Map<number, number>;
  farPrev: Map<number, number>;
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
   * The initial pairs share one array; the pairs a step forms share one of
   * the step's own, sized to fit (no large array regrown and copied).
   */
  listOf: Int32Array[];
  listStart: Int32Array;
  listLength: Int32Array;
  /** Pairs formed by the current step and where: filled by replacePair. */
  formedPair: Int32Array;
  formedAt: Int32Array;
  /** How many positions each pair got in this step; all zero between steps. */
  formedCount: Int32Array;
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
): Int32Array {
  const cells = new Int32Array(start[n]);
  for (let e = 0; e < n; e++) {
    const s = start[e];
    const end = start[e + 1];
    for (let i = s; i < end; i++) {
      const last = i === end - 1;
      cells[i] = makeCell(data[i], last ? 0 : 1, i === s ? 0 : 1);
      seen[data[i]] = 1;
      if (!last) counts[data[i] | (data[i + 1] << 8)]++;
    }
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
    if (nextField(c) === 0) continue;
    const p = byteOf(c) | (byteOf(cells[i + 1]) << 8);
    lists[listStart[p] + listLength[p]++] = i;
  }
}

/** The most frequent pair, the lowest index on a tie (the kernel's `>` scan). */
function findBestPair(w: Work): number {
  const { counts, blockMax, dirty } = w;
  for (let block = 0; block < 256; block++) {
    if (dirty[block] === 0) continue;
    dirty[block] = 0;
    let max = 0;
    for (let p = block << 8, end = p + 256; p < end; p++) if (counts[p] > max) max = counts[p];
    blockMax[block] = max;
  }
  // Blocks are in index order, and so are the pairs in a block: the first
  // block holding the largest count holds its lowest index.
  let bestBlock = 0;
  for (let block = 1; block < 256; block++) {
    if (blockMax[block] > blockMax[bestBlock]) bestBlock = block;
  }
  const bestCount = blockMax[bestBlock];
  let best = bestBlock << 8;
  while (counts[best] !== bestCount) best++;
  return best;
}

/**
 * Replaces pair `best` by `slot` at every position where it still occurs;
 * returns how many pairs it formed (recorded in formedPair/formedAt, in
 * increasing position order: a replacement records its left neighbour's
 * position, then its own, and the next replacement lies further right).
 */
function replacePair(w: Work, best: number, slot: number): number {
  const { cells, farNext, farPrev, counts, blockMax, dirty, listLength, formedPair, formedAt } = w;
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
    const nextI = nextField(ci);
    const prevI = prevField(ci);
    // Skip positions whose pair changed since they were listed.
    if (byteOf(ci) !== a || nextI === 0 || prevI === REMOVED) continue;
    const j = i + linkDistance(nextI, i, farNext);
    const cj = cells[j];
    if (byteOf(cj) !== b) continue;
    const nextJ = nextField(cj);
    const dp = linkDistance(prevI, i, farPrev);
    const p = i - dp; // i itself when dp is 0
    const q = j + linkDistance(nextJ, j, farNext); // j itself at the entry's end
    // The pairs around the occurrence go (a block that loses its largest count is recounted)…
    if (dp !== 0) {
      const gone = byteOf(cells[p]) | (a << 8);
      if (counts[gone]-- === blockMax[a]) dirty[a] = 1;
    }
    if (counts[best]-- === blockMax[b]) dirty[b] = 1;
    if (nextJ !== 0) {
      const c = byteOf(cells[q]);
      if (counts[b | (c << 8)]-- === blockMax[c]) dirty[c] = 1;
    }
    // …the occurrence becomes the slot byte, the right byte is unlinked…
    const span = nextJ === 0 ? 0 : q - i;
    cells[i] = makeCell(slot, linkField(span, i, farNext), prevI);
    cells[j] = makeCell(b, 0, REMOVED);
    if (nextJ !== 0) {
      const cq = cells[q];
      cells[q] = makeCell(byteOf(cq), nextField(cq), linkField(span, q, farPrev));
    }
    // …and the pairs around the slot byte come.
    if (dp !== 0) {
      const left = byteOf(cells[p]) | (slot << 8);
      if (++counts[left] > blockMax[slot]) blockMax[slot] = counts[left];
      formedPair[formed] = left;
      formedAt[formed++] = p;
    }
    if (nextJ !== 0) {
      const c = byteOf(cells[q]);
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
 * Gives the pairs a step formed their lists. They all contain the step's
 * new slot byte, which no entry held before, and no later step forms them
 * again (its new pairs contain its own slot), so each list is complete now.
 * A stable counting sort keeps each in position order.
 */
function listFormedPairs(w: Work, formed: number): void {
  const { formedPair, formedAt, formedCount, listOf, listStart, listLength } = w;
  for (let k = 0; k < formed; k++) formedCount[formedPair[k]]++;
  const lists = new Int32Array(formed);
  let at = 0;
  for (let k = 0; k < formed; k++) {
    const p = formedPair[k];
    if (formedCount[p] > 0) {
      listOf[p] = lists;
      listStart[p] = at;
      at += formedCount[p];
      formedCount[p] = 0;
    }
  }
  // The pairs are new, so their lengths start at 0.
  for (let k = 0; k < formed; k++) {
    const p = formedPair[k];
    lists[listStart[p] + listLength[p]++] = formedAt[k];
  }
}

/** The entries after compression, packed: each entry's first byte is never removed. */
function packEntries(w: Work, start: Uint32Array, n: number): ByteLines {
  const { cells, farNext } = w;
  const starts = new Uint32Array(n + 1);
  let total = 0;
  for (let e = 0; e < n; e++) {
    starts[e] = total;
    if (start[e + 1] === start[e]) continue;
    for (let i = start[e], field = 1; field !== 0;) {
      field = nextField(cells[i]);
      i += linkDistance(field, i, farNext);
      total++;
    }
  }
  starts[n] = total;
  const data = new Uint8Array(total);
  for (let e = 0, at = 0; e < n; e++) {
    if (start[e + 1] === start[e]) continue;
    for (let i = start[e], field = 1; field !== 0;) {
      const cell = cells[i];
      data[at++] = byteOf(cell);
      field = nextField(cell);
      i += linkDistance(field, i, farNext);
    }
  }
  return { data, starts };
}

/** Compresses entries (type char followed by name bytes), in table order. */
export function compressNames(entries: ByteLines): CompressedNames {
  const n = entries.starts.length - 1;
  const start = entries.starts;
  const counts = new Int32Array(0x10000);
  // Slot kinds: 0 free, 1 literal, 2 pair (slotFirst/slotSecond).
  const kind = new Uint8Array(256);
  const w: Work = {
    cells: makeCells(entries.data, start, n, counts, kind),
    farNext: new Map(),
    farPrev: new Map(),
    counts,
    blockMax: new Int32Array(256),
    dirty: new Uint8Array(256).fill(1), // every block is counted at the first search
    listOf: new Array<Int32Array>(0x10000),
    listStart: new Int32Array(0x10000),
    listLength: new Int32Array(0x10000),
    formedPair: new Int32Array(0),
    formedAt: new Int32Array(0),
    formedCount: new Int32Array(0x10000),
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
      w.formedPair = new Int32Array(2 * counts[best]);
      w.formedAt = new Int32Array(2 * counts[best]);
    }
    listFormedPairs(w, replacePair(w, best, slot));
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
