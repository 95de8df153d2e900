/**
 * The assembly program: what the kernel tool's output says, as data. One
 * model feeds both the assembler text (print.ts) and the bytes the assembler
 * would make of it (layout.ts), so the two cannot disagree.
 */
import { byteStringToBytes } from './bytes.ts';
import { compressNames } from './compress.ts';
import { describePlace, KallsymsError } from './errors.ts';
import type { ListingSymbol } from './listing.ts';

export type TableLabel =
  | 'kallsyms_addresses'
  | 'kallsyms_offsets'
  | 'kallsyms_relative_base'
  | 'kallsyms_num_syms'
  | 'kallsyms_names'
  | 'kallsyms_markers'
  | 'kallsyms_token_table'
  | 'kallsyms_token_index'
  | 'kallsyms_seqs_of_names';

/** How the tool prints a `.long`: `%d`-like or C's `%#x`. */
export type NumberStyle = 'decimal' | 'hex';

/**
 * A run of same-kind lines. `comments` (when present) holds one trailing
 * `/* … *\/` text per line, a byte string.
 */
export type DataItem =
  | { kind: 'long'; style: NumberStyle; values: ArrayLike<number>; comments?: readonly string[] }
  | { kind: 'short'; values: ArrayLike<number> }
  | { kind: 'bytes'; lines: readonly Uint8Array[]; comments?: readonly string[] }
  | { kind: 'asciz'; strings: readonly Uint8Array[] }
  /** `PTR _text ± |addend|`; the addend is the exact difference (any sign, any size). */
  | { kind: 'ptr'; symbol: '_text'; addends: readonly bigint[] };

/** A table: `.globl label`, `ALGN` (word alignment), `label:`, then its data. */
export interface AsmTable {
  label: TableLabel;
  items: DataItem[];
}

export interface KallsymsProgram {
  tables: AsmTable[];
}

/** What the table is built from: the symbols in table order, and `_text`'s address. */
export interface TableInput {
  symbols: readonly ListingSymbol[];
  textAddr: bigint;
}

const hex = (n: bigint): string => (n < 0n ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`);

const LATEST_MAX_NAME_LEN = 0x3fff;
const U32_MAX = 0xffffffffn;

function entryOf(s: ListingSymbol): Uint8Array {
  return byteStringToBytes(s.type + s.name);
}

/** The parts both generations share, computed once. */
function commonParts(input: TableInput, lengthBytes: (len: number, s: ListingSymbol) => number[]) {
  const { symbols } = input;
  const { names, tokens } = compressNames(symbols.map(entryOf));

  const nameLines: Uint8Array[] = new Array(names.length);
  const markers: number[] = [];
  let offset = 0;
  for (let i = 0; i < names.length; i++) {
    // A marker every 256 symbols lets lookups skip ahead in kallsyms_names.
    if ((i & 0xff) === 0) markers.push(offset);
    const prefix = lengthBytes(names[i].length, symbols[i]);
    const line = new Uint8Array(prefix.length + names[i].length);
    line.set(prefix);
    line.set(names[i], prefix.length);
    nameLines[i] = line;
    offset += line.length;
  }

  const tokenIndex: number[] = new Array(256);
  let at = 0;
  for (let slot = 0; slot < 256; slot++) {
    tokenIndex[slot] = at;
    at += tokens[slot].length + 1;
  }

  const relativeBase = symbols.length ? symbols[0].addr : 0n;
  return { nameLines, markers, tokens, tokenIndex, relativeBase };
}

function offsetsFrom(input: TableInput, relativeBase: bigint): Uint32Array {
  const { symbols } = input;
  const offsets = new Uint32Array(symbols.length);
  for (let i = 0; i < symbols.length; i++) {
    const s = symbols[i];
    const offset = s.addr - relativeBase;
    if (offset < 0n || offset > U32_MAX) {
      throw new KallsymsError(
        'offset-range',
        `kallsyms: offset out of range at ${describePlace(s.place)}: symbol ${s.name} at ` +
          `${hex(s.addr)} lies ${hex(offset)} bytes from the relative base ${hex(relativeBase)} ` +
          `(symbol ${symbols[0].name}), outside the 0…0xffffffff that kallsyms_offsets can hold; ` +
          `keep the table's symbols within 4 GiB of each other (drop --all-symbols) ` +
          `or use absolute addresses (v5.9 without --base-relative)`,
        s.place,
      );
    }
    offsets[i] = Number(offset);
  }
  return offsets;
}

