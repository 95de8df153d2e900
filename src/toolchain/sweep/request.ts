/**
 * A sweep: one scenario run across a range of one parameter, or over a grid
 * of two (a phase map). This module checks a sweep request and expands it
 * into one scenario per step; it is shared by the CLI (`kallsyms-lab
 * sweep`) and the page, so it is pure TypeScript with no state of its own.
 *
 * A parameter is a field of the scenario (the layout's gap, align or base,
 * or maxPasses) or, for a scenario with a generated corpus, one of the
 * corpus's parameters: each step then links a corpus made for its value.
 */
import { z } from 'zod';
import {
  GENERATED_PARAM_KEYS,
  generatedCorpusId,
  isGeneratedParamKey,
  parseGeneratedCorpusId,
  type GeneratedCorpusParams,
  type GeneratedParamKey,
} from '../corpus/generated/params.ts';
import { findPreset, PRESETS } from '../scenario/presets.ts';
import {
  assertRunnable,
  issuesOf,
  parseScenario,
  ScenarioError,
  scenarioSchema,
  type Scenario,
} from '../scenario/schema.ts';

/** The scenario's own parameters (what the page's sweep form offers). */
export const SWEEP_PARAMS = ['gap', 'align', 'base', 'maxPasses'] as const;
export type SweepParam = (typeof SWEEP_PARAMS)[number];

/** Everything a sweep can vary: the scenario's parameters and a generated corpus's. */
export const SWEEP_AXES = [...SWEEP_PARAMS, ...GENERATED_PARAM_KEYS] as const;
export type SweepAxis = SweepParam | GeneratedParamKey;

export const MIN_SWEEP_STEPS = 2;
/** Beyond this a sweep is a batch job, not an exploration; and a page table stays readable. */
export const MAX_SWEEP_STEPS = 256;
/** Cells of a two-parameter sweep: a 64 × 64 map at most. */
export const MAX_SWEEP_CELLS = 4096;

/** How each parameter is given and shown (gap in MiB, as `run --gap` takes it). */
export const SWEEP_PARAM_UNITS: Record<SweepAxis, string> = {
  gap: 'MiB',
  align: 'bytes',
  base: 'address',
  maxPasses: 'trial links',
  seed: 'seed',
  symbols: 'functions',
  objects: 'objects',
  initFunctions: 'functions',
  callsPerInit: 'calls',
  functionBody: 'instructions',
  functionAlign: 'bytes',
  nameLength: 'characters',
  nearTargets: 'functions',
  nearShare: 'percent',
  pinned: 'functions',
  pinnedSpacing: 'bytes',
  pinnedCallsPerInit: 'calls',
  pinnedAt: 'bytes',
};

export function isCorpusAxis(axis: SweepAxis): axis is GeneratedParamKey {
  return isGeneratedParamKey(axis);
}

/** A scenario's generated corpus parameters, or null for the kernel-like corpus. */
function generatedParams(corpus: string): GeneratedCorpusParams | null {
  const parsed = parseGeneratedCorpusId(corpus);
  return parsed.ok ? parsed.params : null;
}

const MIB = 1024 * 1024;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{1,16}$/;
const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;
/** Parameters stepped by factors of two (powers of two only). */
const POWER_OF_TWO_AXES: readonly SweepAxis[] = ['align', 'functionAlign'];
/** Whole-number parameters, and the step between their values. */
const wholeStep = (axis: SweepAxis): number | null =>
  axis === 'pinnedSpacing'
    ? 4
    : axis === 'maxPasses' || (isCorpusAxis(axis) && !POWER_OF_TWO_AXES.includes(axis))
      ? 1
      : null;

/** A step's parameter value: a number, or a hex string for `base` (64-bit addresses do not fit a double). */
export const sweepValueSchema = z.union([z.number(), z.string()]);
export type SweepValue = z.infer<typeof sweepValueSchema>;

const axisEnum = z.enum(SWEEP_AXES);

