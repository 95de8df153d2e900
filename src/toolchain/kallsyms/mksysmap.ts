/**
 * The `mksysmap` filter: `nm -n` output minus the lines the kernel never wants
 * in System.map. Since v6.11 the kallsyms tool reads this filtered listing
 * (the `.syms` file) instead of raw nm output, so these rules decide which
 * symbols it sees. Each rule is a regular expression searched anywhere in the
 * whole line, as sed's `/re/d` does.
 */
import { toByteString } from './bytes.ts';
import type { ListingLine } from './listing.ts';
import { LLD_PPC64_STUB_PREFIXES } from './stubs.ts';

/** The latest kernel's rules (POSIX classes spelled out for the C locale). */
export const MKSYSMAP_RULES: readonly RegExp[] = [
  / [aNUw] /,
  / \$/,
  / \.L/,
  / __efistub_/,
  / __pi_\\$/, // sic: the kernel's rule ends in a literal backslash
  / __pi_\.L/,
  / __kvm_nvhe_\$/,
  / __kvm_nvhe_\.L/,
  / __[A-Za-z0-9]*Thunk_/,
  / __kcfi_typeid_/,
  / __kvm_nvhe___kcfi_typeid_/,
  / __pi___kcfi_typeid_/,
  / __crc_/,
  / __kstrtab_/,
  / __kstrtabns_/,
  /_from_arm$/,
  /_from_thumb$/,
  /_veneer$/,
  / L0$/,
  / _SDA_BASE_$/,
  / _SDA2_BASE_$/,
  /\.long_branch\./,
  /\.plt_branch\./,
];

/** Our extra rules for ld.lld's PPC64 stub names, in the same style. */
export const LLD_STUB_RULES: readonly RegExp[] = LLD_PPC64_STUB_PREFIXES.map(
  (prefix) => new RegExp(' ' + prefix),
);

const LATEST_AND_LLD_RULES: readonly RegExp[] = [...MKSYSMAP_RULES, ...LLD_STUB_RULES];

/** The v5.9 build's System.map filter (link-vmlinux.sh of that time). */
export const MKSYSMAP_V59_RULES: readonly RegExp[] = [/ [aNUw] /, /__crc_/, / \$[adt]/, / \.L/];

export interface MksysmapOptions {
  /** Also drop ld.lld's PPC64 stub symbols (not a kernel rule). */
  ignoreLldStubs?: boolean;
}

export interface MksysmapResult {
  /** The filtered listing, as sed writes it (a byte string). */
  text: string;
  /** The kept lines with their numbers in the input listing. */
  lines: ListingLine[];
  /** How many lines the input had. */
  inputLines: number;
}

/** Kept lines of a filtered listing, as offsets into its text (no object per line). */
export interface KeptLines {
  /** Line k is text.slice(start[k], end[k]) (without its newline), line number[k] of the input. */
  start: Int32Array;
  end: Int32Array;
  number: Int32Array;
  count: number;
}

export interface FilteredListing {
  /** The filtered listing, as sed writes it. */
  text: string;
  kept: KeptLines;
  inputLines: number;
}

/**
 * One regular expression for all rules, searched over the whole listing at
 * once (one native scan instead of a test per line). No rule can match a
 * newline, so a match always lies within one line, as per line; a rule's
 * end-of-line `$` becomes "before a newline or at the end": in a single line
 * `$` means the line's end, and multiline mode would also stop before "\r".
 */
function wholeTextPattern(rules: readonly RegExp[]): RegExp {
  const alternatives = rules.map((rule) => {
    const source = rule.source;
    // A final `$` is an anchor unless escaped (an odd number of backslashes before it).
    let backslashes = 0;
    while (source[source.length - 2 - backslashes] === '\\') backslashes++;
    const anchored = source.endsWith('$') && backslashes % 2 === 0;
    return `(?:${anchored ? source.slice(0, -1) + '(?=\\n|$)' : source})`;
  });
  return new RegExp(alternatives.join('|'), 'g');
}

