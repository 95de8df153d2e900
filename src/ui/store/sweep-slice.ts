/**
 * The sweep slice: the form (kept as typed), and the sweep running or done:
 * one parameter, or two (a phase map: the first across, the second down).
 * Only these actions call the sweeper (a pool of workers apart from the
 * main one, so a sweep and a single run do not wait for each other).
 */
import {
  GENERATED_PARAM_INFO,
  type GeneratedParamKey,
} from '../../toolchain/corpus/generated/params.ts';
import {
  expandSweep,
  isCorpusAxis,
  MAX_SWEEP_STEPS,
  MIN_SWEEP_STEPS,
  sweepCeilingRefusal,
  sweepCost,
  SWEEP_PARAMS,
  withSweepValue,
  type SweepAxis,
  type SweepPlan,
  type SweepStepResult,
} from '../../toolchain/sweep/index.ts';
import { scenarioDifferences, type ScenarioField } from '../../toolchain/scenario/differences.ts';
import { ScenarioError, type Scenario } from '../../toolchain/scenario/schema.ts';
import { changedReason, permalinkOf } from './runs-slice.ts';
import { corpusParamsOf } from './scenario-slice.ts';
import { describeError } from './toolchain-slice.ts';
import type {
  AppActions,
  AppDeps,
  AppState,
  SweepAxisRequest,
  SweepForm,
  SweepRequest,
  SweepRun,
  SweepSlice,
} from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

const MIB = 1024 * 1024;

/**
 * Starting ranges for a corpus knob: ones that show something on the
 * small generated corpora (the pinned layout's knobs around its cycle).
 */
const KNOB_RANGES: Partial<Record<GeneratedParamKey, [number, number, number]>> = {
  seed: [1, 8, 8],
  functionBody: [1, 16, 16],
  functionAlign: [4, 64, 5],
  nameLength: [8, 64, 8],
  nearShare: [0, 100, 11],
  pinnedSpacing: [16, 64, 13],
  pinnedCallsPerInit: [1, 8, 8],
};

/** A starting range for a corpus knob: around the scenario's own value, within the knob's range. */
function knobForm(param: GeneratedParamKey, scenario: Scenario): SweepForm {
  const fixed = KNOB_RANGES[param];
  if (fixed)
    return { param, from: String(fixed[0]), to: String(fixed[1]), steps: String(fixed[2]) };
  const info = GENERATED_PARAM_INFO.find((i) => i.key === param)!;
  const value = corpusParamsOf(scenario.corpus)[param];
  if (param === 'pinnedAt') {
    // ±64 KiB around where the section sits: the pinned calls cross the limit in there.
    return { param, from: String(value - 65536), to: String(value + 65536), steps: '9' };
  }
  const from = Math.max(info.min, Math.round(value / 2));
  const to = Math.min(info.max, Math.max(value * 2, from + 8));
  return { param, from: String(from), to: String(to), steps: '5' };
}

/**
 * A starting range per parameter: the gap example, and ranges that
 * show something (the base's starts at the scenario's own base; a corpus
 * knob's around the corpus's own value).
 */
export function defaultSweepForm(param: SweepAxis, scenario: Scenario): SweepForm {
  switch (param) {
    case 'gap':
      return { param, from: '28', to: '36', steps: '64' };
    case 'align':
      return { param, from: '4096', to: '16777216', steps: '13' };
    case 'maxPasses':
      return { param, from: '2', to: '16', steps: '15' };
    case 'base': {
      const base = scenario.layout.base;
      const from = BigInt(base);
      return { param, from: base, to: '0x' + (from + 0x10000000n).toString(16), steps: '16' };
    }
    default:
      return knobForm(param, scenario);
  }
}

/**
 * A map's second parameter starts with fewer steps than a sweep's (its
 * cells are steps × steps2): the gap's range in 8 rows, others as they come.
 */
function defaultSecondForm(param: SweepAxis, scenario: Scenario): SweepForm {
  const form = defaultSweepForm(param, scenario);
  return { ...form, steps: String(Math.min(8, Number(form.steps))) };
}

export function initialSweepSlice(scenario: Scenario): SweepSlice {
  return { form: defaultSweepForm('gap', scenario), second: null, formError: null, run: null };
}

const UNIT_WORDS: Record<(typeof SWEEP_PARAMS)[number], string> = {
  gap: 'a number of MiB, e.g. 31.5',
  align: 'a power of two in bytes, e.g. 65536',
  maxPasses: 'a whole number, e.g. 8',
  base: 'a hex address, e.g. 0xc000000000000000',
};
const unitWords = (param: SweepAxis) =>
  isCorpusAxis(param) ? 'a whole number' : UNIT_WORDS[param];

