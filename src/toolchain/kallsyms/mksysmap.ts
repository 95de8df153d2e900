/**
 * The `mksysmap` filter: `nm -n` output minus the lines the kernel never wants
 * in System.map. Since v6.11 the kallsyms tool reads this filtered listing
 * (the `.syms` file) instead of raw nm output, so these rules decide which
 * symbols it sees. Each rule is a regular expression searched anywhere in the
 * whole line, as sed's `/re/d` does.
 */
import { toByteString } from './bytes.ts';
import { splitLines, type ListingLine } from './listing.ts';
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

function filterLines(listing: string | Uint8Array, rules: readonly RegExp[]): MksysmapResult {
  const text = toByteString(listing);
  const all = splitLines(text);
  // One alternation is much faster than a test per rule on 300k lines.
  const any = new RegExp(rules.map((rule) => `(?:${rule.source})`).join('|'));
  const lines = all.filter((line) => !any.test(line.text));
  // sed keeps a missing final newline missing, on the last input line only.
  const lastOpen = text.length > 0 && !text.endsWith('\n') ? all[all.length - 1] : undefined;
  let out = '';
  for (const line of lines) out += line === lastOpen ? line.text : line.text + '\n';
  return { text: out, lines, inputLines: all.length };
}

/** latest: `nm -n` listing → `.syms` file / System.map. */
export function mksysmap(
  listing: string | Uint8Array,
  options: MksysmapOptions = {},
): MksysmapResult {
  return filterLines(
    listing,
    options.ignoreLldStubs ? [...MKSYSMAP_RULES, ...LLD_STUB_RULES] : MKSYSMAP_RULES,
  );
}

/** v5.8/v5.9: `nm -n vmlinux` → System.map (the kallsyms tool itself reads raw nm output). */
export function mksysmapV59(listing: string | Uint8Array): MksysmapResult {
  return filterLines(listing, MKSYSMAP_V59_RULES);
}
