/**
 * Adds links to `permalink-corpus.json`, the corpus of links as they were
 * made, which `permalink.test.ts` decodes forever.
 *
 * Run only to ADD entries (a new preset, a new format, a new kind of
 * scenario, links to a view); existing entries are frozen: this script never rewrites or
 * removes one, and refuses to run if one no longer opens as made (then the
 * codec is wrong, not the corpus).
 *
 *     node --import tsx src/toolchain/scenario/permalink-corpus.generate.ts [--made=YYYY-MM-DD]
 */
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';
import { format, resolveConfig } from 'prettier';
import { decodeScenarioHash, encodeScenarioHash } from './permalink.ts';
import { decodeLinkHash, encodeLinkHash, EMPTY_VIEW, type LinkView } from './permalink-view.ts';
import { PRESETS } from './presets.ts';
import { parseScenario, type Scenario } from './schema.ts';

export interface CorpusEntry {
  name: string;
  hash: string;
  scenario: Scenario;
  /** For a link to a view (permalink-view.ts): what it shows beyond the scenario. */
  view?: LinkView;
  /** The day the link was made (local date of the machine that ran this script). */
  made: string;
}

export interface Corpus {
  note: string;
  entries: CorpusEntry[];
}

const CORPUS_PATH = fileURLToPath(new URL('./permalink-corpus.json', import.meta.url));
const NOTE =
  'Links as they were made. Frozen: never edit or remove an entry (old links must open as made); ' +
  'add entries with permalink-corpus.generate.ts.';

const MIB = 1024 * 1024;
const PPC64_BASE = '0xc000000000000000';

// Written out, not taken from the presets: a variant must stay what its name says.
const base: Scenario = {
  corpus: 'kernel-like',
  arch: 'ppc64le',
  layout: { base: PPC64_BASE, align: 16, gap: 0x1fb0000 },
  linkerScript: null,
  generation: 'v5.9',
  baseRelative: true,
  allSymbols: false,
  filterLldStubs: false,
  strategy: 'v5.9',
  extraPass: false,
  maxPasses: 16,
  extraLinkerFlags: [],
};

/** A linker script with everything that could trip an encoder: quotes, escapes, CRLF, tabs, non-ASCII, markup. */
const AWKWARD_SCRIPT = [
  '/* "double" and \'single\' quotes, a back\\slash, a\ttab, größe ±32 MiB — 🐧 中文 */',
  'OUTPUT_FORMAT("elf64-powerpcle")',
  'ENTRY(_stext)',
  'SECTIONS',
  '{',
  '  . = 0xc000000000000000;',
  '  .text : { *(.head.text) *(.text .text.*) }\r',
  '  .rodata : { *(.rodata .rodata.*) }',
  '  . = . + 0x1fb0000; /* </script><img src=x onerror=alert(1)> ${x} %s \\u0041 */',
  '  .init.text : ALIGN(16) { *(.init.text) }',
  '}',
  '',
].join('\n');

const variants: { name: string; scenario: Scenario }[] = [
  ...PRESETS.map((p) => ({ name: `preset:${p.id}`, scenario: p.scenario })),
  {
    name: 'format1-baseline',
    scenario: { ...base, generation: 'latest', strategy: 'latest' },
  },
  { name: 'linker-script:awkward-text', scenario: { ...base, linkerScript: AWKWARD_SCRIPT } },
  { name: 'linker-script:empty-string', scenario: { ...base, linkerScript: '' } },
  {
    name: 'extra-linker-flags',
    scenario: {
      ...base,
      extraLinkerFlags: [
        '--emit-relocs',
        '-z',
        'max-page-size=0x10000',
        '--defsym=answer="42"',
        '--build-id=none',
      ],
    },
  },
  ...(['ppc64le', 'ppc64', 'ppc32'] as const).map((arch) => ({
    name: `arch:${arch}`,
    scenario: {
      ...base,
      arch,
      layout:
        arch === 'ppc32'
          ? { base: '0xc0000000', align: 16, gap: 0x1fc0000 }
          : { base: PPC64_BASE, align: 16, gap: 0x1fb0000 },
    },
  })),
  ...(['v5.9', 'eight-passes', 'latest', 'fixpoint'] as const).map((strategy) => ({
    name: `strategy:${strategy}`,
    scenario: { ...base, strategy },
  })),
  ...(['v5.8', 'v5.9', 'latest'] as const).map((generation) => ({
    name: `generation:${generation}`,
    scenario: { ...base, generation },
  })),
  { name: 'absolute-v5.9', scenario: { ...base, baseRelative: false } },
  { name: 'max-passes-64', scenario: { ...base, strategy: 'fixpoint', maxPasses: 64 } },
  { name: 'max-passes-2', scenario: { ...base, strategy: 'fixpoint', maxPasses: 2 } },
  {
    name: 'switches-on',
    scenario: { ...base, allSymbols: true, filterLldStubs: true, extraPass: true },
  },
  {
    name: 'layout:extremes-high',
    scenario: {
      ...base,
      layout: { base: '0xFFFFFFFFFFFFFFFF', align: 256 * MIB, gap: 1024 * MIB },
    },
  },
  {
    name: 'layout:extremes-low',
    scenario: { ...base, layout: { base: '0x0', align: 4, gap: 0 } },
  },
  {
    // Every knob of the generated corpus away from its default (the page's corpus section).
    name: 'corpus:generated-every-knob',
    scenario: {
      ...base,
      corpus:
        'generated-v1?seed=9&symbols=5000&objects=20&initFunctions=600&callsPerInit=8&functionBody=2' +
        '&functionAlign=32&nameLength=60&nearTargets=700&nearShare=40&pinned=64&pinnedSpacing=24' +
        '&pinnedCallsPerInit=4&pinnedAt=33665024',
      strategy: 'fixpoint',
      generation: 'latest',
    },
  },
  {
    name: 'every-field-differs',
    scenario: {
      corpus: 'kernel-like',
      arch: 'ppc64',
      layout: { base: '0xC000000000000000', align: 65536, gap: 0x1fe1000 },
      linkerScript: AWKWARD_SCRIPT,
      generation: 'v5.8',
      baseRelative: false,
      allSymbols: true,
      filterLldStubs: true,
      strategy: 'eight-passes',
      extraPass: true,
      maxPasses: 3,
      extraLinkerFlags: ['--no-relax'],
    },
  },
];

