/**
 * What a run of the link loop records, pass by pass. Zod-first: the schemas
 * are the one description of the shapes, the TypeScript types are inferred
 * from them, and the page validates what the worker sends against the same
 * schemas (src/worker/messages.ts).
 *
 * The few shapes owned by other modules (arch, strategy, kallsyms sizes,
 * reach, System.map check) get a schema here too; the type checks at the end
 * of the file fail to compile if the two ever drift apart.
 */
import { z } from 'zod';
import { ARCH_IDS, type ArchId } from '../arch/targets.ts';
import type { KallsymsCounts, KallsymsSizes } from '../kallsyms/index.ts';
import type { ReachFacts } from '../reach/measure-reach.ts';
import { STRATEGY_IDS, type StrategyId, type TrialReason } from './strategy.ts';
import type { StubKind } from './stub-symbols.ts';
import type { MapDifference, SystemMapCheck } from './system-map-check.ts';

// ---------------------------------------------------------------------------
// Shapes owned elsewhere, described here so that records can be validated.

export const archIdSchema = z.enum(ARCH_IDS as [ArchId, ...ArchId[]]);
export const strategyIdSchema = z.enum(STRATEGY_IDS as [StrategyId, ...StrategyId[]]);

export const trialReasonSchema = z.enum([
  'first',
  'with-first-table',
  'sizes-differ',
  'extra-pass',
  'not-identical',
]);

export const stubKindSchema = z.enum([
  'long_branch',
  'plt',
  'toc_save',
  'gep_setup',
  'LongThunk',
  'gnu_long_branch',
  'gnu_plt_branch',
]);

export const kallsymsSizesSchema = z.object({
  numSyms: z.number(),
  names: z.number(),
  markers: z.number(),
  tokenTable: z.number(),
  tokenIndex: z.number(),
  offsets: z.number(),
  addresses: z.number(),
  relativeBase: z.number(),
  seqsOfNames: z.number(),
  padding: z.number(),
  total: z.number(),
});

export const kallsymsCountsSchema = z.object({
  listingLines: z.number(),
  symsLines: z.number().nullable(),
  keptSymbols: z.number(),
  tableSymbols: z.number(),
});

export const reachFactsSchema = z.object({
  calls: z.number(),
  outOfReach: z.number(),
  targetsOutOfReach: z.number(),
  distances: z.array(z.number()),
  siteIndex: z.array(z.number()),
  worstMargin: z.number(),
});

export const mapDifferenceSchema = z.object({
  line: z.number(),
  trial: z.string().nullable(),
  final: z.string().nullable(),
});

export const systemMapCheckSchema = z.object({
  ok: z.boolean(),
  message: z.string().nullable(),
  trialLines: z.number(),
  finalLines: z.number(),
  differences: z.array(mapDifferenceSchema),
});

// ---------------------------------------------------------------------------
// The records.

/** A command as it would be typed, so anyone can re-run it outside kallsyms-lab. */
export const commandLineSchema = z.object({
  tool: z.string(),
  args: z.array(z.string()),
  /** Where its input comes from / output goes, when piped. */
  stdin: z.string().optional(),
  stdout: z.string().optional(),
});
export type CommandLine = z.infer<typeof commandLineSchema>;

export const sectionFactsSchema = z.object({
  name: z.string(),
  address: z.string(),
  size: z.number(),
});
export type SectionFacts = z.infer<typeof sectionFactsSchema>;

export const linkFactsSchema = z.object({
  image: z.string(),
  command: commandLineSchema,
  inputs: z.array(z.string()),
  outputBytes: z.number(),
  ms: z.number(),
  /** ld.lld's warnings, verbatim. */
  diagnostics: z.string(),
});
export type LinkFacts = z.infer<typeof linkFactsSchema>;

