/**
 * The table's name compression: a byte-pair encoding into 256 token slots.
 * Slots holding bytes that occur in some name stay literals; every free slot,
 * from 255 down, takes the most frequent adjacent pair (lowest pair index on a
 * tie), and that pair is replaced by the slot byte everywhere, left to right
 * without overlap. The pair counts are kept up to date entry by entry (an
 * entry's pairs are taken away before it is rewritten and added back after),
 * as the kernel tool does, so the choices, and thus the bytes, are the kernel's.
 *
 * For speed: entries live in one flat buffer; each pair keeps a list of the
 * entries that (may) contain it, so a step only visits those; and only the
 * pairs from just before the first replacement onwards are recounted, since
 * the ones before it cannot change.
 */
import type { ByteLines } from './byte-lines.ts';

export interface CompressedNames {
  /** Each entry after compression: a sequence of slot bytes. */
  names: ByteLines;
  /** What each of the 256 slots expands to (empty for a free slot). */
  tokens: Uint8Array[];
}

const NO_ENTRY = -1;

/** Compresses entries (type char followed by name bytes), in table order. */
export function compressNames(entries: ByteLines): CompressedNames {
  const n = entries.starts.length - 1;
  const buf = entries.data.slice();
  const start = entries.starts;
  const len = new Int32Array(n);
  for (let e = 0; e < n; e++) len[e] = start[e + 1] - start[e];

  // Pair counts; pair index = first byte + 256 × second byte.
  const counts = new Int32Array(0x10000);
  for (let e = 0; e < n; e++) {
    for (let i = start[e], end = start[e] + len[e] - 1; i < end; i++) {
      counts[buf[i] | (buf[i + 1] << 8)]++;
    }
  }

  // Slot kinds: 0 free, 1 literal, 2 pair (slotFirst/slotSecond).
  const kind = new Uint8Array(256);
  const slotFirst = new Uint8Array(256);
  const slotSecond = new Uint8Array(256);
  for (let i = 0; i < buf.length; i++) kind[buf[i]] = 1;

  // Entries containing each pair at the start, in one array sized by the counts.
  const listStart = new Int32Array(0x10001);
  for (let p = 0; p < 0x10000; p++) listStart[p + 1] = listStart[p] + counts[p];
  const listFill = new Int32Array(0x10000);
  const lists = new Int32Array(listStart[0x10000]);
  const lastEntry = new Int32Array(0x10000).fill(NO_ENTRY);
  for (let e = 0; e < n; e++) {
    for (let i = start[e], end = start[e] + len[e] - 1; i < end; i++) {
      const p = buf[i] | (buf[i + 1] << 8);
      if (lastEntry[p] !== e) {
        lastEntry[p] = e;
        lists[listStart[p] + listFill[p]++] = e;
      }
    }
  }
  // Pairs formed later always involve the new slot byte, which no entry had
  // before: their lists start empty, and an entry joins each at most once.
  const laterLists: Array<number[] | undefined> = new Array(0x10000);

  const rewrite = (e: number, first: number, second: number, slot: number): void => {
    const s = start[e];
    const end = s + len[e];
    let i = s;
    while (i < end - 1 && !(buf[i] === first && buf[i + 1] === second)) i++;
    if (i >= end - 1) return; // the pair went away with an earlier token
    const from = i > s ? i - 1 : s; // pairs wholly before this are unchanged
    for (let j = from; j < end - 1; j++) counts[buf[j] | (buf[j + 1] << 8)]--;
    let w = i;
    for (let r = i; r < end;) {
      if (r < end - 1 && buf[r] === first && buf[r + 1] === second) {
        buf[w++] = slot;
        r += 2;
      } else {
        buf[w++] = buf[r++];
      }
    }
    len[e] = w - s;
    for (let j = from; j < w - 1; j++) {
      const a = buf[j];
      const b = buf[j + 1];
      const p = a | (b << 8);
      counts[p]++;
      if ((a === slot || b === slot) && lastEntry[p] !== e) {
        lastEntry[p] = e;
        (laterLists[p] ??= []).push(e);
      }
    }
  };

  for (let slot = 255; slot >= 0; slot--) {
    if (kind[slot] !== 0) continue;
    let best = 0;
    let bestCount = counts[0];
    for (let p = 1; p < 0x10000; p++) {
      if (counts[p] > bestCount) {
        best = p;
        bestCount = counts[p];
      }
    }
    if (bestCount === 0) break;
    const first = best & 0xff;
    const second = best >> 8;
    kind[slot] = 2;
    slotFirst[slot] = first;
    slotSecond[slot] = second;
    for (let k = listStart[best], end = k + listFill[best]; k < end; k++) {
      rewrite(lists[k], first, second, slot);
    }
    const later = laterLists[best];
    if (later) for (const e of later) rewrite(e, first, second, slot);
    laterLists[best] = undefined; // the pair can never form again
  }

  // Pack the shortened entries.
  const starts = new Uint32Array(n + 1);
  for (let e = 0; e < n; e++) starts[e + 1] = starts[e] + len[e];
  const data = new Uint8Array(starts[n]);
  for (let e = 0; e < n; e++) data.set(buf.subarray(start[e], start[e] + len[e]), starts[e]);

  const tokens: Uint8Array[] = new Array(256);
  const expand = (slot: number): Uint8Array => {
    const known = tokens[slot];
    if (known) return known;
    let text: Uint8Array;
    if (kind[slot] === 0) text = new Uint8Array(0);
    else if (kind[slot] === 1) text = Uint8Array.of(slot);
    else {
      const a = expand(slotFirst[slot]);
      const b = expand(slotSecond[slot]);
      text = new Uint8Array(a.length + b.length);
      text.set(a);
      text.set(b, a.length);
    }
    tokens[slot] = text;
    return text;
  };
  for (let slot = 0; slot < 256; slot++) expand(slot);
  return { names: { data, starts }, tokens };
}