const ptr = (addends: bigint[]): DataItem => ({ kind: 'ptr', symbol: '_text', addends });
const long = (
  style: NumberStyle,
  values: ArrayLike<number>,
  comments?: readonly string[],
): DataItem =>
  comments ? { kind: 'long', style, values, comments } : { kind: 'long', style, values };

/** v6.11 and later: always base-relative, two-byte lengths, comments, seqs_of_names. */
export function buildLatestProgram(input: TableInput): KallsymsProgram {
  const { symbols, textAddr } = input;
  const parts = commonParts(input, (len, s) => {
    if (len <= 0x7f) return [len];
    if (len > LATEST_MAX_NAME_LEN) {
      throw new KallsymsError(
        'name-length',
        `kallsyms: name too long at ${describePlace(s.place)}: the compressed entry of ` +
          `${s.name} is ${len} bytes, more than the 0x3FFF a two-byte length can hold; ` +
          `shorten the symbol name`,
        s.place,
      );
    }
    // Little-endian base-128: low 7 bits with the high bit set, then the rest.
    return [(len & 0x7f) | 0x80, len >> 7];
  });
  const comments = symbols.map((s) => s.type + s.name);
  const offsets = offsetsFrom(input, parts.relativeBase);

  // Positions sorted by name, so that a lookup by name can bisect.
  const order = symbols.map((_, i) => i);
  order.sort((a, b) => {
    const na = symbols[a].name;
    const nb = symbols[b].name;
    if (na !== nb) return na < nb ? -1 : 1;
    if (symbols[a].addr !== symbols[b].addr) return symbols[a].addr < symbols[b].addr ? -1 : 1;
    return a - b;
  });
  const seqs = order.map((i) => Uint8Array.of((i >> 16) & 0xff, (i >> 8) & 0xff, i & 0xff));

  return {
    tables: [
      { label: 'kallsyms_num_syms', items: [long('decimal', [symbols.length])] },
      { label: 'kallsyms_names', items: [{ kind: 'bytes', lines: parts.nameLines, comments }] },
      { label: 'kallsyms_markers', items: [long('decimal', parts.markers)] },
      { label: 'kallsyms_token_table', items: [{ kind: 'asciz', strings: parts.tokens }] },
      { label: 'kallsyms_token_index', items: [{ kind: 'short', values: parts.tokenIndex }] },
      { label: 'kallsyms_offsets', items: [long('hex', offsets, comments)] },
      { label: 'kallsyms_relative_base', items: [ptr([parts.relativeBase - textAddr])] },
      {
        label: 'kallsyms_seqs_of_names',
        items: [{ kind: 'bytes', lines: seqs, comments: order.map((i) => comments[i]) }],
      },
    ],
  };
}

export interface V59ProgramOptions {
  /** `--base-relative`: 32-bit offsets from a relative base instead of pointers. */
  baseRelative: boolean;
}

/** v5.8/v5.9: one-byte lengths, no comments, address tables first. */
export function buildV59Program(input: TableInput, options: V59ProgramOptions): KallsymsProgram {
  const { symbols, textAddr } = input;
  const parts = commonParts(input, (len, s) => {
    // Names are shorter than 128 bytes here, so this cannot trigger; kept as a guard.
    if (len > 0xff) {
      throw new KallsymsError(
        'name-length',
        `kallsyms: name too long at ${describePlace(s.place)}: the compressed entry of ` +
          `${s.name} is ${len} bytes, more than a one-byte length can hold; ` +
          `shorten the symbol name`,
        s.place,
      );
    }
    return [len];
  });
  const addressTables: AsmTable[] = options.baseRelative
    ? [
        { label: 'kallsyms_offsets', items: [long('hex', offsetsFrom(input, parts.relativeBase))] },
        { label: 'kallsyms_relative_base', items: [ptr([parts.relativeBase - textAddr])] },
      ]
    : [{ label: 'kallsyms_addresses', items: [ptr(symbols.map((s) => s.addr - textAddr))] }];
  return {
    tables: [
      ...addressTables,
      { label: 'kallsyms_num_syms', items: [long('decimal', [symbols.length])] },
      { label: 'kallsyms_names', items: [{ kind: 'bytes', lines: parts.nameLines }] },
      { label: 'kallsyms_markers', items: [long('decimal', parts.markers)] },
      { label: 'kallsyms_token_table', items: [{ kind: 'asciz', strings: parts.tokens }] },
      { label: 'kallsyms_token_index', items: [{ kind: 'short', values: parts.tokenIndex }] },
    ],
  };
}
