/**
 * Which of the kept symbols go into the table. Without --all-symbols only
 * text symbols are listed: their addresses are what a backtrace needs.
 */
import type { Generation } from './ignore.ts';
import type { ListingSymbol } from './listing.ts';

/** The boundaries of core and init text, from the kept symbols (0 when missing). */
export interface TextRanges {
  stext: bigint;
  etext: bigint;
  sinittext: bigint;
  einittext: bigint;
}

export function findTextRanges(symbols: readonly ListingSymbol[]): TextRanges {
  const ranges: TextRanges = { stext: 0n, etext: 0n, sinittext: 0n, einittext: 0n };
  // The last definition wins, as the tool overwrites on every match.
  for (const s of symbols) {
    switch (s.name) {
      case '_stext':
        ranges.stext = s.addr;
        break;
      case '_etext':
        ranges.etext = s.addr;
        break;
      case '_sinittext':
        ranges.sinittext = s.addr;
        break;
      case '_einittext':
        ranges.einittext = s.addr;
        break;
    }
  }
  return ranges;
}

export interface SelectOptions {
  generation: Generation;
  allSymbols?: boolean;
}

export function isInTable(s: ListingSymbol, ranges: TextRanges, options: SelectOptions): boolean {
  if (options.allSymbols) return true;
  // latest keeps section markers so that __start_X/__stop_X resolve in backtraces.
  if (
    options.generation === 'latest' &&
    (s.name.startsWith('__start_') || s.name.startsWith('__stop_'))
  ) {
    return true;
  }
  const inText = s.addr >= ranges.stext && s.addr <= ranges.etext;
  const inInit = s.addr >= ranges.sinittext && s.addr <= ranges.einittext;
  if (!inText && !inInit) return false;
  // Symbols sharing _etext's or _einittext's address can move between passes
  // once the table is linked in (they may belong to what follows), so only the
  // boundary symbol itself is listed there.
  if (s.addr === ranges.etext && s.name !== '_etext') return false;
  if (s.addr === ranges.einittext && s.name !== '_einittext') return false;
  return true;
}

export function selectSymbols(
  symbols: readonly ListingSymbol[],
  options: SelectOptions,
): ListingSymbol[] {
  const ranges = findTextRanges(symbols);
  return symbols.filter((s) => isInTable(s, ranges, options));
}
