/**
 * A sweep: one scenario run across a range of one parameter. This module
 * checks a sweep request and expands it into one scenario per step; it is
 * shared by the CLI (`kallsyms-lab sweep`) and the page, so it is pure
 * TypeScript with no state of its own.
 */
import { z } from 'zod';
import { findPreset, PRESETS } from '../scenario/presets.ts';
import {
  assertRunnable,
  issuesOf,
  parseScenario,
  ScenarioError,
  scenarioSchema,
  type Scenario,
} from '../scenario/schema.ts';

export const SWEEP_PARAMS = ['gap', 'align', 'base', 'maxPasses'] as const;
export type SweepParam = (typeof SWEEP_PARAMS)[number];

export const MIN_SWEEP_STEPS = 2;
/** Beyond this a sweep is a batch job, not an exploration; and a page table stays readable. */
export const MAX_SWEEP_STEPS = 256;

/** How each parameter is given and shown (gap in MiB, as `run --gap` takes it). */
export const SWEEP_PARAM_UNITS: Record<SweepParam, string> = {
  gap: 'MiB',
  align: 'bytes',
  base: 'address',
  maxPasses: 'trial links',
};

const MIB = 1024 * 1024;
const HEX_ADDRESS = /^0x[0-9a-fA-F]{1,16}$/;
const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** A step's parameter value: a number, or a hex string for `base` (64-bit addresses do not fit a double). */
export const sweepValueSchema = z.union([z.number(), z.string()]);
export type SweepValue = z.infer<typeof sweepValueSchema>;

export const sweepRequestSchema = z
  .object({
    /** A preset id, or else a whole scenario. */
    preset: z.string().optional(),
    scenario: scenarioSchema.optional(),
    param: z.enum(SWEEP_PARAMS),
    from: sweepValueSchema,
    to: sweepValueSchema,
    steps: z.number().int().min(MIN_SWEEP_STEPS).max(MAX_SWEEP_STEPS),
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
    if (r.param === 'base') {
      for (const key of ['from', 'to'] as const) {
        if (typeof r[key] !== 'string' || !HEX_ADDRESS.test(r[key] as string))
          issue(key, 'base is a hex address such as 0xc000000000000000');
      }
      if (typeof r.from === 'string' && r.from.toLowerCase() === String(r.to).toLowerCase())
        issue('to', 'equals from: nothing to sweep (use `run` for one scenario)');
      return;
    }
    for (const key of ['from', 'to'] as const) {
      if (typeof r[key] !== 'number') issue(key, `${r.param} is a number (${unitWords(r.param)})`);
    }
    if (typeof r.from !== 'number' || typeof r.to !== 'number') return;
    if (r.from === r.to) issue('to', 'equals from: nothing to sweep (use `run` for one scenario)');
    if (r.param === 'align') {
      // Alignment is a power of two, so an align sweep steps by factors of two.
      for (const key of ['from', 'to'] as const) {
        if (!isPowerOfTwo(r[key] as number)) issue(key, 'align must be a power of two');
      }
      if (isPowerOfTwo(r.from) && isPowerOfTwo(r.to)) {
        const count = Math.abs(Math.log2(r.to) - Math.log2(r.from)) + 1;
        if (r.steps > count)
          issue(
            'steps',
            `there are only ${count} powers of two from ${r.from} to ${r.to}: use at most ${count} steps`,
          );
      }
    }
    if (r.param === 'maxPasses') {
      for (const key of ['from', 'to'] as const) {
        if (!Number.isInteger(r[key])) issue(key, 'maxPasses is a whole number');
      }
      const count = Math.abs(r.to - r.from) + 1;
      if (Number.isInteger(r.from) && Number.isInteger(r.to) && r.steps > count)
        issue(
          'steps',
          `there are only ${count} whole numbers from ${r.from} to ${r.to}: use at most ${count} steps`,
        );
    }
  });

export type SweepRequest = z.infer<typeof sweepRequestSchema>;

