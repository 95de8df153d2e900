/**
 * The assembly program: what the kernel tool's output says, as data. One
 * model feeds both the assembler text (print.ts) and the bytes the assembler
 * would make of it (layout.ts), so the two cannot disagree.
 */
import type { ByteLines } from './byte-lines.ts';
import { compressNames } from './compress.ts';
import { orderByName } from './name-order.ts';
import { quoteInput } from '../text/quote.ts';
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
 * A run of same-kind lines. `comments` (when present) holds the text of one
 * trailing `/* … *\/` per line.
 */
export type DataItem =
  | { kind: 'long'; style: NumberStyle; values: ArrayLike<number>; comments?: ByteLines }
  | { kind: 'short'; values: ArrayLike<number> }
  /**
   * With `commentOrder`, line i's comment is line commentOrder[i] of
   * `comments` (seqs_of_names shares the entries' comments in name order,
   * without a reordered copy of them).
   */
  | { kind: 'bytes'; lines: ByteLines; comments?: ByteLines; commentOrder?: ArrayLike<number> }
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

/** Each symbol's entry: its type char followed by its name (byte strings). */
export function tableEntries(symbols: readonly ListingSymbol[]): ByteLines {
  const starts = new Uint32Array(symbols.length + 1);
  for (let i = 0; i < symbols.length; i++) {
    starts[i + 1] = starts[i] + symbols[i].type.length + symbols[i].name.length;
  }
  const data = new Uint8Array(starts[symbols.length]);
  let at = 0;
  for (const { type, name } of symbols) {
    for (let k = 0; k < type.length; k++) data[at++] = type.charCodeAt(k);
    for (let k = 0; k < name.length; k++) data[at++] = name.charCodeAt(k);
  }
  return { data, starts };
}

/** The parts both generations share, computed once. */
function commonParts(input: TableInput, lengthBytes: (len: number, s: ListingSymbol) => 1 | 2) {
  const { symbols } = input;
  const entries = tableEntries(symbols);
  const { names, tokens } = compressNames(entries);

  // kallsyms_names: each compressed name behind its length.
  const n = symbols.length;
  const prefixes = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    prefixes[i] = lengthBytes(names.starts[i + 1] - names.starts[i], symbols[i]);
    total += prefixes[i] + names.starts[i + 1] - names.starts[i];
  }
  const data = new Uint8Array(total);
  const starts = new Uint32Array(n + 1);
  // A marker every 256 symbols lets lookups skip ahead in kallsyms_names.
  const markers: number[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    if ((i & 0xff) === 0) markers.push(at);
    const from = names.starts[i];
    const len = names.starts[i + 1] - from;
    if (prefixes[i] === 1) {
      data[at++] = len;
    } else {
      // Little-endian base-128: low 7 bits with the high bit set, then the rest.
      data[at++] = (len & 0x7f) | 0x80;
      data[at++] = len >> 7;
    }
    for (let k = from; k < from + len; k++) data[at++] = names.data[k];
    starts[i + 1] = at;
  }

  const tokenIndex: number[] = new Array(256);
  let offset = 0;
  for (let slot = 0; slot < 256; slot++) {
    tokenIndex[slot] = offset;
    offset += tokens[slot].length + 1;
  }

  const relativeBase = symbols.length ? symbols[0].addr : 0n;
  return { entries, nameLines: { data, starts }, markers, tokens, tokenIndex, relativeBase };
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
        `kallsyms: offset out of range at ${describePlace(s.place)}: symbol ${quoteInput(s.name)} at ` +
          `${hex(s.addr)} lies ${hex(offset)} bytes from the relative base ${hex(relativeBase)} ` +
          `(symbol ${quoteInput(symbols[0].name)}), outside the 0…0xffffffff that kallsyms_offsets can hold; ` +
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
const long = (style: NumberStyle, values: ArrayLike<number>, comments?: ByteLines): DataItem =>
  comments ? { kind: 'long', style, values, comments } : { kind: 'long', style, values };

/** v6.11 and later: always base-relative, two-byte lengths, comments, seqs_of_names. */
export function buildLatestProgram(input: TableInput): KallsymsProgram {
  const { symbols, textAddr } = input;
  const parts = commonParts(input, (len, s) => {
    if (len <= 0x7f) return 1;
    if (len > LATEST_MAX_NAME_LEN) {
      throw new KallsymsError(
        'name-length',
        `kallsyms: name too long at ${describePlace(s.place)}: the compressed entry of ` +
          `${quoteInput(s.name)} is ${len} bytes, more than the 0x3FFF a two-byte length can hold; ` +
          `shorten the symbol name`,
        s.place,
      );
    }
    return 2;
  });
  // The comments name each symbol as its entry does: type char, then name.
  const comments = parts.entries;
  const offsets = offsetsFrom(input, parts.relativeBase);

  // Positions sorted by name, so that a lookup by name can bisect.
  const order = orderByName(comments, (i) => symbols[i].addr);
  const seqs: ByteLines = {
    data: new Uint8Array(3 * order.length),
    starts: new Uint32Array(order.length + 1),
  };
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    seqs.data[3 * k] = (i >> 16) & 0xff;
    seqs.data[3 * k + 1] = (i >> 8) & 0xff;
    seqs.data[3 * k + 2] = i & 0xff;
    seqs.starts[k + 1] = 3 * (k + 1);
  }

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
        items: [{ kind: 'bytes', lines: seqs, comments, commentOrder: order }],
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
          `${quoteInput(s.name)} is ${len} bytes, more than a one-byte length can hold; ` +
          `shorten the symbol name`,
        s.place,
      );
    }
    return 1;
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
