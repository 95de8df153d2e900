/**
 * Every line of a listing accounted for, per kallsyms generation: which rule
 * dropped it (mksysmap's, the reader's, the ignore list's, the text-range
 * selection's) or put it in the table. Built from the generator's own rule
 * functions (kallsyms/ignore.ts, select.ts, mksysmap.ts), so the words name
 * exactly what the tool applied; table.ts checks the totals against
 * `generateKallsyms` on every run.
 */
import {
  KSYM_NAME_LEN,
  describeMksysmapRule,
  filterListing,
  findTextRanges,
  ignoreRuleOf,
  IN_TABLE_RULES,
  latestRules,
  latestSymbolRead,
  mksysmapRuleOf,
  parseLatestSpan,
  scanV59Listing,
  tableRuleOf,
  type Generation,
  type KallsymsWarning,
  type ListingSymbol,
} from '../kallsyms/index.ts';

export type RuleStage = 'mksysmap' | 'read' | 'ignore' | 'table';

export interface RuleTally {
  stage: RuleStage;
  /** The rule in words (`mksysmap / [aNUw] /`, `v5.x: prefix "__crc_"`, …). */
  rule: string;
  /** True for the rules that put a symbol in the table. */
  inTable: boolean;
  symbols: number;
  /** The first few names it applied to (each at most 200 bytes). */
  examples: string[];
}

export interface GenerationAccount {
  generation: Generation;
  tallies: RuleTally[];
  /** For listing line n (1-based), the index in `tallies` of what became of it, or -1. */
  decisionOfLine: Int32Array;
  /** Symbols the tool read, kept (after ignoring), put in the table. */
  read: number;
  kept: number;
  inTable: number;
}

export interface AccountOptions {
  generation: Generation;
  allSymbols?: boolean;
  ignoreLldStubs?: boolean;
  /** Names kept per rule as examples. */
  listedNames: number;
}

export const READ_RULES = {
  unread: 'v5.x: not read as a symbol (no address: an undefined symbol)',
  tooLongLatest: `name of ${KSYM_NAME_LEN.latest} bytes or more: skipped (KSYM_NAME_LEN)`,
  tooLongV59: `name of ${KSYM_NAME_LEN.v59} bytes or more: skipped (KSYM_NAME_LEN)`,
} as const;

const clip = (name: string) => (name.length > 200 ? name.slice(0, 200) + '…' : name);

/** Accounts for every line of `text` (a byte string of `lines` lines) under one generation. */
export function accountListing(
  text: string,
  lines: number,
  options: AccountOptions,
): GenerationAccount {
  const tallies: RuleTally[] = [];
  const byKey = new Map<string, number>();
  const decisionOfLine = new Int32Array(lines + 1).fill(-1);
  const decide = (line: number, stage: RuleStage, rule: string, inTable: boolean, name: string) => {
    const key = `${stage}\0${rule}`;
    let index = byKey.get(key);
    if (index === undefined) {
      index = tallies.length;
      byKey.set(key, index);
      tallies.push({ stage, rule, inTable, symbols: 0, examples: [] });
    }
    const tally = tallies[index];
    tally.symbols++;
    if (tally.examples.length < options.listedNames) tally.examples.push(clip(name));
    if (line >= 1 && line <= lines) decisionOfLine[line] = index;
  };

  const { generation } = options;
  const symbols: ListingSymbol[] = [];
  if (generation === 'latest') {
    const rules = latestRules(options.ignoreLldStubs);
    const filtered = filterListing(text, rules);
    const { start, end, number, count } = filtered.kept;
    // Lines the filter dropped: the first rule that matches each.
    let k = 0;
    for (let at = 0, line = 1; at < text.length; line++) {
      const nl = text.indexOf('\n', at);
      const lineEnd = nl < 0 ? text.length : nl;
      if (k < count && number[k] === line) {
        k++;
      } else {
        const lineText = text.slice(at, lineEnd);
        const rule = mksysmapRuleOf(lineText, rules);
        const name = lineText.replace(/^[ 0-9a-fA-F]*\s\S\s/, '');
        decide(line, 'mksysmap', rule ? describeMksysmapRule(rule) : 'mksysmap', false, name);
      }
      at = lineEnd + 1;
    }
    const warnings: KallsymsWarning[] = [];
    const read = latestSymbolRead(); // one for all lines
    const mayHoldNul = text.includes('\0'); // one search, not one per line
    for (let i = 0; i < count; i++) {
      const before = warnings.length;
      const s = parseLatestSpan(text, start[i], end[i], number[i], warnings, read, mayHoldNul);
      if (s) symbols.push(s);
      else if (warnings.length > before) {
        const name = text.slice(start[i], end[i]).replace(/^[0-9a-fA-F]+ . /, '');
        decide(number[i], 'read', READ_RULES.tooLongLatest, false, name);
      }
    }
  } else {
    const scanned = scanV59Listing(text);
    for (const w of scanned.warnings) {
      if (w.place && /too long/.test(w.message)) {
        const name = w.place.text.replace(/^[0-9a-fA-F]+ . /, '');
        decide(w.place.line, 'read', READ_RULES.tooLongV59, false, name);
      }
    }
    for (const s of scanned.symbols) symbols.push(s);
  }

  const kept: ListingSymbol[] = [];
  for (const s of symbols) {
    const rule = ignoreRuleOf(s.name, s.type, options);
    if (rule === null) kept.push(s);
    else decide(s.place.line, 'ignore', rule, false, s.name);
  }
  const ranges = findTextRanges(kept);
  let inTable = 0;
  for (const s of kept) {
    const rule = tableRuleOf(s, ranges, options);
    const isIn = IN_TABLE_RULES.has(rule);
    if (isIn) inTable++;
    decide(s.place.line, 'table', rule, isIn, s.name);
  }

  if (generation !== 'latest') {
    // v5.x reads the raw listing; lines that gave no symbol are its undefined ones.
    const unread: RuleTally = {
      stage: 'read',
      rule: READ_RULES.unread,
      inTable: false,
      symbols: 0,
      examples: [],
    };
    for (let at = 0, line = 1; at < text.length; line++) {
      const nl = text.indexOf('\n', at);
      const lineEnd = nl < 0 ? text.length : nl;
      if (decisionOfLine[line] < 0) {
        unread.symbols++;
        if (unread.examples.length < options.listedNames) {
          unread.examples.push(clip(text.slice(at, lineEnd).replace(/^ *\S /, '')));
        }
        decisionOfLine[line] = 0;
      } else {
        decisionOfLine[line]++;
      }
      at = lineEnd + 1;
    }
    if (unread.symbols > 0) tallies.unshift(unread);
    else for (let line = 1; line <= lines; line++) decisionOfLine[line]--;
  }
  return { generation, tallies, decisionOfLine, read: symbols.length, kept: kept.length, inTable };
}