/** One step of an expanded sweep. */
export interface SweepStep {
  /** 0-based, in the order from → to. */
  index: number;
  /** The parameter's value, in the unit of SWEEP_PARAM_UNITS (what was run, after rounding). */
  value: SweepValue;
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

function unitWords(param: SweepParam): string {
  if (param === 'gap') return 'MiB, decimals allowed';
  if (param === 'align') return 'bytes, a power of two';
  return 'a whole number of trial links';
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

/** The value step `i` of `n` runs with, rounded to what the scenario can hold. */
export function sweepValueAt(request: SweepRequest, i: number): SweepValue {
  const n = request.steps;
  switch (request.param) {
    case 'gap': {
      // Whole bytes, as `run --gap` rounds; reported in MiB so `run --gap VALUE` repeats it exactly.
      const bytes = Math.round(lerp(request.from as number, request.to as number, i, n) * MIB);
      return bytes / MIB;
    }
    case 'align': {
      const e = lerp(Math.log2(request.from as number), Math.log2(request.to as number), i, n);
      return 2 ** Math.round(e);
    }
    case 'maxPasses':
      return Math.round(lerp(request.from as number, request.to as number, i, n));
    case 'base': {
      const from = BigInt(request.from as string);
      const to = BigInt(request.to as string);
      const at = from + ((to - from) * BigInt(i)) / BigInt(n - 1);
      return '0x' + at.toString(16);
    }
  }
}

/** The scenario with the parameter set to `value`, not yet validated. */
function applyValue(scenario: Scenario, param: SweepParam, value: SweepValue): unknown {
  const next = { ...scenario, layout: { ...scenario.layout } };
  if (param === 'gap') next.layout.gap = Math.round((value as number) * MIB);
  else if (param === 'align') next.layout.align = value as number;
  else if (param === 'base') next.layout.base = value as string;
  else next.maxPasses = value as number;
  return next;
}

/** What follows a value in messages and summaries ("31.5 MiB", "4096 bytes"). */
export function sweepUnitSuffix(param: SweepParam): string {
  return param === 'gap' ? ' MiB' : param === 'align' ? ' bytes' : '';
}

export function formatSweepValue(param: SweepParam, value: SweepValue): string {
  // Enough digits to tell 64 steps over a few MiB apart, without float noise.
  if (param === 'gap' && typeof value === 'number') return String(Number(value.toFixed(4)));
  return String(value);
}

/**
 * Checks a request and expands it into one validated scenario per step.
 * Every step goes through the scenario schema, so an out-of-range value is
 * reported in the schema's own words, with the step it came from.
 */
export function expandSweep(input: unknown): SweepPlan {
  const request = parseSweepRequest(input);
  const scenario = request.scenario ?? findPreset(request.preset!)!.scenario;
  const { param } = request;
  const usesLayout = param !== 'maxPasses';
  if (usesLayout && scenario.linkerScript !== null) {
    throw new ScenarioError(
      [
        `param: the scenario has its own linker script, which does not read layout.${param}: ` +
          'sweep maxPasses, or drop linkerScript to use the template',
      ],
      'sweep request',
    );
  }
  if (param === 'maxPasses' && scenario.strategy !== 'fixpoint') {
    throw new ScenarioError(
      [
        `param: maxPasses caps only the fixpoint strategy's trial links; this scenario's strategy is ` +
          `${scenario.strategy}, which ignores it: sweep gap, align or base, or use strategy fixpoint`,
      ],
      'sweep request',
    );
  }

  assertRunnable(scenario, 'sweep');

  const steps: SweepStep[] = [];
  const problems: string[] = [];
  let badSteps = 0;
  for (let i = 0; i < request.steps; i++) {
    const value = sweepValueAt(request, i);
    const result = scenarioSchema.safeParse(applyValue(scenario, param, value));
    if (result.success) {
      steps.push({ index: i, value, scenario: result.data });
      continue;
    }
    // Report the first few bad steps (usually an endpoint), not 256 copies of one message.
    if (++badSteps <= 3) {
      const shown = formatSweepValue(param, value) + sweepUnitSuffix(param);
      const where = `step ${i + 1} of ${request.steps} (${param} ${shown})`;
      for (const p of issuesOf(result.error)) problems.push(`${where}: ${p}`);
    }
  }
  if (problems.length) {
    if (badSteps > 3) problems.push(`… and ${badSteps - 3} more steps`);
    throw new ScenarioError(problems, 'sweep');
  }
  return { request, scenario: parseScenario(scenario), steps };
}
