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
import { addrMinus, addrOf, columnsFromSymbols, symbolAt, type SymbolColumns } from './columns.ts';
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

/** The table's symbols as columns, in table order, and `_text`'s address. */
export interface ColumnsTableInput {
  table: SymbolColumns;
  textAddr: bigint;
}

const asColumns = (input: TableInput): ColumnsTableInput => ({
  table: columnsFromSymbols(input.symbols),
  textAddr: input.textAddr,
});

/** Each symbol's entry: its type char followed by its name (byte strings). */
export function tableEntries(symbols: readonly ListingSymbol[]): ByteLines {
  return tableEntriesOf(columnsFromSymbols(symbols));
}

export function tableEntriesOf(table: SymbolColumns): ByteLines {
  const { count, text, nameStart, nameEnd, type } = table;
  const starts = new Uint32Array(count + 1);
  for (let i = 0; i < count; i++) starts[i + 1] = starts[i] + 1 + nameEnd[i] - nameStart[i];
  const data = new Uint8Array(starts[count]);
  let at = 0;
  for (let i = 0; i < count; i++) {
    data[at++] = type[i];
    for (let k = nameStart[i], end = nameEnd[i]; k < end; k++) data[at++] = text.charCodeAt(k);
  }
  return { data, starts };
}

/** The parts both generations share, computed once. */
function commonParts(
  input: ColumnsTableInput,
  lengthBytes: (len: number, s: () => ListingSymbol) => 1 | 2,
) {
  const { table } = input;
  const entries = tableEntriesOf(table);
  const { names, tokens } = compressNames(entries);

  // kallsyms_names: each compressed name behind its length.
  const n = table.count;
  const prefixes = new Uint8Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    prefixes[i] = lengthBytes(names.starts[i + 1] - names.starts[i], () => symbolAt(table, i));
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

  const relativeBase = n ? addrOf(table, 0) : 0n;
  return { entries, nameLines: { data, starts }, markers, tokens, tokenIndex, relativeBase };
}

function offsetsFrom(input: ColumnsTableInput, relativeBase: bigint): Uint32Array {
  const { table } = input;
  const offsets = new Uint32Array(table.count);
  const baseHi = Number(relativeBase >> 32n);
  const baseLo = Number(relativeBase & U32_MAX);
  for (let i = 0; i < table.count; i++) {
    // Exact near the base; far from it, still far outside the range.
    const offset = addrMinus(table, i, baseHi, baseLo);
    if (offset < 0 || offset > 0xffffffff) {
      const s = symbolAt(table, i);
      const first = symbolAt(table, 0);
      throw new KallsymsError(
        'offset-range',
        `kallsyms: offset out of range at ${describePlace(s.place)}: symbol ${quoteInput(s.name)} at ` +
          `${hex(s.addr)} lies ${hex(s.addr - relativeBase)} bytes from the relative base ${hex(relativeBase)} ` +
          `(symbol ${quoteInput(first.name)}), outside the 0…0xffffffff that kallsyms_offsets can hold; ` +
          `keep the table's symbols within 4 GiB of each other (drop --all-symbols) ` +
          `or use absolute addresses (v5.9 without --base-relative)`,
        s.place,
      );
    }
    offsets[i] = offset;
  }
  return offsets;
}

const ptr = (addends: bigint[]): DataItem => ({ kind: 'ptr', symbol: '_text', addends });
const long = (style: NumberStyle, values: ArrayLike<number>, comments?: ByteLines): DataItem =>
  comments ? { kind: 'long', style, values, comments } : { kind: 'long', style, values };

/** v6.11 and later: always base-relative, two-byte lengths, comments, seqs_of_names. */
export function buildLatestProgram(input: TableInput): KallsymsProgram {
  return buildLatestProgramOf(asColumns(input));
}

export function buildLatestProgramOf(input: ColumnsTableInput): KallsymsProgram {
  const { table, textAddr } = input;
  const parts = commonParts(input, (len, symbol) => {
    if (len <= 0x7f) return 1;
    if (len > LATEST_MAX_NAME_LEN) {
      const s = symbol();
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

  // Positions sorted by name, so that a lookup by name can bisect. Equal
  // names go by address: by offset from the lowest address, which orders the
  // same (offsetsFrom checked each fits), as numbers rather than BigInts.
  const order = orderByName(comments, (i) => offsets[i]);
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
      { label: 'kallsyms_num_syms', items: [long('decimal', [table.count])] },
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
  return buildV59ProgramOf(asColumns(input), options);
}

export function buildV59ProgramOf(
  input: ColumnsTableInput,
  options: V59ProgramOptions,
): KallsymsProgram {
  const { table, textAddr } = input;
  const parts = commonParts(input, (len, symbol) => {
    // Names are shorter than 128 bytes here, so this cannot trigger; kept as a guard.
    if (len > 0xff) {
      const s = symbol();
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
    : [
        {
          label: 'kallsyms_addresses',
          items: [ptr(Array.from({ length: table.count }, (_, i) => addrOf(table, i) - textAddr))],
        },
      ];
  return {
    tables: [
      ...addressTables,
      { label: 'kallsyms_num_syms', items: [long('decimal', [table.count])] },
      { label: 'kallsyms_names', items: [{ kind: 'bytes', lines: parts.nameLines }] },
      { label: 'kallsyms_markers', items: [long('decimal', parts.markers)] },
      { label: 'kallsyms_token_table', items: [{ kind: 'asciz', strings: parts.tokens }] },
      { label: 'kallsyms_token_index', items: [{ kind: 'short', values: parts.tokenIndex }] },
    ],
  };
}
