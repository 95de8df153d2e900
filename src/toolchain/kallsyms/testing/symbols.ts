/**
 * Test support: the table's selection and order over symbol objects, through
 * the column functions the generator runs (selectColumns, sortColumns), so a
 * test can state its cases as lists of symbols.
 */
import { columnsFromSymbols } from '../columns.ts';
import type { ListingSymbol } from '../listing.ts';
import { sortColumns } from '../order.ts';
import { findTextRangesOf, selectColumns, type SelectOptions } from '../select.ts';

/** The symbols the table keeps, in input order. */
export function selectSymbols(
  symbols: readonly ListingSymbol[],
  options: SelectOptions,
): ListingSymbol[] {
  const c = columnsFromSymbols(symbols);
  return Array.from(selectColumns(c, findTextRangesOf(c), options), (i) => symbols[i]);
}

/** The symbols in table order (a copy). */
export function sortSymbols(symbols: readonly ListingSymbol[]): ListingSymbol[] {
  const c = columnsFromSymbols(symbols);
  const all = new Uint32Array(symbols.length).map((_, i) => i);
  return Array.from(sortColumns(c, all), (i) => symbols[i]);
}
