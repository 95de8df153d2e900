/**
 * "What would change it": the few one-change variants of a scenario that a
 * kernel engineer would try after a verdict (more passes, the kernel's own
 * workaround, the ld.lld stub filter, an alignment that absorbs the growth).
 * Only the scenarios are made here; their outcomes come from real runs (the
 * page's sweep pool, the CLI), never from a guess.
 */
import type { RunRecord } from '../kbuild/records.ts';
import { MAX_ALIGN_BYTES, parseScenario, type Scenario } from './schema.ts';

export type AlternativeId =
  | 'eight-passes'
  | 'fixpoint'
  | 'extra-pass'
  | 'filter-lld-stubs'
  | 'latest'
  | 'v5.9'
  | 'absorbing-align'
  | 'template-script'
  | 'no-extra-flags';

export interface Alternative {
  id: AlternativeId;
  /** What changes, as a reader would say it: "KALLSYMS_EXTRA_PASS=1". */
  label: string;
  /** Why it might matter for this run, in a sentence. */
  reason: string;
  scenario: Scenario;
}

/** ld.lld's PPC64 stub kinds: the ones `filterLldStubs` drops. */
const LLD_PPC64_KINDS = new Set(['long_branch', 'plt', 'toc_save', 'gep_setup']);

function address(hex: string | null | undefined): bigint | null {
  return hex ? BigInt(hex) : null;
}

/**
 * The smallest power-of-two alignment (at least the scenario's) under which
 * init text would have started at the same address in every image of the run:
 * the end of what precedes it moved by the table's growth, and an alignment
 * whose boundary lies beyond the whole range absorbs that. Null when the
 * records do not say (a custom script, a failed first link) or when none up
 * to the schema's largest does.
 */
export function absorbingAlign(scenario: Scenario, record: RunRecord): number | null {
  if (scenario.linkerScript !== null || record.passes.length === 0) return null;
  // The template places init text at ALIGN(end + gap, align), where `end` is the end of the
  // last section before it: recover `end` from each image's section table.
  const ends: bigint[] = [];
  for (const pass of record.passes) {
    const init = address(pass.layout.symbols._sinittext);
    if (init === null) return null;
    let end: bigint | null = null;
    for (const section of pass.layout.sections) {
      const start = BigInt(section.address);
      const stop = start + BigInt(section.size);
      if (start < init && (end === null || stop > end)) end = stop;
    }
    if (end === null) return null;
    ends.push(end + BigInt(scenario.layout.gap));
  }
  const low = ends.reduce((a, b) => (b < a ? b : a));
  const high = ends.reduce((a, b) => (b > a ? b : a));
  if (low === high) return null;
  const alignUp = (value: bigint, align: bigint) => ((value + align - 1n) / align) * align;
  const absorbs = (align: number) => alignUp(low, BigInt(align)) === alignUp(high, BigInt(align));
  // Nothing to offer when the scenario's own alignment already absorbs the growth.
  if (absorbs(scenario.layout.align)) return null;
  for (let align = scenario.layout.align * 2; align <= MAX_ALIGN_BYTES; align *= 2) {
    if (absorbs(align)) return align;
  }
  return null;
}

const MIB = 1024 * 1024;
const describeBytes = (bytes: number) =>
  bytes >= MIB && bytes % MIB === 0
    ? `${bytes / MIB} MiB`
    : bytes >= 1024 && bytes % 1024 === 0
      ? `${bytes / 1024} KiB`
      : `${bytes} bytes`;

/**
 * The variants worth trying after `record` (a run of `scenario`): each
 * changes one thing and is itself a valid scenario (checked by the schema).
 */
export function alternativesFor(scenario: Scenario, record: RunRecord): Alternative[] {
  const out: Alternative[] = [];
  const add = (id: AlternativeId, label: string, reason: string, changed: Scenario) => {
    out.push({ id, label, reason, scenario: parseScenario(changed, 'alternative') });
  };
  const failed = record.verdict.kind === 'link-failed';

  if (failed) {
    if (scenario.linkerScript !== null) {
      add(
        'template-script',
        'the template linker script',
        'The link failed with your own linker script; the template lays out the same image the kernel way.',
        { ...scenario, linkerScript: null },
      );
    }
    if (scenario.extraLinkerFlags.length > 0) {
      add(
        'no-extra-flags',
        'no extra linker flags',
        'The link failed with extra flags; without them ld.lld gets what the kernel passes.',
        { ...scenario, extraLinkerFlags: [] },
      );
    }
    return out;
  }

  if (!scenario.extraPass && scenario.strategy !== 'fixpoint') {
    add(
      'extra-pass',
      'KALLSYMS_EXTRA_PASS=1',
      'The kernel\u2019s own advice: one more trial link even when the sizes match.',
      { ...scenario, extraPass: true },
    );
  }
  if (scenario.strategy !== 'eight-passes') {
    add(
      'eight-passes',
      'eight passes',
      'The patch proposed in 2020: keep linking, up to eight trial links, while the table object changes size.',
      { ...scenario, strategy: 'eight-passes' },
    );
  }
  if (scenario.strategy !== 'fixpoint') {
    add(
      'fixpoint',
      `a fixpoint of up to ${scenario.maxPasses} passes`,
      'Keep linking until two table objects are byte-identical, or the cap is reached.',
      { ...scenario, strategy: 'fixpoint' },
    );
  }
  const lldStubs = record.passes.some((p) =>
    Object.keys(p.stubs.byKind).some((kind) => LLD_PPC64_KINDS.has(kind)),
  );
  if (lldStubs && !scenario.filterLldStubs) {
    add(
      'filter-lld-stubs',
      'the ld.lld stub filter',
      'Drop ld.lld\u2019s PPC64 stub names (__long_branch_ and kin) from the table, as the kernel drops GNU ld\u2019s: stubs then no longer grow it.',
      { ...scenario, filterLldStubs: true },
    );
  }
  const thunks = record.passes.some((p) => (p.stubs.byKind.LongThunk ?? 0) > 0);
  if (thunks && scenario.generation !== 'latest') {
    add(
      'latest',
      'the latest kernel script',
      'Today\u2019s mksysmap drops __*Thunk_ names, which catches ld.lld\u2019s PPC32 __LongThunk_ stubs.',
      { ...scenario, generation: 'latest', strategy: 'latest' },
    );
  }
  if (scenario.strategy === 'latest') {
    add(
      'v5.9',
      'the v5.9 kernel script',
      'What the 2020 kernel made of the same layout: no empty first table, and only GNU ld\u2019s stub names filtered.',
      { ...scenario, generation: 'v5.9', strategy: 'v5.9' },
    );
  }
  const align = absorbingAlign(scenario, record);
  if (align !== null) {
    add(
      'absorbing-align',
      `init text aligned to ${describeBytes(align)}`,
      `With that alignment, init text would have started at the same address in every image of this run, so the table\u2019s growth would not have moved it (the run itself says whether the new start keeps calls in reach).`,
      { ...scenario, layout: { ...scenario.layout, align } },
    );
  }
  return out;
}