/** The pinned-oscillates layout, written out (a preset may change; a link may not). */
const pinnedCycle: Scenario = {
  ...base,
  corpus:
    'generated-v1?symbols=4000&objects=16&initFunctions=400&pinned=400&pinnedSpacing=60' +
    '&pinnedCallsPerInit=1&pinnedAt=33665024',
  layout: { base: PPC64_BASE, align: 16, gap: 8 * MIB },
  generation: 'latest',
  strategy: 'fixpoint',
};

/** Links to a view: each key of view format 1, alone and together, then format 2's. */
const viewVariants: { name: string; scenario: Scenario; view: LinkView }[] = [
  { name: 'view:nothing-but-the-format', scenario: base, view: EMPTY_VIEW },
  { name: 'view:pass-3-stubs', scenario: base, view: { ...EMPTY_VIEW, pass: 3, panel: 'stubs' } },
  {
    name: 'view:vmlinux-chart',
    scenario: { ...base, strategy: 'eight-passes' },
    view: { ...EMPTY_VIEW, pass: 'vmlinux', panel: 'chart' },
  },
  {
    name: 'view:pinned',
    scenario: { ...base, generation: 'latest', strategy: 'latest', filterLldStubs: true },
    view: {
      ...EMPTY_VIEW,
      panel: 'pinned',
      pin: { ...base, generation: 'latest', strategy: 'latest' },
    },
  },
  {
    name: 'view:sweep-gap',
    scenario: base,
    view: {
      ...EMPTY_VIEW,
      panel: 'sweep',
      sweep: { param: 'gap', from: '31.5', to: '31.9', steps: 5 },
    },
  },
  {
    name: 'view:sweep-base',
    scenario: base,
    view: {
      ...EMPTY_VIEW,
      sweep: { param: 'base', from: '0xc000000000000000', to: '0xc000000010000000', steps: 16 },
    },
  },
  {
    name: 'view:every-key',
    scenario: { ...base, linkerScript: AWKWARD_SCRIPT, extraLinkerFlags: ['--no-relax'] },
    view: {
      pass: 64,
      panel: 'distances',
      pin: { ...base, arch: 'ppc32', layout: { base: '0xc0000000', align: 16, gap: 0x1fc0000 } },
      sweep: { param: 'maxPasses', from: '2', to: '16', steps: 15 },
    },
  },
  // View format 2: phase maps, corpus knobs, the growth panel.
  {
    name: 'view2:map-gap-maxPasses',
    scenario: { ...base, generation: 'latest', strategy: 'fixpoint' },
    view: {
      ...EMPTY_VIEW,
      panel: 'sweep',
      sweep: { param: 'gap', from: '31.5', to: '32', steps: 3 },
      sweep2: { param: 'maxPasses', from: '2', to: '8', steps: 3 },
    },
  },
  {
    name: 'view2:map-pinned-corpus-knobs',
    scenario: pinnedCycle,
    view: {
      ...EMPTY_VIEW,
      sweep: { param: 'pinnedAt', from: '33630000', to: '33710000', steps: 33 },
      sweep2: { param: 'pinnedSpacing', from: '44', to: '76', steps: 9 },
    },
  },
  {
    name: 'view2:sweep-nameLength',
    scenario: pinnedCycle,
    view: {
      ...EMPTY_VIEW,
      panel: 'sweep',
      sweep: { param: 'nameLength', from: '8', to: '64', steps: 8 },
    },
  },
  {
    name: 'view2:growth-pass-2',
    scenario: pinnedCycle,
    view: { ...EMPTY_VIEW, pass: 2, panel: 'growth' },
  },
];