export const layoutFactsSchema = z.object({
  sections: z.array(sectionFactsSchema),
  /** Addresses (hex) of the boundary symbols, null when absent. */
  symbols: z.object({
    _stext: z.string().nullable(),
    _etext: z.string().nullable(),
    _sinittext: z.string().nullable(),
    _einittext: z.string().nullable(),
  }),
  /** Where the kallsyms tables lie, when the image has them. */
  table: z.object({ start: z.string(), end: z.string(), section: z.string() }).nullable(),
});
export type LayoutFacts = z.infer<typeof layoutFactsSchema>;

const namedStubSchema = z.object({ name: z.string(), kind: stubKindSchema });

export const stubFactsSchema = z.object({
  total: z.number(),
  byKind: z.partialRecord(stubKindSchema, z.number()),
  /** New since the previous image of this run, and gone since then. */
  added: z.array(namedStubSchema),
  removed: z.array(namedStubSchema),
});
export type StubFacts = z.infer<typeof stubFactsSchema>;

export const tableObjectFactsSchema = z.object({
  /** File name, e.g. ".tmp_vmlinux1.kallsyms.o". */
  name: z.string(),
  /** File size: what the kernel compares between passes. */
  bytes: z.number(),
  sha256: z.string(),
  sizes: kallsymsSizesSchema,
  counts: kallsymsCountsSchema,
  /** What kallsyms would have printed on stderr. */
  warnings: z.array(z.string()),
  commands: z.array(commandLineSchema),
});
export type TableObjectFacts = z.infer<typeof tableObjectFactsSchema>;

export const passTimingsSchema = z.object({
  link: z.number(),
  listing: z.number(),
  kallsyms: z.number(),
  object: z.number(),
});
export type PassTimings = z.infer<typeof passTimingsSchema>;

/** What the growth ratio predicts for the passes after this one (kbuild/growth.ts). */
export const growthPredictionSchema = z.enum([
  'settled',
  'dies-out',
  'lingers',
  'saturates',
  'cycles',
]);
export type GrowthPrediction = z.infer<typeof growthPredictionSchema>;

/**
 * The ratio that decides convergence, measured on a trial pass: table bytes
 * per new stub against the spacing of the call targets the next move of
 * init text takes past the ±32 MiB limit (spec/link-loop.md).
 */
export const growthFactsSchema = z.object({
  /** .rodata bytes of the table built here minus those of the table linked here: the next move of init text. */
  tableGrowth: z.number(),
  /** Stubs in this image minus stubs in the previous one. */
  stubChange: z.number(),
  /** Table bytes each new stub adds. */
  bytesPerStub: z.number(),
  /**
   * `this-pass`: this table's growth over the previous one's, per stub that
   * came or went; `earlier-pass`: no stub came or went, the last measured
   * value; `table-average`: none yet, an average table entry (0 when a filter
   * keeps the stubs out of the table).
   */
  bytesPerStubFrom: z.enum(['this-pass', 'earlier-pass', 'table-average']),
  /** Distinct core targets the next move takes out of reach (or, moving down, back in). */
  coreCrossing: z.number(),
  /** Distinct fixed-address targets above init text the next move brings into reach (or, moving down, out). */
  fixedCrossing: z.number(),
  /** The stubs the next image should gain (negative: lose), from the two counts. */
  predictedStubChange: z.number(),
  /** Bytes of movement per distinct core target at the limit, on the side the move goes (null: none left). */
  coreSpacing: z.number().nullable(),
  /** The same for targets at a fixed address above init text (null: none). */
  fixedSpacing: z.number().nullable(),
  /** bytesPerStub × (1/coreSpacing − 1/fixedSpacing): how the next growth compares with this one. */
  ratio: z.number(),
  prediction: growthPredictionSchema,
});
export type GrowthFacts = z.infer<typeof growthFactsSchema>;

