import { LLD_PPC64_STUB_PREFIXES } from '../kallsyms/index.ts';

/**
 * Branch stubs a linker adds, recognised by their symbol names: ld.lld's
 * PPC64 stubs, its PPC32 `__LongThunk_`/`__LongThunk_PIC_` stubs, and GNU
 * ld's `<group>.long_branch.<f>` / `.plt_branch.` names (for listings made
 * elsewhere).
 */
export type StubKind =
  | 'long_branch'
  | 'plt'
  | 'toc_save'
  | 'gep_setup'
  | 'LongThunk'
  | 'gnu_long_branch'
  | 'gnu_plt_branch';

const KIND_BY_PREFIX: ReadonlyArray<[string, StubKind]> = [
  ['__long_branch_', 'long_branch'],
  ['__plt_', 'plt'],
  ['__toc_save_', 'toc_save'],
  ['__gep_setup_', 'gep_setup'],
  ['__LongThunk_', 'LongThunk'],
];

// The list above must cover every prefix the kallsyms filter knows.
for (const prefix of LLD_PPC64_STUB_PREFIXES) {
  if (!KIND_BY_PREFIX.some(([p]) => p === prefix)) throw new Error(`no stub kind for ${prefix}`);
}

/** The prefixes of ld.lld's stub names (each is at least three ASCII chars). */
export const STUB_NAME_PREFIXES: readonly string[] = KIND_BY_PREFIX.map(([prefix]) => prefix);
/** What GNU ld's stub names hold (each holds a dot). */
const GNU_STUB_INFIXES = ['.long_branch.', '.plt_branch.'] as const;

export function stubKind(name: string): StubKind | undefined {
  for (const [prefix, kind] of KIND_BY_PREFIX) if (name.startsWith(prefix)) return kind;
  if (name.includes(GNU_STUB_INFIXES[0])) return 'gnu_long_branch';
  if (name.includes(GNU_STUB_INFIXES[1])) return 'gnu_plt_branch';
  return undefined;
}
