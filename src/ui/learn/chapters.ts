/**
 * The story: short chapters, each a scenario opened at one moment (a pass and
 * a panel), a few paragraphs and one thing to try. Every figure a chapter
 * states is pinned by chapters.test.ts on real links, so a change to the
 * corpus or the linker that breaks a sentence fails a test instead of
 * teaching something untrue.
 */
import type { Scenario } from '../../toolchain/scenario/schema.ts';

/** Where a chapter opens: the panel in view and the pass it shows. */
export type ChapterPanel = 'verdict' | 'chart' | 'table' | 'layout' | 'stubs' | 'reach';

export interface ChapterLink {
  label: string;
  href: string;
}

export interface Chapter {
  id: string;
  title: string;
  /** The preset the chapter starts from, and what it changes in it. */
  preset: string;
  changes?: Partial<Omit<Scenario, 'layout'>>;
  /** The trial link to open at (1-based), or the final link. */
  pass: number | 'vmlinux';
  panel: ChapterPanel;
  paragraphs: string[];
  /** One thing to try, as an instruction. */
  tryThis: string;
  /** Sources outside the page: the kernel's files by version, the 2020 report. */
  links: ChapterLink[];
}

const BOOTLIN = 'https://elixir.bootlin.com/linux';
const LINK_VMLINUX_59: ChapterLink = {
  label: 'scripts/link-vmlinux.sh (v5.9)',
  href: `${BOOTLIN}/v5.9/source/scripts/link-vmlinux.sh`,
};
const LINK_VMLINUX_611: ChapterLink = {
  label: 'scripts/link-vmlinux.sh (v6.11)',
  href: `${BOOTLIN}/v6.11/source/scripts/link-vmlinux.sh`,
};
const KALLSYMS_59: ChapterLink = {
  label: 'scripts/kallsyms.c (v5.9)',
  href: `${BOOTLIN}/v5.9/source/scripts/kallsyms.c`,
};
const MKSYSMAP_611: ChapterLink = {
  label: 'scripts/mksysmap (v6.11)',
  href: `${BOOTLIN}/v6.11/source/scripts/mksysmap`,
};
const REPORT_2020: ChapterLink = {
  label: 'The 2020 report: \u201ckbuild: Try up to eight kallsyms link passes\u201d',
  href: 'https://lore.kernel.org/all/?q=%22Try+up+to+eight+kallsyms+link+passes%22',
};
const FIX_2020: ChapterLink = {
  label:
    'The fix: scripts/kallsyms: skip ppc compiler stub *.long_branch.* / *.plt_branch.* (516d980f)',
  href: 'https://github.com/torvalds/linux/commit/516d980f',
};

