/**
 * What a sweep records: a few numbers per step (not each step's whole run
 * record, which with reach distances runs to megabytes), and the ranges of
 * the parameter over which the verdict stays the same; for a map of two
 * parameters, those ranges along every row and every column.
 */
import { z } from 'zod';
import type { RunRecord, Verdict } from '../kbuild/records.ts';
import { scenarioSchema } from '../scenario/schema.ts';
import {
  formatSweepValue,
  secondAxis,
  SWEEP_AXES,
  SWEEP_PARAM_UNITS,
  sweepUnitSuffix,
  sweepValueSchema,
  type SweepAxis,
  type SweepPlan,
  type SweepStep,
} from './request.ts';

export const VERDICT_KINDS = [
  'converged',
  'inconsistent',
  'not-converged',
  'oscillating',
  'link-failed',
] as const;
export const verdictKindSchema = z.enum(VERDICT_KINDS);
export type VerdictKind = z.infer<typeof verdictKindSchema>;

export const sweepStepResultSchema = z.object({
  index: z.number().int().min(0),
  value: sweepValueSchema,
  /** The second parameter's value, in a map. */
  value2: sweepValueSchema.optional(),
  verdict: verdictKindSchema,
  /** Trial links the loop made. */
  passes: z.number().int(),
  /** Symbols in the table linked into vmlinux (null: no table was built, the first link failed). */
  tableSymbols: z.number().int().nullable(),
  /** ld.lld's stubs in the last image linked (null: nothing linked). */
  stubs: z.number().int().nullable(),
  /** The loop's own time, without the worker's start-up. */
  ms: z.number(),
  /** The verdict's sentence. */
  summary: z.string(),
});
export type SweepStepResult = z.infer<typeof sweepStepResultSchema>;

export const sweepRangeSchema = z.object({
  verdict: verdictKindSchema,
  from: sweepValueSchema,
  to: sweepValueSchema,
  /** 0-based indices of the first and last step of the range. */
  first: z.number().int(),
  last: z.number().int(),
});
export type SweepRange = z.infer<typeof sweepRangeSchema>;

/** One row or column of a map: its fixed value, and the ranges of verdicts along it. */
const sweepLineSchema = z.object({
  value: sweepValueSchema,
  /** first/last are positions along the line (column index in a row, row index in a column). */
  ranges: z.array(sweepRangeSchema),
});
export type SweepLine = z.infer<typeof sweepLineSchema>;

/** The second axis of a map and its verdicts by row and by column. */
export const sweepGridSchema = z.object({
  param2: z.enum(SWEEP_AXES),
  unit2: z.string(),
  from2: sweepValueSchema,
  to2: sweepValueSchema,
  /** Cells per row (the first parameter's steps) and rows (the second's). */
  columns: z.number().int().min(2),
  rows: z.number().int().min(2),
  /** For each value of param2, the verdicts along param. */
  byRow: z.array(sweepLineSchema),
  /** For each value of param, the verdicts along param2. */
  byColumn: z.array(sweepLineSchema),
});
export type SweepGrid = z.infer<typeof sweepGridSchema>;

export const sweepRecordSchema = z
  .object({
    /** Bumped when the record's shape changes meaning. */
    format: z.literal(1),
    toolchain: z.enum(['wasm', 'native']),
    /** The preset swept, or null for a scenario of the user's own. */
    preset: z.string().nullable(),
    scenario: scenarioSchema,
    param: z.enum(SWEEP_AXES),
    unit: z.string(),
    from: sweepValueSchema,
    to: sweepValueSchema,
    /** Workers that ran the steps at once. */
    jobs: z.number().int().min(1),
    /**
     * How each worker's toolchain started, where the runner knows (the page:
     * ms to ready, and whether the modules were compiled or handed over).
     */
    workerStarts: z
      .array(
        z.object({
          ms: z.number().nonnegative(),
          source: z.enum(['adopted', 'cache-storage', 'network', 'unknown']),
        }),
      )
      .optional(),
    steps: z.array(sweepStepResultSchema),
    /** Runs of consecutive steps with the same verdict, in step order (a map: empty, see grid). */
    ranges: z.array(sweepRangeSchema),
    /** A map of two parameters: steps are its cells, row by row. */
    grid: sweepGridSchema.optional(),
    /** Wall time of the whole sweep. */
    totalMs: z.number(),
  })
  .superRefine((r, ctx) => {
    r.steps.forEach((s, i) => {
      if (s.index !== i)
        ctx.addIssue({ code: 'custom', path: ['steps', i, 'index'], message: `must be ${i}` });
    });
  });
export type SweepRecord = z.infer<typeof sweepRecordSchema>;

/** The numbers a sweep keeps from one step's run. */
export function sweepStepResult(step: SweepStep, record: RunRecord): SweepStepResult {
  const tables = record.passes.filter((p) => p.tableObject !== null);
  const lastImage = record.passes.at(-1);
  return {
    index: step.index,
    value: step.value,
    ...(step.value2 !== undefined ? { value2: step.value2 } : {}),
    verdict: record.verdict.kind,
    passes: record.verdict.passes,
    tableSymbols: tables.at(-1)?.tableObject?.counts.tableSymbols ?? null,
    stubs: lastImage ? lastImage.stubs.total : null,
    ms: record.totalMs,
    summary: record.verdict.summary,
  };
}

