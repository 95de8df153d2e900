/**
 * Which of the kept symbols go into the table. Without --all-symbols only
 * text symbols are listed: their addresses are what a backtrace needs.
 */
import { addrOf, type SymbolColumns } from './columns.ts';
import type { Generation } from './ignore.ts';
import type { ListingSymbol } from './listing.ts';

/** The boundaries of core and init text, from the kept symbols (0 when missing). */
export interface TextRanges {
  stext: bigint;
  etext: bigint;
  sinittext: bigint;
  einittext: bigint;
}

/**
 * findTextRangesOf for objects, without making columns of them (the
 * diagnosis calls it on 300k symbols); select.test.ts holds the two to agreeing.
 */
export function findTextRanges(symbols: readonly ListingSymbol[]): TextRanges {
  const ranges: TextRanges = { stext: 0n, etext: 0n, sinittext: 0n, einittext: 0n };
  // The last definition wins, as the tool overwrites on every match.
  for (const s of symbols) {
    if (s.name === '_stext') ranges.stext = s.addr;
    else if (s.name === '_etext') ranges.etext = s.addr;
    else if (s.name === '_sinittext') ranges.sinittext = s.addr;
    else if (s.name === '_einittext') ranges.einittext = s.addr;
  }
  return ranges;
}

export interface SelectOptions {
  generation: Generation;
  allSymbols?: boolean;
}

/** The rules `tableRuleOf` names: why a kept symbol is in the table or not. */
export const TABLE_RULES = {
  allSymbols: 'in: --all-symbols',
  sectionMarker: 'in: __start_/__stop_ section marker (latest)',
  text: 'in: [_stext, _etext]',
  initText: 'in: [_sinittext, _einittext]',
  outside: 'out: outside [_stext, _etext] and [_sinittext, _einittext]',
  atEtext: "out: at _etext's address, not _etext itself",
  atEinittext: "out: at _einittext's address, not _einittext itself",
} as const;

export type TableRule = (typeof TABLE_RULES)[keyof typeof TABLE_RULES];

/** Which rule puts this symbol in the table or leaves it out, in words (for the diagnosis). */
export function tableRuleOf(
  s: ListingSymbol,
  ranges: TextRanges,
  options: SelectOptions,
): TableRule {
  if (options.allSymbols) return TABLE_RULES.allSymbols;
  // latest keeps section markers so that __start_X/__stop_X resolve in backtraces.
  if (
    options.generation === 'latest' &&
    (s.name.startsWith('__start_') || s.name.startsWith('__stop_'))
  ) {
    return TABLE_RULES.sectionMarker;
  }
  const inText = s.addr >= ranges.stext && s.addr <= ranges.etext;
  const inInit = s.addr >= ranges.sinittext && s.addr <= ranges.einittext;
  if (!inText && !inInit) return TABLE_RULES.outside;
  // Symbols sharing _etext's or _einittext's address can move between passes
  // once the table is linked in (they may belong to what follows), so only the
  // boundary symbol itself is listed there.
  if (s.addr === ranges.etext && s.name !== '_etext') return TABLE_RULES.atEtext;
  if (s.addr === ranges.einittext && s.name !== '_einittext') return TABLE_RULES.atEinittext;
  return inText ? TABLE_RULES.text : TABLE_RULES.initText;
}

/** The rules of tableRuleOf that put a symbol in the table. */
export const IN_TABLE_RULES: ReadonlySet<TableRule> = new Set([
  TABLE_RULES.allSymbols,
  TABLE_RULES.sectionMarker,
  TABLE_RULES.text,
  TABLE_RULES.initText,
]);

/** Index of the last symbol named `name` in the columns, or -1 (the tool overwrites on every match). */
function lastNamed(c: SymbolColumns, name: string): number {
  const { text, nameStart, nameEnd } = c;
  for (let i = c.count - 1; i >= 0; i--) {
    if (nameEnd[i] - nameStart[i] === name.length && text.startsWith(name, nameStart[i])) return i;
  }
  return -1;
}

/** The text boundaries of the kept symbols: the last definition of each wins. */
export function findTextRangesOf(c: SymbolColumns): TextRanges {
  const at = (name: string): bigint => {
    const i = lastNamed(c, name);
    return i < 0 ? 0n : addrOf(c, i);
  };
  return {
    stext: at('_stext'),
    etext: at('_etext'),
    sinittext: at('_sinittext'),
    einittext: at('_einittext'),
  };
}

/**
 * The indices of the table's symbols, in order: the rules of tableRuleOf
 * (which explains one symbol; select.test.ts holds the two to agreeing), on
 * address halves and name spans.
 */
export function selectColumns(
  c: SymbolColumns,
  ranges: TextRanges,
  options: SelectOptions,
): Uint32Array {
  const n = c.count;
  const out = new Uint32Array(n);
  let kept = 0;
  if (options.allSymbols) {
    for (let i = 0; i < n; i++) out[i] = i;
    return out;
  }
  const { text, nameStart, nameEnd, addrHi, addrLo } = c;
  const latest = options.generation === 'latest';
  const [sHi, sLo] = halves(ranges.stext);
  const [eHi, eLo] = halves(ranges.etext);
  const [siHi, siLo] = halves(ranges.sinittext);
  const [eiHi, eiLo] = halves(ranges.einittext);
  /** -1, 0 or 1 as symbol i's address compares with hi:lo. */
  const cmp = (i: number, hi: number, lo: number): number => {
    const h = addrHi[i];
    if (h !== hi) return h < hi ? -1 : 1;
    const l = addrLo[i];
    return l === lo ? 0 : l < lo ? -1 : 1;
  };
  const named = (i: number, name: string): boolean =>
    nameEnd[i] - nameStart[i] === name.length && text.startsWith(name, nameStart[i]);
  const startsWith = (i: number, prefix: string): boolean =>
    nameEnd[i] - nameStart[i] >= prefix.length && text.startsWith(prefix, nameStart[i]);
  for (let i = 0; i < n; i++) {
    if (latest && (startsWith(i, '__start_') || startsWith(i, '__stop_'))) {
      out[kept++] = i;
      continue;
    }
    const toEtext = cmp(i, eHi, eLo);
    const toEinittext = cmp(i, eiHi, eiLo);
    const inText = cmp(i, sHi, sLo) >= 0 && toEtext <= 0;
    const inInit = cmp(i, siHi, siLo) >= 0 && toEinittext <= 0;
    if (!inText && !inInit) continue;
    if (toEtext === 0 && !named(i, '_etext')) continue;
    if (toEinittext === 0 && !named(i, '_einittext')) continue;
    out[kept++] = i;
  }
  return out.subarray(0, kept);
}

/** An unsigned 64-bit address (as read) in halves; anything else cannot equal one. */
function halves(a: bigint): [number, number] {
  return [Number(a >> 32n), Number(a & 0xffffffffn)];
}