export const CHAPTERS: readonly Chapter[] = [
  {
    id: 'why-link-twice',
    title: 'Why the kernel links itself more than once',
    preset: 'small-converges',
    pass: 1,
    panel: 'layout',
    paragraphs: [
      'A running kernel carries a table of its own symbols: the names of its functions and ' +
        'variables and where each one lies. That table, kallsyms, is how a crash report prints ' +
        'function names instead of bare addresses, and how /proc/kallsyms and the tracers find ' +
        'code by name.',
      'The table can only be written once the kernel is linked, because only then are the ' +
        'addresses known; yet the table is part of what gets linked. So the build links a trial ' +
        'image first, lists its symbols, builds the table from that list, and links again with ' +
        'the table inside. The picture shows trial 1: core text at the bottom, then read-only ' +
        'data where the table will go, then the rest of a big kernel as an address gap, then ' +
        'init text.',
    ],
    tryThis: 'Press Step to link the next trial image, and watch .rodata appear with the table.',
    links: [LINK_VMLINUX_59, KALLSYMS_59],
  },
  {
    id: 'a-loop-that-converges',
    title: 'A loop that converges',
    preset: 'small-converges',
    pass: 2,
    panel: 'table',
    paragraphs: [
      'Trial 2 holds the table built from trial 1. If trial 2\u2019s own table object has the ' +
        'same size as trial 1\u2019s, nothing after the table moved, so the table describes ' +
        'trial 2 correctly and the loop may stop.',
      'The build then links vmlinux with that table and compares its System.map (its symbol ' +
        'list, filtered) with the last trial\u2019s. Here they match: the verdict is converged ' +
        'after 2 trial links. Init text is aligned to 16 MiB, so the table\u2019s few kilobytes ' +
        'do not even move it.',
    ],
    tryThis: 'Compare the table object column of trial 1 and trial 2 in the table of passes.',
    links: [LINK_VMLINUX_611],
  },
  {
    id: 'stubs-grow-the-table',
    title: 'How a growing table pushes calls out of reach',
    preset: 'powerpc-2020',
    changes: { strategy: 'eight-passes' },
    pass: 2,
    panel: 'reach',
    paragraphs: [
      'On powerpc a direct call, the bl instruction, reaches at most 32 MiB up or down. Init ' +
        'code calls into core code a long way below it; when a call is too far, ld.lld inserts ' +
        'a stub: a few instructions within reach that jump the rest of the way. ld.lld names ' +
        'each one after its target, __long_branch_<function>.',
      'Every stub is a new symbol, so it gets an entry in the next table. The table lies between ' +
        'core text and init text, so a bigger table pushes init text further up, more calls ' +
        'cross the 32 MiB line and need stubs, and the table grows again. The histogram shows ' +
        'the calls of trial 2 against the reach of bl.',
    ],
    tryThis:
      'Step through the passes and watch the number of new stubs fall: 208 in trial 2, then 15, then 1, then none.',
    links: [LINK_VMLINUX_59],
  },
  {
    id: 'the-2020-report',
    title: 'The 2020 report: the kernel\u2019s advice does not help',
    preset: 'powerpc-2020',
    pass: 'vmlinux',
    panel: 'verdict',
    paragraphs: [
      'In September 2020 Guenter Roeck reported that powerpc allmodconfig builds had often ' +
        'failed since v5.8 with \u201cInconsistent kallsyms data\u201d, that the suggested ' +
        'KALLSYMS_EXTRA_PASS=1 did not help, and that the build needed up to four link passes. ' +
        'He proposed up to eight; that patch was not merged.',
      'This scenario re-enacts it with ld.lld: the v5.9 script links at most three trial ' +
        'images, the table is still growing at the third, and vmlinux no longer matches it.',
    ],
    tryThis:
      'Turn on KALLSYMS_EXTRA_PASS and run again (still inconsistent), then choose eight passes (converged after 5 trial links).',
    links: [REPORT_2020, LINK_VMLINUX_59],
  },
  {
    id: 'the-fix-and-lld',
    title: 'The kernel\u2019s fix, and why ld.lld\u2019s stubs still slip through',
    preset: 'lld-today',
    pass: 2,
    panel: 'stubs',
    paragraphs: [
      'The kernel took another way out in 2020: it stopped putting the linker\u2019s stub ' +
        'symbols in the table, since nobody looks them up by name. Without them the table no ' +
        'longer grows with the stubs, and the loop settles. The rule matches GNU ld\u2019s names, ' +
        'such as <group>.long_branch.<function>.',
      'ld.lld names its PPC64 stubs differently (__long_branch_, __plt_ and kin), and no rule in ' +
        'today\u2019s scripts drops those. The same failure is still there with the latest ' +
        'script on a ppc64 kernel linked by ld.lld.',
    ],
    tryThis:
      'Turn on \u201cFilter ld.lld\u2019s stub names\u201d: the loop converges after 2 trial links.',
    links: [FIX_2020, MKSYSMAP_611, LINK_VMLINUX_611],
  },
  {
    id: 'ppc32-thunks',
    title: '32-bit, and the Thunk_ rule',
    preset: 'ppc32-thunks',
    pass: 2,
    panel: 'stubs',
    paragraphs: [
      'On 32-bit powerpc, ld.lld calls its stubs __LongThunk_<function>. Today\u2019s mksysmap ' +
        'drops names that look like __<word>Thunk_, a rule written for ARM, AArch64 and MIPS ' +
        'thunks, and it happens to catch these too.',
      'So under the latest script the stubs never reach the table, and the loop converges ' +
        'after 2 trial links although hundreds of stubs appear.',
    ],
    tryThis:
      'Switch the generation and strategy to v5.9: without the rule, the same layout is inconsistent.',
    links: [MKSYSMAP_611],
  },
  {
    id: 'growth-that-lingers',
    title: 'Growth that does not die out',
    preset: 'never-converges',
    pass: 16,
    panel: 'chart',
    paragraphs: [
      'Whether the growth dies out depends on one ratio: the table bytes each new stub adds, ' +
        'against how closely the call targets near the 32 MiB line are packed. Here each new stub ' +
        'adds about 20 bytes to the table, and near the limit there is a new call target about ' +
        'every 20 bytes, so each round of growth pushes about as many calls over the line as ' +
        'the round before.',
      'Neither eight passes nor a 16-pass fixpoint reach a table that stops changing.',
    ],
    tryThis:
      'Turn on the ld.lld stub filter: stubs no longer add table bytes, and the loop converges after 3 trial links.',
    links: [LINK_VMLINUX_611],
  },
];
