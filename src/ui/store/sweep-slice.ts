/**
 * The sweep slice: the form (kept as typed), and the sweep running or done.
 * Only these actions call the sweeper (a pool of workers apart from the
 * main one, so a sweep and a single run do not wait for each other).
 */
import {
  expandSweep,
  MAX_SWEEP_STEPS,
  MIN_SWEEP_STEPS,
  type SweepParam,
  type SweepStepResult,
} from '../../toolchain/sweep/index.ts';
import { scenarioDifferences } from '../../toolchain/scenario/differences.ts';
import { ScenarioError, type Scenario } from '../../toolchain/scenario/schema.ts';
import { changedReason, permalinkOf } from './runs-slice.ts';
import { describeError } from './toolchain-slice.ts';
import type { AppActions, AppDeps, AppState, SweepForm, SweepRun, SweepSlice } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

/**
 * A starting range per parameter: the gap example, and ranges that
 * show something (the base's starts at the scenario's own base).
 */
export function defaultSweepForm(param: SweepParam, base: string): SweepForm {
  switch (param) {
    case 'gap':
      return { param, from: '28', to: '36', steps: '64' };
    case 'align':
      return { param, from: '4096', to: '16777216', steps: '13' };
    case 'maxPasses':
      return { param, from: '2', to: '16', steps: '15' };
    case 'base': {
      const from = BigInt(base);
      return { param, from: base, to: '0x' + (from + 0x10000000n).toString(16), steps: '16' };
    }
  }
}

export function initialSweepSlice(base: string): SweepSlice {
  return { form: defaultSweepForm('gap', base), formError: null, run: null };
}

const UNIT_WORDS: Record<SweepParam, string> = {
  gap: 'a number of MiB, e.g. 31.5',
  align: 'a power of two in bytes, e.g. 65536',
  maxPasses: 'a whole number, e.g. 8',
  base: 'a hex address, e.g. 0xc000000000000000',
};

/** The form's text as a request, or what to type instead (the schema checks the rest). */
function requestOf(
  form: SweepForm,
): { from: string | number; to: string | number; steps: number } | { problems: string[] } {
  const problems: string[] = [];
  const value = (field: 'from' | 'to') => {
    const text = form[field].trim();
    if (form.param === 'base') return text;
    const n = text === '' ? NaN : Number(text);
    if (!Number.isFinite(n)) problems.push(`${field}: type ${UNIT_WORDS[form.param]}`);
    return n;
  };
  const from = value('from');
  const to = value('to');
  const steps = /^\s*\d+\s*$/.test(form.steps) ? Number(form.steps) : NaN;
  if (Number.isNaN(steps))
    problems.push(`steps: type a whole number from ${MIN_SWEEP_STEPS} to ${MAX_SWEEP_STEPS}`);
  return problems.length ? { problems } : { from, to, steps };
}

/** How the sweep's scenario differs from the form's, the swept parameter aside (it varies anyway). */
export function sweepChanges(run: SweepRun | null, scenario: Scenario) {
  return run ? scenarioDifferences(run.scenario, scenario, [run.param]) : [];
}

export function sweepActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<AppActions, 'setSweepParam' | 'editSweepField' | 'startSweep' | 'stopSweep'> & {
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
          form: defaultSweepForm(param, s.scenario.layout.base),
          formError: null,
        },
      }));
    },

    editSweepField(field, text) {
      set((s) => ({
        sweep: { ...s.sweep, form: { ...s.sweep.form, [field]: text }, formError: null },
      }));
    },

    startSweep() {
      const state = get();
      if (state.sweep.run?.status === 'running') return;
      const { form } = state.sweep;
      const request = requestOf(form);
      if ('problems' in request) {
        set((s) => ({ sweep: { ...s.sweep, formError: request.problems.join('; ') } }));
        return;
      }
      let plan: ReturnType<typeof expandSweep>;
      try {
        plan = expandSweep({ scenario: state.scenario, param: form.param, ...request });
      } catch (error) {
        // The schema's words, one problem each ("steps: Too big: …").
        const problems = error instanceof ScenarioError ? error.problems : [describeError(error)];
        set((s) => ({ sweep: { ...s.sweep, formError: problems.join('; ') } }));
        return;
      }
      const id = nextId++;
      controller?.abort();
      controller = new AbortController();
      const results: Array<SweepStepResult | undefined> = new Array(plan.steps.length);
      set((s) => ({
        sweep: {
          ...s.sweep,
          formError: null,
          run: {
            id,
            scenario: state.scenario,
            hash: permalinkOf(deps, state.scenario),
            request: {
              param: form.param,
              from: form.from.trim(),
              to: form.to.trim(),
              steps: request.steps,
            },
            stopReason: null,
            param: form.param,
            values: plan.steps.map((step) => step.value),
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
