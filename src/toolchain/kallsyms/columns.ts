/**
 * Symbols as columns: one typed array per field, and names as spans of one
 * byte string, instead of an object, a name string and a BigInt per symbol.
 * A kernel listing has 300k symbols per pass; as objects they survived into
 * the old generation and the garbage collector's copying and marking of them
 * cost as much as the reading. ListingSymbol objects are made only when asked
 * for (KallsymsResult.symbols, messages).
 */
import type { ListingPlace } from './errors.ts';
import type { ListingSymbol } from './listing.ts';

export interface SymbolColumns {
  readonly count: number;
  /** The byte string holding the names: name i is text.slice(nameStart[i], nameEnd[i]). */
  readonly text: string;
  readonly nameStart: Int32Array;
  readonly nameEnd: Int32Array;
  /** The nm type letter's char code. */
  readonly type: Uint8Array;
  /** The address, an unsigned 64-bit number, in halves (exact, and no BigInt per symbol). */
  readonly addrHi: Uint32Array;
  readonly addrLo: Uint32Array;
  /** Where symbol i came from (only messages need it, so made on demand). */
  readonly placeOf: (i: number) => ListingPlace;
}

const TWO_32 = 0x1_0000_0000;

export const nameOf = (c: SymbolColumns, i: number): string =>
  c.text.slice(c.nameStart[i], c.nameEnd[i]);

export const addrOf = (c: SymbolColumns, i: number): bigint =>
  (BigInt(c.addrHi[i]) << 32n) | BigInt(c.addrLo[i]);

export function symbolAt(c: SymbolColumns, i: number): ListingSymbol {
  return {
    addr: addrOf(c, i),
    type: String.fromCharCode(c.type[i]),
    name: nameOf(c, i),
    place: c.placeOf(i),
  };
}

export function symbolsOf(c: SymbolColumns): ListingSymbol[] {
  const out: ListingSymbol[] = new Array(c.count);
  for (let i = 0; i < c.count; i++) out[i] = symbolAt(c, i);
  return out;
}

/** -1, 0 or 1 as symbol i's address compares with j's. */
export function compareAddr(c: SymbolColumns, i: number, j: number): number {
  const a = c.addrHi[i];
  const b = c.addrHi[j];
  if (a !== b) return a < b ? -1 : 1;
  const x = c.addrLo[i];
  const y = c.addrLo[j];
  return x === y ? 0 : x < y ? -1 : 1;
}

/** Symbol i's address minus `hi:lo`, as a number: exact while it is below 2^53 in size. */
export const addrMinus = (c: SymbolColumns, i: number, hi: number, lo: number): number =>
  (c.addrHi[i] - hi) * TWO_32 + (c.addrLo[i] - lo);

/** Columns that grow as symbols are added (up to the capacity given). */
export class ColumnsBuilder {
  count = 0;
  readonly nameStart: Int32Array;
  readonly nameEnd: Int32Array;
  readonly type: Uint8Array;
  readonly addrHi: Uint32Array;
  readonly addrLo: Uint32Array;

  constructor(capacity: number) {
    this.nameStart = new Int32Array(capacity);
    this.nameEnd = new Int32Array(capacity);
    this.type = new Uint8Array(capacity);
    this.addrHi = new Uint32Array(capacity);
    this.addrLo = new Uint32Array(capacity);
  }

  add(nameStart: number, nameEnd: number, type: number, hi: number, lo: number): void {
    const k = this.count++;
    this.nameStart[k] = nameStart;
    this.nameEnd[k] = nameEnd;
    this.type[k] = type;
    this.addrHi[k] = hi;
    this.addrLo[k] = lo;
  }

  /** `placeOf` is given the index in the order symbols were added. */
  finish(text: string, placeOf: (i: number) => ListingPlace): SymbolColumns {
    const n = this.count;
    return {
      count: n,
      text,
      nameStart: this.nameStart.subarray(0, n),
      nameEnd: this.nameEnd.subarray(0, n),
      type: this.type.subarray(0, n),
      addrHi: this.addrHi.subarray(0, n),
      addrLo: this.addrLo.subarray(0, n),
      placeOf,
    };
  }
}

/** Objects as columns (their names joined into one string). */
export function columnsFromSymbols(symbols: readonly ListingSymbol[]): SymbolColumns {
  const b = new ColumnsBuilder(symbols.length);
  let at = 0;
  for (const s of symbols) {
    const addr = BigInt.asUintN(64, s.addr);
    b.add(
      at,
      at + s.name.length,
      s.type.charCodeAt(0),
      Number(addr >> 32n),
      Number(addr & 0xffffffffn),
    );
    at += s.name.length;
  }
  return b.finish(symbols.map((s) => s.name).join(''), (i) => symbols[i].place);
}

/** The symbols at `indices`, in that order. */
export function pickColumns(c: SymbolColumns, indices: ArrayLike<number>): SymbolColumns {
  const n = indices.length;
  const b = new ColumnsBuilder(n);
  for (let k = 0; k < n; k++) {
    const i = indices[k];
    b.add(c.nameStart[i], c.nameEnd[i], c.type[i], c.addrHi[i], c.addrLo[i]);
  }
  return b.finish(c.text, (k) => c.placeOf(indices[k]));
}
