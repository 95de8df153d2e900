/**
 * From listing to the symbols the tool keeps: parse per generation, note
 * `_text` (before any ignoring, as the tool does), drop ignored symbols.
 */
import { toByteString } from './bytes.ts';
import { ColumnsBuilder, columnsFromSymbols, type SymbolColumns } from './columns.ts';
import type { KallsymsWarning } from './errors.ts';
import { isIgnoredSymbol, isLatestIgnorableType, type Generation } from './ignore.ts';
import {
  latestSymbolRead,
  readLatestSymbol,
  scanV59Listing,
  type ListingSymbol,
} from './listing.ts';
import { filterListing, latestRules, type KeptLines } from './mksysmap.ts';

export interface ReadOptions {
  generation: Generation;
  ignoreLldStubs?: boolean;
}

/** What reading keeps of a listing: the generator's input. */
export interface ColumnsReadResult {
  /** Kept symbols, in listing order. */
  kept: SymbolColumns;
  /** Address of `_text` (0 when the listing has none). */
  textAddr: bigint;
  warnings: KallsymsWarning[];
  /** Lines of the listing given. */
  listingLines: number;
  /** latest: the `.syms` file (mksysmap output) the tool reads; null for v5.x. */
  syms: { text: string; lines: number } | null;
}

export function readColumns(listing: string | Uint8Array, options: ReadOptions): ColumnsReadResult {
  const text = toByteString(listing);
  const warnings: KallsymsWarning[] = [];

  if (options.generation === 'latest') {
    // Filtering an already filtered .syms file changes nothing, so raw nm
    // output and .syms files are both accepted.
    const syms = filterListing(text, latestRules(options.ignoreLldStubs));
    const { kept, textAddr } = readLatestLines(text, syms.kept, warnings, options);
    return {
      kept,
      textAddr,
      warnings,
      listingLines: syms.inputLines,
      syms: { text: syms.text, lines: syms.kept.count },
    };
  }

  const scanned = scanV59Listing(text);
  warnings.push(...scanned.warnings);
  let textAddr = 0n;
  const kept: ListingSymbol[] = [];
  for (const s of scanned.symbols) {
    if (s.name === '_text') textAddr = s.addr;
    if (!isIgnoredSymbol(s.name, s.type, options)) kept.push(s);
  }
  return {
    kept: columnsFromSymbols(kept),
    textAddr,
    warnings,
    listingLines: scanned.lineCount,
    syms: null,
  };
}

/** latest: the filtered lines, read straight into columns (see readLatestSymbol). */
function readLatestLines(
  text: string,
  lines: KeptLines,
  warnings: KallsymsWarning[],
  options: ReadOptions,
): { kept: SymbolColumns; textAddr: bigint } {
  const { start, end, number, count } = lines;
  const b = new ColumnsBuilder(count);
  const lineOf = new Int32Array(count); // kept symbol → index into `lines`
  const read = latestSymbolRead();
  const { addr, parts } = read;
  // A name ends at its first NUL (C strings); one search tells whether any line has one.
  const mayHoldNul = text.includes('\0');
  let textAddr = 0n;
  for (let k = 0; k < count; k++) {
    if (!readLatestSymbol(text, start[k], end[k], number[k], warnings, read, mayHoldNul)) continue;
    const { nameStart, nameEnd } = read;
    const type = text.charCodeAt(parts.typeAt);
    if (nameEnd - nameStart === 5 && text.startsWith('_text', nameStart)) {
      textAddr = (BigInt(addr[0]) << 32n) | BigInt(addr[1]);
    }
    if (
      isLatestIgnorableType(type) &&
      isIgnoredSymbol(text.slice(nameStart, nameEnd), text[parts.typeAt], options)
    ) {
      continue;
    }
    lineOf[b.count] = k;
    b.add(nameStart, nameEnd, type, addr[0], addr[1]);
  }
  const kept = b.finish(text, (i) => {
    const k = lineOf[i];
    return { line: number[k], text: text.slice(start[k], end[k]) };
  });
  return { kept, textAddr };
}
