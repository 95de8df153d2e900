/**
 * One glossary for the whole page: the story's text and the panels' headings
 * show these definitions on hover and focus. Keys are the terms as they are
 * written on the page (matched case-insensitively, longest first).
 */
export interface GlossaryEntry {
  term: string;
  /** Other spellings that mean the same term. */
  also?: string[];
  definition: string;
}

export const GLOSSARY: readonly GlossaryEntry[] = [
  {
    term: 'kallsyms',
    definition:
      'The kernel\u2019s table of its own symbols (names and addresses), built by scripts/kallsyms ' +
      'and linked into the kernel, so that crash reports, /proc/kallsyms and tracers can name code.',
  },
  {
    term: 'trial link',
    also: ['trial image', 'trial'],
    definition:
      'A link made only to learn the symbols\u2019 addresses: its symbol list becomes the next table. ' +
      'The build keeps linking trials until the table stops changing size.',
  },
  {
    term: 'vmlinux',
    definition:
      'The final kernel image, linked with the last table; its System.map must equal the last trial\u2019s.',
  },
  {
    term: 'table object',
    definition:
      'The object file holding the kallsyms table built from one trial image; the build compares ' +
      'the sizes of successive table objects.',
  },
  {
    term: 'System.map',
    definition:
      'The kernel\u2019s symbol list (nm -n, minus a few kinds of symbol). If vmlinux\u2019s differs ' +
      'from the last trial\u2019s, the build stops with \u201cInconsistent kallsyms data\u201d.',
  },
  {
    term: 'init text',
    also: ['.init.text'],
    definition:
      'Code used only while the kernel boots (marked __init) and freed afterwards; it is placed ' +
      'after the rest of the kernel, above the table.',
  },
  {
    term: 'core text',
    also: ['.text'],
    definition: 'The kernel\u2019s ordinary code, below the table; init code calls into it.',
  },
  {
    term: 'bl reach',
    also: ['reach', '\u00b132 MiB'],
    definition:
      'How far powerpc\u2019s direct call instruction, bl, can jump: a signed 26-bit byte offset, ' +
      'so 32 MiB up or down. A call further away needs a stub.',
  },
  {
    term: 'stub',
    also: ['stubs', 'long-branch stub'],
    definition:
      'A few instructions the linker adds within reach of a call that is too long; the call ' +
      'jumps to the stub and the stub jumps the rest of the way. Each stub has a symbol.',
  },
  {
    term: 'thunk',
    also: ['thunks'],
    definition:
      'ld.lld\u2019s word for a stub. On 32-bit powerpc its symbols are named __LongThunk_<function>.',
  },
  {
    term: 'mksysmap',
    definition:
      'The kernel script that turns nm output into System.map by dropping some symbols; since ' +
      'v6.11 it also makes the list the table is built from.',
  },
  {
    term: 'KALLSYMS_EXTRA_PASS',
    definition:
      'A make variable that asks link-vmlinux.sh for one more trial link; the kernel suggests it ' +
      'when the check fails.',
  },
];

/** The entry for a term as written on the page, or undefined. */
export function lookUpTerm(text: string): GlossaryEntry | undefined {
  const wanted = text.trim().toLowerCase();
  return GLOSSARY.find(
    (entry) =>
      entry.term.toLowerCase() === wanted ||
      (entry.also ?? []).some((spelling) => spelling.toLowerCase() === wanted),
  );
}
