import { DEFAULT_GENERATED_PARAMS, generatedCorpusId } from '../corpus/generated/params.ts';
import type { Scenario } from './schema.ts';

export interface Preset {
  id: string;
  title: string;
  /** One line for `kallsyms-lab presets`. */
  summary: string;
  /** What the preset shows, for the page and the README. */
  explanation: string;
  scenario: Scenario;
}

const MIB = 1024 * 1024;
const PPC64_BASE = '0xc000000000000000';
const PPC32_BASE = '0xc0000000';

const base: Omit<Scenario, 'arch' | 'layout' | 'generation' | 'strategy'> = {
  corpus: 'kernel-like',
  linkerScript: null,
  baseRelative: true,
  allSymbols: false,
  filterLldStubs: false,
  extraPass: false,
  maxPasses: 16,
  extraLinkerFlags: [],
};

/**
 * The layout built to oscillate: a small generated kernel whose __init code
 * also calls 400 functions pinned above init text. Found by sweeping
 * pinnedAt over real links (native ld.lld-16, then confirmed with the
 * WebAssembly ld.lld): from 33,657,000 to 33,672,000 bytes every value
 * oscillates with period 2; this one lies in the middle.
 */
export const PINNED_CYCLE_CORPUS = generatedCorpusId({
  ...DEFAULT_GENERATED_PARAMS,
  symbols: 4000,
  objects: 16,
  initFunctions: 400,
  pinned: 400,
  pinnedSpacing: 60,
  pinnedCallsPerInit: 1,
  pinnedAt: 32 * MIB + 108 * 1024,
});

/**
 * Each preset's gap was found by sweeping it over the committed corpus and
 * is pinned by a test on real links (presets.test.ts): if the corpus or the
 * linker changes, the test says which preset no longer shows its story.
 */