/** One trial link, or the final vmlinux link. */
export const passRecordSchema = z.object({
  /** 1-based trial number; the final link has `pass = trials + 1` and `step: 'vmlinux'`. */
  pass: z.number(),
  step: z.enum(['trial', 'vmlinux']),
  reason: z.union([trialReasonSchema, z.literal('final')]),
  /** A sentence in the spirit of link-vmlinux.sh's comments. */
  explanation: z.string(),
  /** The table object linked into this image (null: none). */
  linkedWith: z.string().nullable(),
  link: linkFactsSchema,
  layout: layoutFactsSchema,
  listingLines: z.number(),
  stubs: stubFactsSchema,
  reach: reachFactsSchema,
  /** The table object built from this image (trials only). */
  tableObject: tableObjectFactsSchema.nullable(),
  /** The growth ratio measured on this trial (null for vmlinux; absent in records made before it). */
  growth: growthFactsSchema.nullable().optional(),
  timings: passTimingsSchema,
});
export type PassRecord = z.infer<typeof passRecordSchema>;

export const verdictSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('converged'), passes: z.number(), summary: z.string() }),
  z.object({
    kind: z.literal('inconsistent'),
    passes: z.number(),
    summary: z.string(),
    check: systemMapCheckSchema,
  }),
  z.object({ kind: z.literal('not-converged'), passes: z.number(), summary: z.string() }),
  z.object({
    kind: z.literal('oscillating'),
    passes: z.number(),
    period: z.number(),
    summary: z.string(),
  }),
  z.object({
    kind: z.literal('link-failed'),
    passes: z.number(),
    summary: z.string(),
    step: z.string(),
    tool: z.string(),
    message: z.string(),
  }),
]);
export type Verdict = z.infer<typeof verdictSchema>;

export const runRecordSchema = z.object({
  /** Bumped when the record's shape changes meaning. */
  format: z.literal(1),
  toolchain: z.enum(['wasm', 'native']),
  arch: archIdSchema,
  strategy: strategyIdSchema,
  generation: z.string(),
  options: z.object({
    baseRelative: z.boolean(),
    allSymbols: z.boolean(),
    filterLldStubs: z.boolean(),
    extraPass: z.boolean(),
    maxPasses: z.number(),
    extraLinkerFlags: z.array(z.string()),
  }),
  corpus: z.object({
    compiler: z.string(),
    objects: z.array(z.object({ name: z.string(), sha256: z.string() })),
  }),
  linkerScript: z.string(),
  /** The empty table object `latest` starts from, when the strategy builds one. */
  emptyTableObject: tableObjectFactsSchema.nullable(),
  passes: z.array(passRecordSchema),
  check: systemMapCheckSchema.nullable(),
  verdict: verdictSchema,
  /** Every call site the reach distances refer to (index = siteIndex). */
  callSites: z.array(
    z.object({
      object: z.string(),
      offset: z.number(),
      target: z.string(),
      form: z.string(),
      caller: z.string(),
      callerOffset: z.number(),
    }),
  ),
  totalMs: z.number(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

// ---------------------------------------------------------------------------
// Compile-time checks: each schema above describes exactly the type its own
// module declares (a field added there and not here fails to type-check).

type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;

export type RecordSchemaChecks = [
  Assert<Same<z.infer<typeof archIdSchema>, ArchId>>,
  Assert<Same<z.infer<typeof strategyIdSchema>, StrategyId>>,
  Assert<Same<z.infer<typeof trialReasonSchema>, TrialReason>>,
  Assert<Same<z.infer<typeof stubKindSchema>, StubKind>>,
  Assert<Same<z.infer<typeof kallsymsSizesSchema>, KallsymsSizes>>,
  Assert<Same<z.infer<typeof kallsymsCountsSchema>, KallsymsCounts>>,
  Assert<Same<z.infer<typeof reachFactsSchema>, ReachFacts>>,
  Assert<Same<z.infer<typeof mapDifferenceSchema>, MapDifference>>,
  Assert<Same<z.infer<typeof systemMapCheckSchema>, SystemMapCheck>>,
];
