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

export function isIgnoredSymbol(name: string, type: string, options: IgnoreOptions): boolean {
  const latest = options.generation === 'latest';
  if (type === 'u' || type === 'n') return true;
  if (!latest && (type === 'U' || type === 'N')) return true;
  if ((type === 'A' || type === 'a') && !KEPT_ABSOLUTE.has(name)) return true;
  if (latest) return false;

  if (V59_IGNORED_NAMES.has(name)) return true;
  if (V59_IGNORED_AFFIXES.test(name)) return true;
  if (options.generation === 'v5.9' && V59_IGNORED_SUBSTRING.test(name)) return true;
  return options.ignoreLldStubs === true && isLldPpc64StubName(name);
}
