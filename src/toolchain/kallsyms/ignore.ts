/**
 * Which listing symbols the tool throws away before anything else (its
 * `is_ignored_symbol`). For latest, most of this work is done earlier by the
 * mksysmap filter; only the type rules remain.
 */
import { isLldPpc64StubName } from './stubs.ts';

export type Generation = 'v5.8' | 'v5.9' | 'latest';

/** Absolute symbols that still belong in the table (ia64's syscall gates, alpha's __gp). */
const KEPT_ABSOLUTE: ReadonlySet<string> = new Set([
  '__kernel_syscall_via_break',
  '__kernel_syscall_via_epc',
  '__kernel_sigtramp',
  '__gp',
]);

/** v5.9: the table's own symbols, which would otherwise change from pass to pass. */
const V59_IGNORED_NAMES: ReadonlySet<string> = new Set([
  'kallsyms_addresses',
  'kallsyms_offsets',
  'kallsyms_relative_base',
  'kallsyms_num_syms',
  'kallsyms_names',
  'kallsyms_markers',
  'kallsyms_token_table',
  'kallsyms_token_index',
  '_SDA_BASE_',
  '_SDA2_BASE_',
]);

const V59_IGNORED_PREFIXES = [
  '$',
  '.LASANPC',
  '__crc_',
  '__efistub_',
  '__kvm_nvhe_',
  '__AArch64ADRPThunk_',
  '__ARMV5PILongThunk_',
  '__ARMV7PILongThunk_',
  '__ThumbV7PILongThunk_',
  '__LA25Thunk_',
  '__microLA25Thunk_',
];

const V59_IGNORED_SUFFIXES = ['_from_arm', '_from_thumb', '_veneer'];

/** GNU ld's powerpc stub names; filtering them was the 2020 fix (absent in v5.8). */
const V59_IGNORED_SUBSTRINGS = ['.long_branch.', '.plt_branch.'];

/** A list of literal strings as one regular expression (one native test per name). */
const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const V59_IGNORED_AFFIXES = new RegExp(
  `^(?:${V59_IGNORED_PREFIXES.map(escape).join('|')})|(?:${V59_IGNORED_SUFFIXES.map(escape).join('|')})$`,
);
const V59_IGNORED_SUBSTRING = new RegExp(V59_IGNORED_SUBSTRINGS.map(escape).join('|'));

export interface IgnoreOptions {
  generation: Generation;
  /** Also ignore ld.lld's PPC64 stubs (for latest this is done by mksysmap). */
  ignoreLldStubs?: boolean;
}

/** The rules `ignoreRuleOf` names, in the words reports use. */
export const IGNORE_RULES = {
  undefined: 'type u or n (v5.x also U, N): undefined or debugging symbol',
  absolute: 'type A or a: absolute symbol (all but four kept names)',
  ownName: "v5.x: the table's own kallsyms_* names, _SDA_BASE_, _SDA2_BASE_",
  lldStub: "ld.lld's PPC64 stub names (our filter, not the kernel's)",
} as const;

/**
 * Why the tool throws this symbol away, in words (a prefix, suffix or
 * substring rule names its string), or null when it keeps it.
 * `isIgnoredSymbol` is this rule list; a report uses the words.
 */
export function ignoreRuleOf(name: string, type: string, options: IgnoreOptions): string | null {
  const latest = options.generation === 'latest';
  if (type === 'u' || type === 'n') return IGNORE_RULES.undefined;
  if (!latest && (type === 'U' || type === 'N')) return IGNORE_RULES.undefined;
  if ((type === 'A' || type === 'a') && !KEPT_ABSOLUTE.has(name)) return IGNORE_RULES.absolute;
  if (latest) return null;

  if (V59_IGNORED_NAMES.has(name)) return IGNORE_RULES.ownName;
  if (V59_IGNORED_AFFIXES.test(name)) {
    // Rare (ignored symbols only): find which affix matched.
    const prefix = V59_IGNORED_PREFIXES.find((p) => name.startsWith(p));
    if (prefix !== undefined) return `v5.x: prefix "${prefix}"`;
    return `v5.x: suffix "${V59_IGNORED_SUFFIXES.find((s) => name.endsWith(s))}"`;
  }
  if (options.generation === 'v5.9' && V59_IGNORED_SUBSTRING.test(name)) {
    const part = V59_IGNORED_SUBSTRINGS.find((s) => name.includes(s));
    return `v5.9: contains "${part}" (GNU ld's powerpc stubs, the 2020 fix)`;
  }
  return options.ignoreLldStubs === true && isLldPpc64StubName(name) ? IGNORE_RULES.lldStub : null;
}

/**
 * latest ignores by type only (`ignoreRuleOf` returns null for any other
 * type), so a reader can skip the name for every other symbol.
 */
export const isLatestIgnorableType = (type: number): boolean =>
  type === 0x75 || type === 0x6e || type === 0x41 || type === 0x61; // u n A a

export function isIgnoredSymbol(name: string, type: string, options: IgnoreOptions): boolean {
  return ignoreRuleOf(name, type, options) !== null;
}