/** Groups consecutive steps with the same verdict: where the loop converges, and where not. */
export function sweepRanges(steps: readonly SweepStepResult[]): SweepRange[] {
  const ranges: SweepRange[] = [];
  for (const s of steps) {
    const open = ranges.at(-1);
    if (open && open.verdict === s.verdict && open.last === s.index - 1) {
      open.to = s.value;
      open.last = s.index;
    } else {
      ranges.push({
        verdict: s.verdict,
        from: s.value,
        to: s.value,
        first: s.index,
        last: s.index,
      });
    }
  }
  return ranges;
}

/** "gap 28 … 31.1111 MiB: converged (15 steps)"; `verdictWords` replaces the verdict's id. */
export function describeSweepRange(
  param: SweepAxis,
  range: SweepRange,
  verdictWords: string = range.verdict,
): string {
  const count = range.last - range.first + 1;
  const values =
    count === 1
      ? formatSweepValue(param, range.from)
      : `${formatSweepValue(param, range.from)} … ${formatSweepValue(param, range.to)}`;
  return `${param} ${values}${sweepUnitSuffix(param)}: ${verdictWords} (${count} step${count === 1 ? '' : 's'})`;
}

export function sweepRecord(
  plan: SweepPlan,
  results: readonly SweepStepResult[],
  meta: {
    toolchain: 'wasm' | 'native';
    jobs: number;
    totalMs: number;
    workerStarts?: SweepRecord['workerStarts'];
  },
): SweepRecord {
  const { request } = plan;
  const axis2 = secondAxis(request);
  return {
    ...(meta.workerStarts ? { workerStarts: meta.workerStarts } : {}),
    format: 1,
    toolchain: meta.toolchain,
    preset: request.preset ?? null,
    scenario: plan.scenario,
    param: request.param,
    unit: SWEEP_PARAM_UNITS[request.param],
    from: plan.steps[0].value,
    to: plan.steps[axis2 ? request.steps - 1 : plan.steps.length - 1].value,
    jobs: meta.jobs,
    steps: [...results],
    ranges: axis2 ? [] : sweepRanges(results),
    ...(axis2 ? { grid: sweepGrid(plan, results) } : {}),
    totalMs: meta.totalMs,
  };
}

/**
 * A map's verdict ranges along each row and each column: the words the
 * one-parameter sweep gives, for every line of the grid. `results` must
 * hold every cell, in index order.
 */
export function sweepGrid(plan: SweepPlan, results: readonly SweepStepResult[]): SweepGrid {
  const { request } = plan;
  const axis2 = secondAxis(request);
  if (!axis2) throw new Error('sweepGrid needs a sweep of two parameters');
  const columns = request.steps;
  const rows = axis2.steps;
  if (results.length !== columns * rows)
    throw new Error(
      `a ${columns} × ${rows} map needs ${columns * rows} results, not ${results.length}`,
    );
  const line = (cells: SweepStepResult[], value: SweepStepResult['value']): SweepLine => ({
    value,
    ranges: sweepRanges(cells.map((c, i) => ({ ...c, index: i }))),
  });
  const byRow = Array.from({ length: rows }, (_, r) => {
    const cells = results.slice(r * columns, (r + 1) * columns);
    return line(cells, cells[0].value2!);
  });
  const byColumn = Array.from({ length: columns }, (_, c) => {
    const cells = Array.from({ length: rows }, (_, r) => results[r * columns + c]);
    // Along a column the second parameter varies: its ranges run over value2.
    return line(
      cells.map((cell) => ({ ...cell, value: cell.value2! })),
      cells[0].value,
    );
  });
  return {
    param2: axis2.param,
    unit2: SWEEP_PARAM_UNITS[axis2.param],
    from2: results[0].value2!,
    to2: results[(rows - 1) * columns].value2!,
    columns,
    rows,
    byRow,
    byColumn,
  };
}

/**
 * Hands results on in step order although workers finish out of order:
 * results wait here until every earlier step has been handed on.
 */
export function inStepOrder(
  onNext: (result: SweepStepResult) => void,
): (result: SweepStepResult) => void {
  const waiting = new Map<number, SweepStepResult>();
  let next = 0;
  return (result) => {
    waiting.set(result.index, result);
    for (let r = waiting.get(next); r !== undefined; r = waiting.get(next)) {
      waiting.delete(next);
      next++;
      onNext(r);
    }
  };
}

/**
 * How many workers to run at once: one per core, no more than the memory
 * available holds (each WebAssembly worker compiles and instantiates its own
 * copy of ld.lld), and no more than there are steps.
 */
export function sweepPoolSize(options: {
  cores: number;
  availableBytes: number;
  bytesPerWorker: number;
  steps: number;
}): number {
  const byMemory = Math.floor(options.availableBytes / options.bytesPerWorker);
  return Math.max(1, Math.min(options.cores, byMemory, options.steps));
}

// A verdict kind added to the run record must be added here too (this fails to type-check).
type Same<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
export type SweepVerdictKindCheck = Assert<Same<VerdictKind, Verdict['kind']>>;