/** One parameter's text as numbers, or what to type instead (the schema checks the rest). */
function axisOf(
  form: SweepForm,
  suffix: '' | '2',
  problems: string[],
): { param: SweepAxis; from: string | number; to: string | number; steps: number } {
  const value = (field: 'from' | 'to') => {
    const text = form[field].trim();
    if (form.param === 'base') return text;
    const n = text === '' ? NaN : Number(text);
    if (!Number.isFinite(n)) problems.push(`${field}${suffix}: type ${unitWords(form.param)}`);
    return n;
  };
  const from = value('from');
  const to = value('to');
  const steps = /^\s*\d+\s*$/.test(form.steps) ? Number(form.steps) : NaN;
  if (Number.isNaN(steps))
    problems.push(
      `steps${suffix}: type a whole number from ${MIN_SWEEP_STEPS} to ${MAX_SWEEP_STEPS}`,
    );
  return { param: form.param, from, to, steps };
}

/** The form (one parameter, or two) as a sweep of `scenario`, or why it cannot be one. */
export function planOf(
  scenario: Scenario,
  form: SweepForm,
  second: SweepForm | null,
): { plan: SweepPlan; request: SweepRequest } | { problems: string[] } {
  const problems: string[] = [];
  const first = axisOf(form, '', problems);
  const other = second ? axisOf(second, '2', problems) : null;
  if (problems.length) return { problems };
  let plan: SweepPlan;
  try {
    plan = expandSweep({
      scenario,
      ...first,
      ...(other
        ? { param2: other.param, from2: other.from, to2: other.to, steps2: other.steps }
        : {}),
    });
  } catch (error) {
    // The schema's words, one problem each ("steps: Too big: …").
    return { problems: error instanceof ScenarioError ? error.problems : [describeError(error)] };
  }
  const asTyped = (f: SweepForm, steps: number): SweepAxisRequest => ({
    param: f.param,
    from: f.from.trim(),
    to: f.to.trim(),
    steps,
  });
  return {
    plan,
    request: {
      ...asTyped(form, first.steps),
      second: second && other ? asTyped(second, other.steps) : null,
    },
  };
}

/** The request a link's view holds, as the form would hold it. */
export function formsOfRequest(request: SweepAxisRequest): SweepForm {
  return { ...request, steps: String(request.steps) };
}

/**
 * How the sweep's scenario differs from the form's, the swept parameters
 * aside (they vary anyway): a scenario field, or a corpus knob (the rest of
 * the corpus must match).
 */
export function sweepChanges(run: SweepRun | null, scenario: Scenario) {
  if (!run) return [];
  const axes = run.param2 ? [run.param, run.param2] : [run.param];
  const ignored = axes.filter((a) => !isCorpusAxis(a)) as ScenarioField[];
  let compared = scenario;
  for (const axis of axes.filter(isCorpusAxis)) {
    // The form's corpus with the swept knob as the sweep's: a kernel-like corpus stays one.
    if (scenario.corpus !== 'kernel-like' && run.scenario.corpus !== 'kernel-like')
      compared = withSweepValue(compared, axis, corpusParamsOf(run.scenario.corpus)[axis]);
  }
  return scenarioDifferences(run.scenario, compared, ignored);
}

export function sweepActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<
  AppActions,
  | 'setSweepParam'
  | 'setSweepParam2'
  | 'editSweepField'
  | 'startSweep'
  | 'stopSweep'
  | 'loadSweepStep'
  | 'openSweepCell'