export const PRESETS: readonly Preset[] = [
  {
    id: 'small-converges',
    title: 'A small kernel converges at once',
    summary: 'No call leaves the ±32 MiB reach: every strategy converges after 2 trial links.',
    explanation:
      'Init text starts 8 MiB after read-only data, aligned to 16 MiB. No branch from init code to ' +
      'core code is longer than 32 MiB, so the linker adds no stubs, and the table from the first ' +
      'trial describes the second exactly. The 16 MiB alignment also absorbs the table\u2019s own ' +
      'size: init text does not move when the table is added, so even the byte-for-byte fixpoint ' +
      'is reached after two trial links.',
    scenario: {
      ...base,
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16 * MIB, gap: 8 * MIB },
      generation: 'latest',
      strategy: 'latest',
    },
  },
  {
    id: 'powerpc-2020',
    title: 'The 2020 powerpc report, re-enacted with ld.lld',
    summary:
      'v5.9 fails with "Inconsistent kallsyms data", with or without KALLSYMS_EXTRA_PASS; eight-passes converges.',
    explanation:
      'Init text begins just under 32 MiB above core text, so the first trial already needs ' +
      'about a hundred long-branch stubs, and adding the table pushes init code another 45 KiB ' +
      'away: two hundred more calls fall out of reach. Every stub is a new symbol, so the table ' +
      'grows again, fewer calls cross the line each time, and the growth dies out after four ' +
      'trial links. The v5.9 script links at most three, so its final check fails even with ' +
      'KALLSYMS_EXTRA_PASS; the patch proposed at the time (up to eight trial links) converges.',
    scenario: {
      ...base,
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 0x1fb0000 },
      generation: 'v5.9',
      strategy: 'v5.9',
    },
  },
  {
    id: 'lld-today',
    title: 'ld.lld on ppc64 today',
    summary:
      'latest fails the same way on ppc64; filtering ld.lld\u2019s PPC64 stub names converges after 2 trial links.',
    explanation:
      'The kernel filtered GNU ld\u2019s stub names in 2020, but ld.lld names its PPC64 stubs ' +
      '__long_branch_<f> (and __plt_, __toc_save_, __gep_setup_), and no rule drops those. So ' +
      'the current script fails on this layout exactly as v5.9 did. Turn on "ignore ld.lld\u2019s ' +
      'PPC64 stub symbols" and the stubs no longer enter the table: the table from the first ' +
      'trial already has its final size, and the loop converges after two trial links.',
    scenario: {
      ...base,
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 0x1fb0000 },
      generation: 'latest',
      strategy: 'latest',
    },
  },
  {
    id: 'ppc32-thunks',
    title: '32-bit: the Thunk_ rule already helps',
    summary:
      'On ppc32, latest hides ld.lld\u2019s __LongThunk_ stubs and converges; v5.9 does not.',
    explanation:
      'On 32-bit powerpc ld.lld names its range-extension stubs __LongThunk_<f>. The current ' +
      'mksysmap rule for " __[[:alnum:]]*Thunk_" (written for ARM, AArch64 and MIPS thunks) ' +
      'catches them too, so with the latest script the table ignores the stubs and converges ' +
      'after two trial links. Switch the strategy and generation to v5.9, whose ignore list only ' +
      'knows the ARM and MIPS names, and the same layout fails.',
    scenario: {
      ...base,
      arch: 'ppc32',
      layout: { base: PPC32_BASE, align: 16, gap: 0x1fc0000 },
      generation: 'latest',
      strategy: 'latest',
    },
  },
  {
    id: 'never-converges',
    title: 'Growth that does not die out',
    summary:
      'Dense call targets near the limit: even eight-passes and a 16-link fixpoint do not converge.',
    explanation:
      'Here the reach boundary lands in lib/, where tiny helpers sit 16 bytes apart and four in ' +
      'five are called from __init self-tests. Each new stub adds about 20 bytes to the table, ' +
      'which moves init text by as much and crosses about one more call target: the growth ' +
      'lingers link after link. Neither eight-passes nor a 16-link fixpoint reach a stable table.',
    scenario: {
      ...base,
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 0x1fe1000 },
      generation: 'latest',
      strategy: 'fixpoint',
    },
  },
  {
    id: 'powerpc-2020-large',
    title: 'The 2020 powerpc report at kernel size',
    summary:
      '150,000 generated symbols: v5.9 fails with or without KALLSYMS_EXTRA_PASS; eight-passes converges after five trial links.',
    explanation:
      'The same story on a generated kernel of 150,000 functions in 400 objects (6,000 __init ' +
      'functions making 24,000 calls into core code), with init text 26 MiB above read-only data. ' +
      'The first trial, without a table, already needs about 1,100 long-branch stubs. The table ' +
      'for 150,000 symbols is 2.3 MB, and linking it pushes init code that much further away: ' +
      'some 9,500 more calls fall out of reach. Each stub is a new table entry, so the table grows ' +
      'again (by 8 KB: 356 more stubs, then 12, then none), and only the fifth trial link repeats ' +
      'the fourth. The v5.9 script links at most three, so it fails even with KALLSYMS_EXTRA_PASS; ' +
      'the eight-pass patch converges. At this size the growth dies out as fast as in the small ' +
      'corpus, because call targets lie hundreds of bytes apart while a stub adds about twenty ' +
      'bytes to the table.',
    scenario: {
      ...base,
      corpus: generatedCorpusId(DEFAULT_GENERATED_PARAMS),
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 0x1a00000 },
      generation: 'v5.9',
      strategy: 'v5.9',
    },
  },
  {
    id: 'lld-today-large',
    title: 'ld.lld on ppc64 today, at kernel size',
    summary:
      '150,000 generated symbols: latest fails on ppc64; filtering ld.lld\u2019s stub names converges after 2 trial links.',
    explanation:
      'The current script on the generated 150,000-function kernel, init text 26 MiB above ' +
      'read-only data. Its first trial links an empty table and needs about 1,100 stubs; the real ' +
      'table (2.8 MB in the latest format) moves init text far enough for some 10,900 more, and ' +
      'every __long_branch_ stub enters the table, which grows by 230 KB, then by another 14 KB: ' +
      'still changing after the third trial, so System.map and the last .syms disagree. With ' +
      'ld.lld\u2019s PPC64 stub names filtered, the table from the second trial is the one from ' +
      'the first, although nearly twelve thousand stubs now sit beside it in the image, and the ' +
      'loop converges after two trial links.',
    scenario: {
      ...base,
      corpus: generatedCorpusId(DEFAULT_GENERATED_PARAMS),
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 0x1a00000 },
      generation: 'latest',
      strategy: 'latest',
    },
  },
  {
    id: 'pinned-oscillates',
    title: 'A layout built to oscillate',
    summary:
      'Built to show the cycle (no kernel report names one): init code also calls code pinned above it; fixpoint reports oscillating, period 2.',
    explanation:
      'This layout is built to show a cycle; no kernel report names one. A small generated ' +
      'kernel (4,000 functions) has 400 more, tiny ones in .fixed.text, which the linker script ' +
      'pins at a fixed address: 32 MiB + 108 KiB above where init text starts without a table. ' +
      'Each is called once from an __init function of its own, and the calls lie 16 bytes apart ' +
      'in distance. The first trial links an empty table, init text sits low, all 400 calls miss ' +
      'the \u00b132 MiB reach and get __long_branch_ stubs, and the table of that image (85,911 ' +
      'bytes) lists them. Linked in, it moves init text up so far that every pinned call reaches: ' +
      'the stubs go, and the next table is 9 KB smaller. Init text moves back down, the calls miss ' +
      'again, the table grows back: 85,911, 76,559, 85,911, 76,559 bytes, and the fourth table is ' +
      'the second byte for byte, so fixpoint reports oscillating with period 2. Each stub adds ' +
      'about 23 table bytes while the next pinned targets lie 18 to 21 bytes apart past the limit: ' +
      'a ratio of \u22121.1 to \u22121.3 on each pass (the pass table shows it), and ' +
      'below \u22121 the sizes jump over the point where they would settle. eight-passes ends with ' +
      'the sizes still alternating (not converged); latest links three trials and fails with ' +
      '"Inconsistent kallsyms data": vmlinux, linked with the third table, has none of the 400 ' +
      'stubs that table lists.',
    scenario: {
      ...base,
      corpus: PINNED_CYCLE_CORPUS,
      arch: 'ppc64le',
      layout: { base: PPC64_BASE, align: 16, gap: 8 * MIB },
      generation: 'latest',
      strategy: 'fixpoint',
    },
  },
];

/** What the page opens with (and what "the default preset" means in the issues' targets). */
export const DEFAULT_PRESET_ID = 'small-converges';

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