const patterns = new WeakMap<readonly RegExp[], RegExp>();

/** The listing without the lines that a rule matches. */
export function filterListing(text: string, rules: readonly RegExp[]): FilteredListing {
  let pattern = patterns.get(rules);
  if (!pattern) patterns.set(rules, (pattern = wholeTextPattern(rules)));
  const n = text.length;
  // Lines are delimited by "\n"; a final newline does not begin another line.
  let lines = 0;
  for (let at = 0; at < n; lines++) {
    const nl = text.indexOf('\n', at);
    at = nl < 0 ? n : nl + 1;
  }
  const start = new Int32Array(lines);
  const end = new Int32Array(lines);
  const number = new Int32Array(lines);
  const pieces: string[] = [];
  let count = 0;
  let line = 1;
  let at = 0; // start of the current line
  let copied = 0; // text before this is in `pieces`, or dropped
  pattern.lastIndex = 0;
  while (at < n) {
    // The next match, if any, and the line it lies in.
    const matched = pattern.test(text);
    const dropStart = matched ? text.lastIndexOf('\n', pattern.lastIndex - 1) + 1 : n;
    // Keep the lines before it.
    while (at < dropStart) {
      const nl = text.indexOf('\n', at);
      const lineEnd = nl < 0 ? n : nl;
      start[count] = at;
      end[count] = lineEnd;
      number[count++] = line++;
      at = lineEnd + 1;
    }
    if (!matched) break;
    // Drop the matched line, newline included.
    const nl = text.indexOf('\n', dropStart);
    const dropEnd = nl < 0 ? n : nl + 1;
    if (dropStart > copied) pieces.push(text.slice(copied, dropStart));
    copied = dropEnd;
    line++;
    at = dropEnd;
    pattern.lastIndex = dropEnd;
  }
  if (copied < n) pieces.push(text.slice(copied));
  pattern.lastIndex = 0;
  return {
    text: pieces.length === 1 ? pieces[0] : pieces.join(''),
    kept: { start, end, number, count },
    inputLines: lines,
  };
}

function filterLines(listing: string | Uint8Array, rules: readonly RegExp[]): MksysmapResult {
  const text = toByteString(listing);
  const filtered = filterListing(text, rules);
  const { start, end, number, count } = filtered.kept;
  const lines: ListingLine[] = new Array(count);
  for (let k = 0; k < count; k++) {
    lines[k] = { text: text.slice(start[k], end[k]), line: number[k] };
  }
  return { text: filtered.text, lines, inputLines: filtered.inputLines };
}

/**
 * The first rule that drops this line (sed's script stops at the first `d`
 * that matches), or undefined when the line stays. `line` has no newline.
 */
export function mksysmapRuleOf(line: string, rules: readonly RegExp[]): RegExp | undefined {
  return rules.find((rule) => rule.test(line));
}

/** A rule as a report names it: the kernel's `/re/` for its own, ours marked as ours. */
export function describeMksysmapRule(rule: RegExp): string {
  const ours = LLD_STUB_RULES.includes(rule) ? " (ld.lld stub filter: ours, not the kernel's)" : '';
  return `mksysmap /${rule.source}/${ours}`;
}

/** The rule list for latest, with or without ours for ld.lld's stubs. */
export function latestRules(ignoreLldStubs: boolean | undefined): readonly RegExp[] {
  return ignoreLldStubs ? LATEST_AND_LLD_RULES : MKSYSMAP_RULES;
}

/** latest: `nm -n` listing → `.syms` file / System.map. */
export function mksysmap(
  listing: string | Uint8Array,
  options: MksysmapOptions = {},
): MksysmapResult {
  return filterLines(listing, latestRules(options.ignoreLldStubs));
}

/** v5.8/v5.9: `nm -n vmlinux` → System.map (the kallsyms tool itself reads raw nm output). */
export function mksysmapV59(listing: string | Uint8Array): MksysmapResult {
  return filterLines(listing, MKSYSMAP_V59_RULES);
}