export const sweepRequestSchema = z
  .object({
    /** A preset id, or else a whole scenario. */
    preset: z.string().optional(),
    scenario: scenarioSchema.optional(),
    param: axisEnum,
    from: sweepValueSchema,
    to: sweepValueSchema,
    steps: z.number().int().min(MIN_SWEEP_STEPS).max(MAX_SWEEP_STEPS),
    /** A second parameter (rows of a phase map), with its range and steps. */
    param2: axisEnum.optional(),
    from2: sweepValueSchema.optional(),
    to2: sweepValueSchema.optional(),
    steps2: z.number().int().min(MIN_SWEEP_STEPS).max(MAX_SWEEP_STEPS).optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: 'custom', path: [path], message });
    if ((r.preset === undefined) === (r.scenario === undefined)) {
      issue('preset', 'give either a preset id or a scenario, not both or neither');
    }
    if (r.preset !== undefined && !findPreset(r.preset)) {
      issue('preset', `unknown preset "${r.preset}": use one of ${presetIds()}`);
    }
    checkAxis({ param: r.param, from: r.from, to: r.to, steps: r.steps }, '', issue);
    const second = [r.param2, r.from2, r.to2, r.steps2];
    if (second.every((v) => v === undefined)) return;
    if (second.some((v) => v === undefined)) {
      issue('param2', 'a second parameter needs param2, from2, to2 and steps2 together');
      return;
    }
    if (r.param2 === r.param) issue('param2', `is ${r.param} again: choose another parameter`);
    checkAxis({ param: r.param2!, from: r.from2!, to: r.to2!, steps: r.steps2! }, '2', issue);
    if (r.steps * r.steps2! > MAX_SWEEP_CELLS)
      issue(
        'steps2',
        `steps × steps2 is ${r.steps * r.steps2!} cells: a map has at most ${MAX_SWEEP_CELLS}`,
      );
  });

export type SweepRequest = z.infer<typeof sweepRequestSchema>;

/** One axis of a sweep: a parameter, its range and its number of steps. */
export interface SweepAxisRange {
  param: SweepAxis;
  from: SweepValue;
  to: SweepValue;
  steps: number;
}

/** Checks one axis; `suffix` is '' for the first, '2' for the second (field names in messages). */
function checkAxis(
  a: SweepAxisRange,
  suffix: '' | '2',
  issue: (path: string, message: string) => void,
): void {
  const from = `from${suffix}`;
  const to = `to${suffix}`;
  const steps = `steps${suffix}`;
  if (a.param === 'base') {
    for (const [key, v] of [
      [from, a.from],
      [to, a.to],
    ] as const) {
      if (typeof v !== 'string' || !HEX_ADDRESS.test(v))
        issue(key, 'base is a hex address such as 0xc000000000000000');
    }
    if (typeof a.from === 'string' && a.from.toLowerCase() === String(a.to).toLowerCase())
      issue(to, 'equals from: nothing to sweep (use `run` for one scenario)');
    return;
  }
  for (const [key, v] of [
    [from, a.from],
    [to, a.to],
  ] as const) {
    if (typeof v !== 'number' || !Number.isFinite(v))
      issue(key, `${a.param} is a number (${unitWords(a.param)})`);
  }
  if (typeof a.from !== 'number' || typeof a.to !== 'number') return;
  if (!Number.isFinite(a.from) || !Number.isFinite(a.to)) return;
  if (a.from === a.to) issue(to, 'equals from: nothing to sweep (use `run` for one scenario)');
  if (POWER_OF_TWO_AXES.includes(a.param)) {
    // Alignment is a power of two, so an alignment sweep steps by factors of two.
    for (const [key, v] of [
      [from, a.from],
      [to, a.to],
    ] as const) {
      if (!isPowerOfTwo(v)) issue(key, `${a.param} must be a power of two`);
    }
    if (isPowerOfTwo(a.from) && isPowerOfTwo(a.to)) {
      const count = Math.abs(Math.log2(a.to) - Math.log2(a.from)) + 1;
      if (a.steps > count)
        issue(
          steps,
          `there are only ${count} powers of two from ${a.from} to ${a.to}: use at most ${count} steps`,
        );
    }
    return;
  }
  const step = wholeStep(a.param);
  if (step === null) return;
  for (const [key, v] of [
    [from, a.from],
    [to, a.to],
  ] as const) {
    if (!Number.isInteger(v) || v % step !== 0)
      issue(
        key,
        step === 1 ? `${a.param} is a whole number` : `${a.param} is a multiple of ${step}`,
      );
  }
  const count = Math.floor(Math.abs(a.to - a.from) / step) + 1;
  if (Number.isInteger(a.from) && Number.isInteger(a.to) && a.steps > count)
    issue(
      steps,
      `there are only ${count} ${step === 1 ? 'whole numbers' : `multiples of ${step}`} from ${a.from} to ${a.to}: use at most ${count} steps`,
    );
}

