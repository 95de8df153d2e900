/**
 * Sweep the scenario on the page across a range of one parameter, on a pool
 * of workers: where does the loop converge, and where not? A form, Sweep /
 * Stop sweep, progress, a chart, the ranges in words and a table of steps.
 * A step (its mark in the chart, or its value in the table) loads its value
 * into the scenario, to run it on its own.
 */
import { useId, useState } from 'react';
import { SweepChart } from '../lazy-views.tsx';
import { describeDifferences } from '../../toolchain/scenario/differences.ts';
import {
  selectScenario,
  selectSweepChanges,
  selectSweepForm,
  selectSweepFormError,
  selectSweepProgress,
  selectSweepRanges,
  selectSweepResults,
  selectSweepRun,
  selectSweepRunning,
  useActions,
  useApp,
} from '../store/index.ts';
import {
  describeSweepRange,
  formatSweepValue,
  SWEEP_PARAMS,
  sweepUnitSuffix,
  type SweepParam,
  type SweepRecord,
  type SweepStepResult,
  type SweepValue,
} from '../../toolchain/sweep/index.ts';
import type { Scenario } from '../../toolchain/scenario/schema.ts';

const MIB = 1024 * 1024;

/** Whether the scenario's `param` is `value` (a step's value: gap in MiB, base in hex). */
function holds(scenario: Scenario, param: SweepParam, value: SweepValue): boolean {
  switch (param) {
    case 'gap':
      return scenario.layout.gap === Math.round((value as number) * MIB);
    case 'align':
      return scenario.layout.align === value;
    case 'base':
      return BigInt(scenario.layout.base) === BigInt(value as string);
    case 'maxPasses':
      return scenario.maxPasses === value;
  }
}

const PARAM_LABELS: Record<SweepParam, string> = {
  gap: 'gap (MiB)',
  align: 'alignment (bytes)',
  base: 'base address',
  maxPasses: 'max passes (fixpoint)',
};

function SweepField({ field, label }: { field: 'from' | 'to' | 'steps'; label: string }) {
  const id = useId();
  const form = useApp(selectSweepForm);
  const running = useApp(selectSweepRunning);
  const { editSweepField } = useActions();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={form.param === 'base' ? 'text' : 'decimal'}
        spellCheck={false}
        autoComplete="off"
        value={form[field]}
        disabled={running}
        onChange={(e) => editSweepField(field, e.target.value)}
      />
    </div>
  );
}

/** " (each ready in 0.3 s, reusing the compiled toolchain)", from how the pool's workers started. */
function workerStartWords(starts: SweepRecord['workerStarts']): string {
  if (!starts?.length) return '';
  const slowest = Math.max(...starts.map((s) => s.ms));
  const reused = starts.every((s) => s.source === 'adopted');
  return ` (each ready within ${(slowest / 1000).toFixed(1)} s${reused ? ', reusing the compiled toolchain' : ''})`;
}

