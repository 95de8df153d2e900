/**
 * What running a scenario will cost, estimated from the scenario alone
 * (nothing is linked): the largest image, the symbols and calls each pass
 * measures, and the most links the strategy may make. Pure, so the page (its
 * store and its worker) and the CLI share it.
 *
 * Two limits use it (issue 10, point 12):
 * - `AUTO_RUN_BUDGET`: what the page runs without the reader's own click (a
 *   link opened, a tab reopened, Back/Forward). Over it, the page shows the
 *   scenario and a button instead.
 * - `PAGE_CEILING`: what the page runs at all. Over it, a run is refused
 *   before linking with a message; the worker also stops a run whose image
 *   turns out larger after a link (`maxImageBytes` of the link loop), since a
 *   script's extent may be unknown before.
 *
 * The figures are measured (commands in the README's "Limits" section): the
 * kernel-like corpus's images are at most 0.77 MB (never-converges) with
 * 2,503 init→core calls; a generated corpus's images are about 120 bytes per
 * function (18.1 MB for 150,000 functions, 46.5 MB for 400,000).
 */
import {
  coreTextBound,
  generatedFunctionCount,
  parseGeneratedCorpusId,
} from '../corpus/generated/params.ts';
import { formatSize } from '../kbuild/image-ceiling.ts';
import { linkPage, scriptExtent, type ScriptExtent } from '../kbuild/script-extent.ts';
import { linkerFlagLayout, type LinkerFlagLayout } from './linker-flags.ts';
import { scenarioLinkerScript } from './loop-config.ts';
import type { Scenario } from './schema.ts';

export { formatSize, RunCeilingError } from '../kbuild/image-ceiling.ts';

const MIB = 1024 * 1024;

/** The committed corpus: its largest image (0.77 MB measured), functions and init→core calls. */
const KERNEL_LIKE = { imageBytes: 1 * MIB, symbols: 2_800, calls: 2_503 };
/** A generated corpus's image bytes per function (measured 116-121, stubs and table included). */
const GENERATED_BYTES_PER_SYMBOL = 128;
/** What a generated image holds whatever its size: headers, the token table, boundary symbols. */
const GENERATED_FIXED_BYTES = 128 * 1024;

export interface RunCost {
  /** An upper bound of the largest image's file size, in bytes; null when it cannot be told. */
  imageBytes: number | null;
  /** Why `imageBytes` is null: what in the linker script could not be evaluated. */
  imageUnknown: string | null;
  /** Functions in the corpus: each is a symbol every pass lists and puts in the table. */
  symbols: number;
  /** init→core calls: each is measured against the reach after every link. */
  calls: number;
  /** The most links the strategy may make (trial links and vmlinux). */
  links: number;
}

export interface CostLimits {
  imageBytes: number;
  symbols: number;
  calls: number;
  links: number;
}

/**
 * What a link may run without asking: every scenario on the committed
 * corpus (images under 1 MB) and its default 64-step sweep, not a generated
 * kernel (lld-today-large measured 18.7 s and 1.0 GB of renderer memory in
 * Chromium), not a script that may make an image over 64 MiB.
 */
export const AUTO_RUN_BUDGET: CostLimits = {
  imageBytes: 64 * MIB,
  symbols: 20_000,
  calls: 20_000,
  links: 300,
};

/**
 * What the page runs at all. An image of 256 MiB took the page to 1.5 GB
 * of renderer memory (the WebAssembly linker holds the image, its output is
 * copied out and read), 1.5 GiB took it to 6 GB; 250,000 calls is ten times
 * the large presets'. The symbol cap is the generator's own (400,000), the
 * links cap a 64-link fixpoint swept over 256 steps.
 */
export const PAGE_CEILING: CostLimits = {
  imageBytes: 256 * MIB,
  symbols: 400_000,
  calls: 250_000,
  links: 256 * 65,
};

/** The cost of one run of `scenario`. */
export function estimateRunCost(scenario: Scenario): RunCost {
  const corpus = corpusCost(scenario.corpus);
  const flags = linkerFlagLayout(scenario.extraLinkerFlags);
  // The template puts every gap between load segments (PHDRS), never in the file: only a
  // script of the user's own can fill bytes, or flags that make pages larger or segments
  // separate. (Its pinned section's address is an ADDR expression the extent reader does
  // not evaluate, and need not.)
  const pages = flags.pageSize !== null || flags.separateSegments;
  const script: ScriptExtent =
    scenario.linkerScript === null && !pages
      ? { ok: true, bytes: 0n }
      : scriptExtent(scenarioLinkerScript(scenario), flags);
  const extent = script.ok ? withSectionStarts(script.bytes, scenario, flags) : script;
  const maxTrials =
    scenario.strategy === 'eight-passes'
      ? 8
      : scenario.strategy === 'fixpoint'
        ? Math.max(2, scenario.maxPasses)
        : 3;
  // Kept relocations: measured 1.25-1.3x the image (kernel-like presets, a 20k-symbol generated corpus).
  const corpusBytes = flags.emitRelocs ? 2 * corpus.imageBytes : corpus.imageBytes;
  return {
    imageBytes: extent.ok ? corpusBytes + Number(extent.bytes) : null,
    imageUnknown: extent.ok ? null : extent.reason,
    symbols: corpus.symbols,
    calls: corpus.calls,
    links: maxTrials + 1,
  };
}