/** One step of an expanded sweep. */
export interface SweepStep {
  /** 0-based, in the order from → to; in a map, row by row (`index2 × steps + column`). */
  index: number;
  /** The parameter's value, in the unit of SWEEP_PARAM_UNITS (what was run, after rounding). */
  value: SweepValue;
  /** The second parameter's value, in a map. */
  value2?: SweepValue;
  scenario: Scenario;
}

export interface SweepPlan {
  request: SweepRequest;
  /** The scenario the sweep varies (the preset's, or the request's own). */
  scenario: Scenario;
  steps: SweepStep[];
}

function presetIds(): string {
  return PRESETS.map((p) => p.id).join(', ');
}

function unitWords(param: SweepAxis): string {
  if (param === 'gap') return 'MiB, decimals allowed';
  if (POWER_OF_TWO_AXES.includes(param)) return 'bytes, a power of two';
  if (param === 'maxPasses') return 'a whole number of trial links';
  return `a whole number of ${SWEEP_PARAM_UNITS[param]}`;
}

/** Validates a sweep request (from a file, the CLI's flags or the page); ScenarioError lists the problems. */
export function parseSweepRequest(input: unknown, source = 'sweep request'): SweepRequest {
  const result = sweepRequestSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ScenarioError(issuesOf(result.error), source);
}

/** Evenly spaced from → to; both endpoints exact (no accumulated rounding). */
const lerp = (from: number, to: number, i: number, n: number) =>
  i === 0 ? from : i === n - 1 ? to : (from * (n - 1 - i) + to * i) / (n - 1);

/** The value step `i` of an axis runs with, rounded to what the scenario can hold. */
export function sweepAxisValueAt(axis: SweepAxisRange, i: number): SweepValue {
  const n = axis.steps;
  if (axis.param === 'gap') {
    // Whole bytes, as `run --gap` rounds; reported in MiB so `run --gap VALUE` repeats it exactly.
    const bytes = Math.round(lerp(axis.from as number, axis.to as number, i, n) * MIB);
    return bytes / MIB;
  }
  if (axis.param === 'base') {
    const from = BigInt(axis.from as string);
    const to = BigInt(axis.to as string);
    const at = from + ((to - from) * BigInt(i)) / BigInt(n - 1);
    return '0x' + at.toString(16);
  }
  if (POWER_OF_TWO_AXES.includes(axis.param)) {
    const e = lerp(Math.log2(axis.from as number), Math.log2(axis.to as number), i, n);
    return 2 ** Math.round(e);
  }
  const step = wholeStep(axis.param) ?? 1;
  return Math.round(lerp(axis.from as number, axis.to as number, i, n) / step) * step;
}

/** The value step `i` of the (first) parameter runs with. */
export function sweepValueAt(request: SweepRequest, i: number): SweepValue {
  return sweepAxisValueAt(request, i);
}

/** The request's second axis, or null for a one-parameter sweep. */
export function secondAxis(request: SweepRequest): SweepAxisRange | null {
  if (request.param2 === undefined) return null;
  return {
    param: request.param2,
    from: request.from2!,
    to: request.to2!,
    steps: request.steps2!,
  };
}

/**
 * The scenario with the parameter set to `value`, not yet validated (a
 * corpus knob on a kernel-like scenario leaves it as it is: expandSweep
 * refuses that before).
 */
export function withSweepValue(scenario: Scenario, param: SweepAxis, value: SweepValue): Scenario {
  const next = { ...scenario, layout: { ...scenario.layout } };
  if (isCorpusAxis(param)) {
    // The scenario's corpus was checked to be a generated one before expanding.
    const params = generatedParams(scenario.corpus);
    if (params) next.corpus = generatedCorpusId({ ...params, [param]: value as number });
  } else if (param === 'gap') next.layout.gap = Math.round((value as number) * MIB);
  else if (param === 'align') next.layout.align = value as number;
  else if (param === 'base') next.layout.base = value as string;
  else next.maxPasses = value as number;
  return next;
}