export function SweepPanel() {
  const paramId = useId();
  const errorId = useId();
  const form = useApp(selectSweepForm);
  const formError = useApp(selectSweepFormError);
  const run = useApp(selectSweepRun);
  const running = useApp(selectSweepRunning);
  const progress = useApp(selectSweepProgress);
  const results = useApp(selectSweepResults);
  const ranges = useApp(selectSweepRanges);
  const scenario = useApp(selectScenario);
  const changes = useApp(selectSweepChanges);
  const stale = run !== null && changes.length > 0;
  const actions = useActions();
  const { setSweepParam, startSweep, stopSweep } = actions;
  const elapsed = run?.record ? `${(run.record.totalMs / 1000).toFixed(1)} s` : null;
  const [loaded, setLoaded] = useState('');

  /** Puts a step's value into the scenario (the form shows it; Run runs it). */
  const load = (param: SweepParam, r: SweepStepResult) => {
    if (param === 'gap') actions.setGapBytes(Math.round((r.value as number) * MIB));
    else if (param === 'align') actions.setAlignExponent(Math.log2(r.value as number));
    else if (param === 'base') actions.editField('base', r.value as string);
    else actions.setMaxPasses(r.value as number);
    setLoaded(
      `Loaded ${param} ${formatSweepValue(param, r.value)}${sweepUnitSuffix(param)} into the scenario (${r.summary}): press Run to see it pass by pass.`,
    );
  };
  const chosenIndex =
    run === null ? null : (results.find((r) => holds(scenario, run.param, r.value))?.index ?? null);

  return (
    <section
      className={`sweep${stale ? ' sweep-stale' : ''}`}
      aria-labelledby="sweep-heading"
      id="panel-sweep"
    >
      <div className="section-head">
        <h2 id="sweep-heading">Sweep a parameter</h2>
      </div>
      <p className="muted">
        Runs the scenario above once per step, on one worker per core, and shows where the loop
        converges and where it does not.
      </p>
      <form
        className="sweep-form"
        onSubmit={(e) => {
          e.preventDefault();
          startSweep();
        }}
        aria-describedby={formError ? errorId : undefined}
      >
        <div className="field">
          <label htmlFor={paramId}>Parameter</label>
          <select
            id={paramId}
            value={form.param}
            disabled={running}
            onChange={(e) => setSweepParam(e.target.value as SweepParam)}
          >
            {SWEEP_PARAMS.map((p) => (
              <option key={p} value={p}>
                {PARAM_LABELS[p]}
              </option>
            ))}
          </select>
        </div>
        <SweepField field="from" label="From" />
        <SweepField field="to" label="To" />
        <SweepField field="steps" label="Steps" />
        <div className="buttons">
          <button type="submit" disabled={running}>
            Sweep
          </button>
          <button type="button" disabled={!running} onClick={stopSweep}>
            Stop sweep
          </button>
        </div>
      </form>
      {formError && (
        <p className="field-error" id={errorId} role="alert">
          {formError}
        </p>
      )}
      {run && progress && (
        <>
          {stale ? (
            <p className="stale-note">
              <strong>Out of date:</strong> the form has changed since this sweep (
              {describeDifferences(changes)}). Sweep again to see the scenario in the form
              {run.hash ? (
                <>
                  , or <a href={`#${run.hash}`}>go back to the scenario it swept</a>
                </>
              ) : null}
              .
            </p>
          ) : null}
          <p className="sweep-status" aria-live="polite">
            {run.status === 'running' &&
              `Sweeping: ${progress.done} of ${progress.total} steps done…`}
            {run.status === 'done' &&
              `Swept ${progress.total} steps in ${elapsed} on ${run.record?.jobs ?? 1} workers${workerStartWords(run.record?.workerStarts)}.`}
            {run.status === 'stopped' &&
              `Sweep stopped after ${progress.done} of ${progress.total} steps${run.stopReason ? `: ${run.stopReason}` : ''}.`}
            {run.status === 'failed' && `Sweep failed: ${run.error}`}
          </p>
          {run.status === 'running' && (
            <progress aria-label="Sweep progress" max={progress.total} value={progress.done} />
          )}
          <SweepChart
            param={run.param}
            values={run.values}
            results={results}
            ranges={ranges}
            onPick={(r) => load(run.param, r)}
            chosenIndex={chosenIndex}
          />
          <p className="sweep-loaded muted" aria-live="polite">
            {loaded || (
              <>
                Click or tap a mark to load its value into the scenario
                <span className="kbd-hint">
                  {' '}
                  (or Tab to the marks, move with the arrow keys and press Enter)
                </span>
                .
              </>
            )}
          </p>
          {ranges.length > 0 && (
            <ul className="sweep-ranges" aria-label="Where the verdict holds">
              {ranges.map((r) => (
                <li key={`${r.first}`} data-verdict={r.verdict}>
                  {describeSweepRange(run.param, r)}
                </li>
              ))}
            </ul>
          )}
          <details className="sweep-steps">
            <summary>Every step</summary>
            <div className="table-scroll">
              <table>
                <caption>Sweep steps</caption>
                <thead>
                  <tr>
                    <th scope="col">{PARAM_LABELS[run.param]}</th>
                    <th scope="col">verdict</th>
                    <th scope="col" className="num">
                      trial links
                    </th>
                    <th scope="col" className="num">
                      table symbols
                    </th>
                    <th scope="col" className="num">
                      stubs
                    </th>
                    <th scope="col" className="num">
                      ms
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {results.map((r) => (
                    <tr key={r.index} aria-current={r.index === chosenIndex || undefined}>
                      <td>
                        <button
                          type="button"
                          className="link"
                          onClick={() => load(run.param, r)}
                          title="Load this value into the scenario"
                        >
                          {formatSweepValue(run.param, r.value)}
                          {sweepUnitSuffix(run.param)}
                        </button>
                      </td>
                      <td>{r.summary}</td>
                      <td className="num">{r.passes}</td>
                      <td className="num">{r.tableSymbols ?? '—'}</td>
                      <td className="num">{r.stubs ?? '—'}</td>
                      <td className="num">{Math.round(r.ms)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  );
}
