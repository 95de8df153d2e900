/**
 * ld.lld names every PPC64 branch stub it creates with a local text symbol
 * starting with one of these prefixes. No kernel filter drops them, so each
 * new stub is a new kallsyms entry: this list is "the fix the kernel lacks".
 */
export const LLD_PPC64_STUB_PREFIXES = [
  '__long_branch_',
  '__plt_',
  '__toc_save_',
  '__gep_setup_',
] as const;

export function isLldPpc64StubName(name: string): boolean {
  return LLD_PPC64_STUB_PREFIXES.some((prefix) => name.startsWith(prefix));
}
