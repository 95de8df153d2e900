/**
 * From listing to the symbols the tool keeps: parse per generation, note
 * `_text` (before any ignoring, as the tool does), drop ignored symbols.
 */
import { toByteString } from './bytes.ts';
import type { KallsymsWarning } from './errors.ts';
import { isIgnoredSymbol, type Generation } from './ignore.ts';
import { hexReader, parseLatestSpan, scanV59Listing, type ListingSymbol } from './listing.ts';
import { filterListing, latestRules } from './mksysmap.ts';

export interface ReadOptions {
  generation: Generation;
  ignoreLldStubs?: boolean;
}

export interface ReadResult {
  /** Kept symbols, in listing order. */
  kept: ListingSymbol[];
  /** Address of `_text` (0 when the listing has none). */
  textAddr: bigint;
  warnings: KallsymsWarning[];
  /** Lines of the listing given. */
  listingLines: number;
  /** latest: the `.syms` file (mksysmap output) the tool reads; null for v5.x. */
  syms: { text: string; lines: number } | null;
}

export function readListing(listing: string | Uint8Array, options: ReadOptions): ReadResult {
  const text = toByteString(listing);
  const warnings: KallsymsWarning[] = [];
  const kept: ListingSymbol[] = [];
  let textAddr = 0n;
  const take = (s: ListingSymbol): void => {
    if (s.name === '_text') textAddr = s.addr;
    if (!isIgnoredSymbol(s.name, s.type, options)) kept.push(s);
  };

  if (options.generation === 'latest') {
    // Filtering an already filtered .syms file changes nothing, so raw nm
    // output and .syms files are both accepted.
    const syms = filterListing(text, latestRules(options.ignoreLldStubs));
    const { start, end, number, count } = syms.kept;
    const readHex = hexReader();
    for (let k = 0; k < count; k++) {
      const s = parseLatestSpan(text, start[k], end[k], number[k], warnings, readHex);
      if (s) take(s);
    }
    return {
      kept,
      textAddr,
      warnings,
      listingLines: syms.inputLines,
      syms: { text: syms.text, lines: count },
    };
  }

  const scanned = scanV59Listing(text);
  warnings.push(...scanned.warnings);
  for (const s of scanned.symbols) take(s);
  return { kept, textAddr, warnings, listingLines: scanned.lineCount, syms: null };
}