/** What follows a value in messages and summaries ("31.5 MiB", "4096 bytes", "40 %"). */
export function sweepUnitSuffix(param: SweepAxis): string {
  const unit = SWEEP_PARAM_UNITS[param];
  if (param === 'gap') return ' MiB';
  if (unit === 'bytes') return ' bytes';
  if (unit === 'percent') return ' %';
  return '';
}

export function formatSweepValue(param: SweepAxis, value: SweepValue): string {
  // Enough digits to tell 64 steps over a few MiB apart, without float noise.
  if (param === 'gap' && typeof value === 'number') return String(Number(value.toFixed(4)));
  return String(value);
}

/** Why a scenario cannot be swept along `param`, or null. */
function axisProblem(scenario: Scenario, param: SweepAxis, field: string): string | null {
  if (isCorpusAxis(param)) {
    if (generatedParams(scenario.corpus) === null)
      return (
        `${field}: ${param} is a parameter of a generated corpus, and this scenario's corpus is ` +
        `${scenario.corpus}: give it a generated corpus (generated-v1?…), or sweep ${SWEEP_PARAMS.join(', ')}`
      );
    if (param === 'pinnedAt' && scenario.linkerScript !== null)
      return `${field}: the scenario has its own linker script, which does not place .fixed.text by pinnedAt`;
    return null;
  }
  if (param !== 'maxPasses' && scenario.linkerScript !== null)
    return (
      `${field}: the scenario has its own linker script, which does not read layout.${param}: ` +
      'sweep maxPasses, or drop linkerScript to use the template'
    );
  if (param === 'maxPasses' && scenario.strategy !== 'fixpoint')
    return (
      `${field}: maxPasses caps only the fixpoint strategy's trial links; this scenario's strategy is ` +
      `${scenario.strategy}, which ignores it: sweep gap, align or base, or use strategy fixpoint`
    );
  return null;
}

/**
 * Checks a request and expands it into one validated scenario per step (per
 * cell of a map, row by row). Every step goes through the scenario schema,
 * so an out-of-range value is reported in the schema's own words, with the
 * step it came from.
 */
export function expandSweep(input: unknown): SweepPlan {
  const request = parseSweepRequest(input);
  const scenario = request.scenario ?? findPreset(request.preset!)!.scenario;
  const axis2 = secondAxis(request);
  const axisProblems = [
    axisProblem(scenario, request.param, 'param'),
    axis2 ? axisProblem(scenario, axis2.param, 'param2') : null,
  ].filter((p): p is string => p !== null);
  if (axisProblems.length) throw new ScenarioError(axisProblems, 'sweep request');

  assertRunnable(scenario, 'sweep');

  const values = Array.from({ length: request.steps }, (_, i) => sweepAxisValueAt(request, i));
  const values2 = axis2
    ? Array.from({ length: axis2.steps }, (_, i) => sweepAxisValueAt(axis2, i))
    : [undefined];
  const steps: SweepStep[] = [];
  const problems: string[] = [];
  let badSteps = 0;
  const total = values.length * values2.length;
  values2.forEach((value2, row) => {
    const rowScenario =
      axis2 && value2 !== undefined ? withSweepValue(scenario, axis2.param, value2) : scenario;
    values.forEach((value, column) => {
      const index = row * values.length + column;
      const result = scenarioSchema.safeParse(withSweepValue(rowScenario, request.param, value));
      if (result.success) {
        steps.push({
          index,
          value,
          ...(value2 !== undefined ? { value2 } : {}),
          scenario: result.data,
        });
        return;
      }
      // Report the first few bad steps (usually an endpoint), not 256 copies of one message.
      if (++badSteps <= 3) {
        const shown = (p: SweepAxis, v: SweepValue) =>
          `${p} ${formatSweepValue(p, v)}${sweepUnitSuffix(p)}`;
        const at =
          shown(request.param, value) +
          (axis2 && value2 !== undefined ? `, ${shown(axis2.param, value2)}` : '');
        const where = `step ${index + 1} of ${total} (${at})`;
        for (const p of issuesOf(result.error)) problems.push(`${where}: ${p}`);
      }
    });
  });
  if (problems.length) {
    if (badSteps > 3) problems.push(`… and ${badSteps - 3} more steps`);
    throw new ScenarioError(problems, 'sweep');
  }
  return { request, scenario: parseScenario(scenario), steps };
}
