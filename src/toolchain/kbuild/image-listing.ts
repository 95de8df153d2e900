import type { NmSymbols } from '../elf/index.ts';
import { STUB_NAME_PREFIXES, stubKind, type StubKind } from './stub-symbols.ts';

/** The facts of a trial image the loop reports, as its `nm -n` listing gives them. */
export interface ListingFacts {
  lines: number;
  /**
   * First address of each defined name the loop asked about (text symbols
   * win over others of the same name).
   */
  addresses: Map<string, bigint>;
  stubs: Array<{ name: string; kind: StubKind; address: bigint }>;
  /** Of the names asked about, text symbols defined more than once (statics of the same name in two files). */
  ambiguous: Set<string>;
}

const T = 0x54;
const t = 0x74;
const W = 0x57;
const DOT = 0x2e;
const FOUND = 1;
const TEXT = 2;
/** The first three bytes of each ld.lld stub prefix, as one number: names that may be stubs. */
const head = (b0: number, b1: number, b2: number) => b0 | (b1 << 8) | (b2 << 16);
const STUB_HEADS = new Set(
  STUB_NAME_PREFIXES.map((p) => head(p.charCodeAt(0), p.charCodeAt(1), p.charCodeAt(2))),
);

/** FNV-1a over bytes: a cheap first test of a name before its bytes are compared. */
function hashBytes(bytes: Uint8Array, from: number, to: number): number {
  let h = 0x811c9dc5 | 0;
  for (let i = from; i < to; i++) h = Math.imul(h ^ bytes[i], 0x01000193);
  return h;
}

function sameBytes(a: Uint8Array, from: number, to: number, b: Uint8Array): boolean {
  if (to - from !== b.length) return false;
  for (let i = 0; i < b.length; i++) if (a[from + i] !== b[i]) return false;
  return true;
}

const utf8 = new TextDecoder();
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The names asked about, found by the FNV-1a hash of their UTF-8 bytes in an
 * open-addressing table (typed arrays: a Map lookup per image symbol cost
 * several times the hashing), then compared byte for byte.
 */
interface NameTable {
  mask: number;
  /** Per slot: 0 empty, else 1 + the name's index. */
  slots: Int32Array;
  hashes: Int32Array;
  names: string[];
  bytes: Uint8Array[];
}

/**
 * Reads a pass's facts for one loop: `names` are the only names whose
 * addresses it looks up (the reach's callers and targets, the text
 * boundaries, the table labels), found by their bytes, not by decoding
 * every name of the image.
 */
export function imageFactReader(names: Iterable<string>): (symbols: NmSymbols) => ListingFacts {
  const list = [...new Set(names)];
  const encoder = new TextEncoder();
  let size = 16;
  while (size < 2 * list.length) size *= 2;
  const table: NameTable = {
    mask: size - 1,
    slots: new Int32Array(size),
    hashes: new Int32Array(size),
    names: list,
    bytes: list.map((name) => encoder.encode(name)),
  };
  list.forEach((_, index) => {
    const bytes = table.bytes[index];
    const h = hashBytes(bytes, 0, bytes.length);
    let slot = h & table.mask;
    while (table.slots[slot] !== 0) slot = (slot + 1) & table.mask;
    table.slots[slot] = index + 1;
    table.hashes[slot] = h;
  });
  return (symbols) => imageFacts(symbols, table);
}

/**
 * The names' bytes as one string when they are all ASCII, so that a name is
 * a slice of it (no decoding per name); null otherwise.
 */
function asciiNames(symbols: NmSymbols): { text: string; at: number } | null {
  const { count, sorted, nameAt, nameLength, bytes } = symbols;
  let from = Infinity;
  let to = 0;
  for (let k = 0; k < count; k++) {
    const i = sorted[k];
    if (nameAt[i] < from) from = nameAt[i];
    if (nameAt[i] + nameLength[i] > to) to = nameAt[i] + nameLength[i];
  }
  if (to <= from) return null;
  try {
    const text = strictUtf8.decode(bytes.subarray(from, to));
    return text.length === to - from ? { text, at: from } : null;
  } catch {
    return null;
  }
}

/**
 * The facts of an image, read from the symbols its listing is printed from
 * (elf/nm-listing.ts: the same symbols, addresses, letters and order),
 * instead of parsing the listing's text a second time: for a kernel-sized
 * image that parse (a regex, a BigInt and a Map entry per line) cost more
 * than printing the listing.
 */
function imageFacts(symbols: NmSymbols, wanted: NameTable): ListingFacts {
  const { count, sorted, defined, addrHi, addrLo, letter, nameAt, nameLength, bytes } = symbols;
  const n = wanted.names.length;
  // Per name asked about: FOUND, and TEXT once a text symbol gave its address.
  const state = new Uint8Array(n);
  const foundAt = new Uint32Array(n); // the symbol that gave its address
  const ambiguous = new Set<string>();
  const stubs: ListingFacts['stubs'] = [];
  const address = (i: number) => (BigInt(addrHi[i]) << 32n) | BigInt(addrLo[i]);
  let ascii: { text: string; at: number } | null | undefined;
  const nameOf = (from: number, to: number) => {
    if (ascii === undefined) ascii = asciiNames(symbols);
    return ascii
      ? ascii.text.slice(from - ascii.at, to - ascii.at)
      : utf8.decode(bytes.subarray(from, to));
  };

  for (let k = 0; k < count; k++) {
    const i = sorted[k];
    // Undefined symbols have no address; a line without a name names nothing.
    if (defined[i] === 0 || nameLength[i] === 0) continue;
    const from = nameAt[i];
    const to = from + nameLength[i];
    let h = 0x811c9dc5 | 0;
    let dot = false;
    for (let p = from; p < to; p++) {
      const b = bytes[p];
      h = Math.imul(h ^ b, 0x01000193);
      if (b === DOT) dot = true;
    }
    for (let slot = h & wanted.mask; wanted.slots[slot] !== 0; slot = (slot + 1) & wanted.mask) {
      if (wanted.hashes[slot] !== h) continue;
      const index = wanted.slots[slot] - 1;
      if (!sameBytes(bytes, from, to, wanted.bytes[index])) continue;
      const c = letter[i];
      const isText = c === T || c === t || c === W;
      const was = state[index];
      if (isText && was & TEXT) ambiguous.add(wanted.names[index]);
      // The first address of the name; a text symbol's wins over others'.
      if (!(was & FOUND) || (isText && !(was & TEXT))) {
        foundAt[index] = i;
        state[index] = FOUND | (isText ? TEXT : 0);
      }
      break;
    }
    // Only names that start as an ld.lld stub's or hold a dot (GNU ld's) can be stubs.
    if (
      !dot &&
      (to - from < 3 || !STUB_HEADS.has(head(bytes[from], bytes[from + 1], bytes[from + 2])))
    )
      continue;
    const name = nameOf(from, to);
    const kind = stubKind(name);
    if (kind) stubs.push({ name, kind, address: address(i) });
  }
  const addresses = new Map<string, bigint>();
  for (let index = 0; index < n; index++) {
    if (state[index] & FOUND) addresses.set(wanted.names[index], address(foundAt[index]));
  }
  return { lines: count, addresses, stubs, ambiguous };
}