> & {
  /** The rule (runs-slice.ts): a sweep in flight stops when the scenario changes under it. */
  onScenarioChange(): void;
} {
  let nextId = 1;
  let controller: AbortController | null = null;

  const patch = (id: number, change: Partial<NonNullable<SweepSlice['run']>>) =>
    set((s) =>
      s.sweep.run?.id === id ? { sweep: { ...s.sweep, run: { ...s.sweep.run, ...change } } } : {},
    );

  return {
    setSweepParam(param) {
      set((s) => ({
        sweep: {
          ...s.sweep,
          form: defaultSweepForm(param, s.scenario),
          // A map of one parameter against itself is none: the second is dropped.
          second: s.sweep.second?.param === param ? null : s.sweep.second,
          formError: null,
        },
      }));
    },

    setSweepParam2(param) {
      set((s) => ({
        sweep: {
          ...s.sweep,
          second:
            param === null || param === s.sweep.form.param
              ? null
              : defaultSecondForm(param, s.scenario),
          formError: null,
        },
      }));
    },

    editSweepField(field, text) {
      set((s) => {
        if (field === 'from' || field === 'to' || field === 'steps')
          return {
            sweep: { ...s.sweep, form: { ...s.sweep.form, [field]: text }, formError: null },
          };
        if (!s.sweep.second) return {};
        const key = field.slice(0, -1) as 'from' | 'to' | 'steps';
        return {
          sweep: { ...s.sweep, second: { ...s.sweep.second, [key]: text }, formError: null },
        };
      });
    },

    startSweep() {
      const state = get();
      if (state.sweep.run?.status === 'running') return;
      const { form, second } = state.sweep;
      const planned = planOf(state.scenario, form, second);
      if ('problems' in planned) {
        set((s) => ({ sweep: { ...s.sweep, formError: planned.problems.join('; ') } }));
        return;
      }
      const { plan, request } = planned;
      // The page's ceiling, for every cell's links together (toolchain/sweep/cost.ts).
      const refusal = sweepCeilingRefusal(sweepCost(plan));
      if (refusal) {
        set((s) => ({ sweep: { ...s.sweep, formError: refusal } }));
        return;
      }
      const id = nextId++;
      controller?.abort();
      controller = new AbortController();
      const results: Array<SweepStepResult | undefined> = new Array(plan.steps.length);
      const columns = request.steps;
      set((s) => ({
        sweep: {
          ...s.sweep,
          formError: null,
          run: {
            id,
            scenario: state.scenario,
            hash: permalinkOf(deps, state.scenario),
            request,
            stopReason: null,
            param: request.param,
            param2: request.second?.param ?? null,
            values: plan.steps.slice(0, columns).map((step) => step.value),
            values2: request.second
              ? plan.steps.filter((_, i) => i % columns === 0).map((step) => step.value2!)
              : null,
            scenarios: plan.steps.map((step) => step.scenario),
            results: [...results],
            status: 'running',
            record: null,
            error: null,
          },
        },
      }));
      deps.sweeper
        .run(plan, {
          signal: controller.signal,
          onStep(result) {
            results[result.index] = result;
            patch(id, { results: [...results] });
          },
        })
        .then(
          (record) => patch(id, { status: 'done', record, results: record.steps }),
          (error: unknown) =>
            patch(
              id,
              error instanceof Error && error.name === 'RunCancelledError'
                ? { status: 'stopped' }
                : { status: 'failed', error: describeError(error) },
            ),
        );
    },

    stopSweep() {
      controller?.abort();
      controller = null;
    },

    loadSweepStep(index) {
      const { sweep, scenario, actions } = get();
      const run = sweep.run;
      const value = run?.results[index]?.value ?? run?.values[index];
      if (!run || run.param2 !== null || value === undefined) return;
      // The value goes through the form's own actions, so it is one edit of that field.
      const param = run.param;
      if (param === 'gap') actions.setGapBytes(Math.round((value as number) * MIB));
      else if (param === 'align') actions.setAlignExponent(Math.log2(value as number));
      else if (param === 'base') actions.editField('base', value as string);
      else if (param === 'maxPasses') actions.setMaxPasses(value as number);
      else if (scenario.corpus !== 'kernel-like')
        actions.editField(`corpus.${param}`, String(value));
    },

    openSweepCell(index) {
      const { sweep, actions } = get();
      const cell = sweep.run?.scenarios[index];
      if (!cell) return;
      set({ scenario: cell, lastChange: { kind: 'choice' }, drafts: {}, fieldErrors: {} });
      actions.run();
    },

    onScenarioChange() {
      const state = get();
      const run = state.sweep.run;
      if (run?.status !== 'running') return;
      const changes = sweepChanges(run, state.scenario);
      if (changes.length === 0) return;
      patch(run.id, { stopReason: changedReason(changes) });
      controller?.abort();
      controller = null;
    },
  };
}

/** How many cells a map of these forms has (steps × steps2), when both are whole numbers. */
export function cellCount(form: SweepForm, second: SweepForm | null): number | null {
  const n = (text: string) => (/^\s*\d+\s*$/.test(text) ? Number(text) : null);
  const a = n(form.steps);
  const b = second ? n(second.steps) : 1;
  return a === null || b === null ? null : a * b;
}