/**
 * `bytes` and what `--section-start` can add: a section moved to an address
 * takes its segment's file along to it, so up to the address's distance from
 * the layout's base, past the gap (measured: .data 256 MiB up made the image
 * 260 MB). Unknown for a script of the user's own, whose addresses these are not.
 */
function withSectionStarts(
  bytes: bigint,
  scenario: Scenario,
  flags: LinkerFlagLayout,
): ScriptExtent {
  if (flags.sectionStarts.length === 0) return { ok: true, bytes };
  if (scenario.linkerScript !== null)
    return { ok: false, reason: '--section-start moves a section of the scenario’s own script' };
  const base = BigInt(scenario.layout.base);
  let farthest = 0n;
  for (const address of flags.sectionStarts) {
    const distance = address > base ? address - base : base - address;
    if (distance > farthest) farthest = distance;
  }
  const page = linkPage(flags.pageSize);
  return {
    ok: true,
    bytes: bytes + farthest + BigInt(scenario.layout.gap) + BigInt(scenario.layout.align) + page,
  };
}

function corpusCost(corpus: string): { imageBytes: number; symbols: number; calls: number } {
  const generated = corpus.startsWith('generated-') ? parseGeneratedCorpusId(corpus) : null;
  if (!generated?.ok) return KERNEL_LIKE;
  const params = generated.params;
  const { symbols, initFunctions, callsPerInit, pinned, nameLength } = params;
  const functions = generatedFunctionCount(params);
  // The measured bytes per function hold for the default shape; a shaped corpus (bodies,
  // alignment, long names) is bounded by its core text and its names instead.
  const shaped = params.functionBody > 0 || params.functionAlign > 0 || nameLength > 0;
  const perFunction = functions * GENERATED_BYTES_PER_SYMBOL;
  const shapedBound = coreTextBound(params) + functions * (64 + 2 * nameLength);
  return {
    imageBytes: GENERATED_FIXED_BYTES + (shaped ? Math.max(perFunction, shapedBound) : perFunction),
    symbols,
    // Each pinned function is called once from __init code, beside the calls into core text.
    calls: initFunctions * callsPerInit + pinned,
  };
}

/** Several runs asked for at once (a link's run, its pinned run, its sweep): the largest of each, and every link. */
export function combineCosts(costs: readonly RunCost[]): RunCost {
  const unknown = costs.find((c) => c.imageBytes === null);
  return {
    imageBytes: unknown ? null : Math.max(0, ...costs.map((c) => c.imageBytes ?? 0)),
    imageUnknown: unknown?.imageUnknown ?? null,
    symbols: Math.max(0, ...costs.map((c) => c.symbols)),
    calls: Math.max(0, ...costs.map((c) => c.calls)),
    links: costs.reduce((sum, c) => sum + c.links, 0),
  };
}

const count = (n: number) => n.toLocaleString('en');

/**
 * Where `cost` goes over `limits`, one phrase each ("an image of up to
 * 1.5 GiB (the limit is 256 MiB)"); empty when within. An unknown image size
 * is over any limit: nothing says it is not.
 */
export function overLimits(cost: RunCost, limits: CostLimits): string[] {
  const over: string[] = [];
  if (cost.imageBytes === null) {
    over.push(
      `an image of unknown size (${cost.imageUnknown ?? 'its linker script cannot be read'})`,
    );
  } else if (cost.imageBytes > limits.imageBytes) {
    over.push(
      `an image of up to ${formatSize(cost.imageBytes)} (the limit is ${formatSize(limits.imageBytes)})`,
    );
  }
  if (cost.symbols > limits.symbols)
    over.push(`${count(cost.symbols)} functions (the limit is ${count(limits.symbols)})`);
  if (cost.calls > limits.calls)
    over.push(`${count(cost.calls)} init→core calls (the limit is ${count(limits.calls)})`);
  if (cost.links > limits.links)
    over.push(`up to ${count(cost.links)} links (the limit is ${count(limits.links)})`);
  return over;
}

/** Whether the page may run `cost` without the reader's click. */
export function withinAutoRunBudget(cost: RunCost): boolean {
  return overLimits(cost, AUTO_RUN_BUDGET).length === 0;
}

/**
 * Why the page refuses to run a scenario at all, or null. An image of
 * unknown size is not refused here (it is checked after each link).
 */
export function pageCeilingRefusal(cost: RunCost): string | null {
  const over = overLimits({ ...cost, imageBytes: cost.imageBytes ?? 0 }, PAGE_CEILING);
  if (over.length === 0) return null;
  return (
    `Not run: this scenario asks for ${over.join(' and ')}, more than this page runs. ` +
    'Make it smaller, or run it with the command-line tool (npx kallsyms-lab run --scenario FILE), ' +
    'which can be given more (--max-image).'
  );
}