/**
 * The story's chapters (src/ui/learn/chapters.ts), each a link to a view: its
 * preset with its changes, its pass and its panel. Written out here (the
 * toolchain layer does not read the page's files); chapters.test.ts checks
 * that every chapter's link is in the corpus, so a chapter that changes
 * needs a new entry here (a new name), and the old link still opens.
 */
const chapterVariants: Array<{
  name: string;
  preset: string;
  changes?: Partial<Scenario>;
  view: LinkView;
}> = [
  {
    name: 'chapter:why-link-twice',
    preset: 'small-converges',
    view: { ...EMPTY_VIEW, pass: 1, panel: 'layout' },
  },
  {
    name: 'chapter:a-loop-that-converges',
    preset: 'small-converges',
    view: { ...EMPTY_VIEW, pass: 2, panel: 'table' },
  },
  {
    name: 'chapter:stubs-grow-the-table',
    preset: 'powerpc-2020',
    changes: { strategy: 'eight-passes' },
    view: { ...EMPTY_VIEW, pass: 2, panel: 'distances' },
  },
  {
    name: 'chapter:the-2020-report',
    preset: 'powerpc-2020',
    view: { ...EMPTY_VIEW, pass: 'vmlinux', panel: 'verdict' },
  },
  {
    name: 'chapter:the-fix-and-lld',
    preset: 'lld-today',
    view: { ...EMPTY_VIEW, pass: 2, panel: 'stubs' },
  },
  {
    name: 'chapter:ppc32-thunks',
    preset: 'ppc32-thunks',
    view: { ...EMPTY_VIEW, pass: 2, panel: 'stubs' },
  },
  {
    name: 'chapter:growth-that-lingers',
    preset: 'never-converges',
    view: { ...EMPTY_VIEW, pass: 16, panel: 'chart' },
  },
];

async function main(): Promise<void> {
  const made =
    process.argv.find((a) => a.startsWith('--made='))?.slice('--made='.length) ??
    new Date().toISOString().slice(0, 10);
  const corpus: Corpus = existsSync(CORPUS_PATH)
    ? (JSON.parse(readFileSync(CORPUS_PATH, 'utf8')) as Corpus)
    : { note: NOTE, entries: [] };

  for (const entry of corpus.entries) {
    const decoded = entry.view ? decodeLinkHash(entry.hash) : decodeScenarioHash(entry.hash);
    if (
      !decoded.ok ||
      !isDeepStrictEqual(decoded.scenario, entry.scenario) ||
      (entry.view && !('view' in decoded && isDeepStrictEqual(decoded.view, entry.view)))
    ) {
      throw new Error(
        `corpus entry ${entry.name} no longer opens as made: fix the codec, do not edit the corpus`,
      );
    }
  }

  const known = new Set(corpus.entries.map((e) => e.name));
  const added: string[] = [];
  for (const { name, scenario } of variants) {
    if (known.has(name)) continue;
    const valid = parseScenario(scenario, name);
    corpus.entries.push({ name, hash: encodeScenarioHash(valid), scenario: valid, made });
    added.push(name);
  }
  for (const { name, scenario, view } of viewVariants) {
    if (known.has(name)) continue;
    const valid = parseScenario(scenario, name);
    corpus.entries.push({ name, hash: encodeLinkHash(valid, view), scenario: valid, view, made });
    added.push(name);
  }

  for (const { name, preset, changes, view } of chapterVariants) {
    if (known.has(name)) continue;
    const found = PRESETS.find((p) => p.id === preset);
    if (!found) throw new Error(`${name}: no preset ${preset}`);
    const valid = parseScenario({ ...found.scenario, ...changes }, name);
    corpus.entries.push({ name, hash: encodeLinkHash(valid, view), scenario: valid, view, made });
    added.push(name);
  }

  const options = (await resolveConfig(CORPUS_PATH)) ?? {};
  writeFileSync(
    CORPUS_PATH,
    await format(JSON.stringify(corpus), { ...options, filepath: CORPUS_PATH }),
  );
  console.log(added.length ? `added: ${added.join(', ')}` : 'nothing to add');
}

await main();
