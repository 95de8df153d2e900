/**
 * Sweep the scenario on the page across a range of one parameter, or two (a
 * phase map), on a pool of workers: where does the loop converge, and where
 * not? A form, Sweep / Stop sweep, progress, a chart (or the map), the
 * ranges in words (per row and column of a map) and a table of steps or
 * cells. A step (its mark in the chart, or its value in the table) loads its
 * value into the scenario; a map's cell opens its whole scenario and runs it.
 */
import { useId, useState } from 'react';
import { PhaseMap, SweepChart } from '../lazy-views.tsx';
import { describeDifferences } from '../../toolchain/scenario/differences.ts';
import {
  selectCorpusKind,
  selectSweepCellCount,
  selectSweepChanges,
  selectSweepChosenIndex,
  selectSweepForm,
  selectSweepFormError,
  selectSweepGridLines,
  selectSweepSecond,
  selectSweepProgress,
  selectSweepRanges,
  selectSweepResults,
  selectSweepRun,
  selectSweepRunning,
  useActions,
  useApp,
  type SweepFormField,
} from '../store/index.ts';
import {
  describeSweepRange,
  formatSweepValue,
  isCorpusAxis,
  MAX_SWEEP_CELLS,
  SWEEP_PARAMS,
  SWEEP_PARAM_UNITS,
  sweepUnitSuffix,
  type SweepAxis,
  type SweepLine,
  type SweepRecord,
  type SweepStepResult,
} from '../../toolchain/sweep/index.ts';
import { GENERATED_PARAM_KEYS } from '../../toolchain/corpus/generated/params.ts';

const SCENARIO_LABELS: Record<(typeof SWEEP_PARAMS)[number], string> = {
  gap: 'gap (MiB)',
  align: 'alignment (bytes)',
  base: 'base address',
  maxPasses: 'max passes (fixpoint)',
};

/** "gap (MiB)", "nameLength (characters)": the scenario's words, a corpus knob by its CLI name. */
export function paramLabel(param: SweepAxis): string {
  return isCorpusAxis(param) ? `${param} (${SWEEP_PARAM_UNITS[param]})` : SCENARIO_LABELS[param];
}

function SweepField({ field, label }: { field: SweepFormField; label: string }) {
  const id = useId();
  const form = useApp(selectSweepForm);
  const second = useApp(selectSweepSecond);
  const running = useApp(selectSweepRunning);
  const { editSweepField } = useActions();
  const isSecond = field.endsWith('2');
  const source = isSecond ? second : form;
  if (!source) return null;
  const key = (isSecond ? field.slice(0, -1) : field) as 'from' | 'to' | 'steps';
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode={source.param === 'base' ? 'text' : 'decimal'}
        spellCheck={false}
        autoComplete="off"
        value={source[key]}
        disabled={running}
        onChange={(e) => editSweepField(field, e.target.value)}
      />
    </div>
  );
}

/** The parameters a select offers: the scenario's, then the generated corpus's knobs (only with one). */
function ParamOptions({ generated, except }: { generated: boolean; except?: SweepAxis }) {
  return (
    <>
      <optgroup label="Scenario">
        {SWEEP_PARAMS.filter((p) => p !== except).map((p) => (
          <option key={p} value={p}>
            {paramLabel(p)}
          </option>
        ))}
      </optgroup>
      <optgroup label={generated ? 'Generated corpus' : 'Generated corpus (choose one above)'}>
        {GENERATED_PARAM_KEYS.filter((p) => p !== except).map((p) => (
          <option key={p} value={p} disabled={!generated}>
            {paramLabel(p)}
          </option>
        ))}
      </optgroup>
    </>
  );
}

/** A map's verdicts along each row (or column), in the one-parameter sweep's words. */
function LineRanges({
  lines,
  along,
  across,
  label,
}: {
  lines: SweepLine[];
  along: SweepAxis;
  across: SweepAxis;
  label: string;
}) {
  return (
    <div className="sweep-lines">
      <h3>{label}</h3>
      <ul>
        {lines.map((line) => (
          <li key={String(line.value)}>
            <strong>
              {across} {formatSweepValue(across, line.value)}
              {sweepUnitSuffix(across)}:
            </strong>{' '}
            {line.ranges.length === 0
              ? 'no cell done yet'
              : line.ranges.map((r) => describeSweepRange(along, r)).join('; ')}
          </li>
        ))}
      </ul>
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
  const param2Id = useId();
  const errorId = useId();
  const form = useApp(selectSweepForm);
  const second = useApp(selectSweepSecond);
  const cells = useApp(selectSweepCellCount);
  const generated = useApp(selectCorpusKind) === 'generated';
  const lines = useApp(selectSweepGridLines);
  const chosenIndex = useApp(selectSweepChosenIndex);
  const formError = useApp(selectSweepFormError);
  const run = useApp(selectSweepRun);
  const running = useApp(selectSweepRunning);
  const progress = useApp(selectSweepProgress);
  const results = useApp(selectSweepResults);
  const ranges = useApp(selectSweepRanges);
  const changes = useApp(selectSweepChanges);
  const stale = run !== null && changes.length > 0;
  const actions = useActions();
  const { setSweepParam, setSweepParam2, startSweep, stopSweep } = actions;
  const elapsed = run?.record ? `${(run.record.totalMs / 1000).toFixed(1)} s` : null;
  const [loaded, setLoaded] = useState('');

  /** Puts a step's value into the scenario (the form shows it; Run runs it). */
  const load = (param: SweepAxis, r: SweepStepResult) => {
    actions.loadSweepStep(r.index);
    setLoaded(
      `Loaded ${param} ${formatSweepValue(param, r.value)}${sweepUnitSuffix(param)} into the scenario (${r.summary}): press Run to see it pass by pass.`,
    );
  };
  /** Opens a map's cell: its whole scenario in the form, run at once. */
  const open = (index: number) => {
    if (!run?.values2) return;
    const columns = run.values.length;
    const at = (p: SweepAxis, v: SweepStepResult['value']) =>
      `${p} ${formatSweepValue(p, v)}${sweepUnitSuffix(p)}`;
    actions.openSweepCell(index);
    setLoaded(
      `Opened the cell ${at(run.param, run.values[index % columns])}, ${at(run.param2!, run.values2[Math.floor(index / columns)])}: its scenario is in the form and running.`,
    );
  };
  const isMap = run?.values2 != null && run.param2 !== null;

  return (
    <section
      className={`sweep${stale ? ' sweep-stale' : ''}`}
      aria-labelledby="sweep-heading"
      id="panel-sweep"
    >
      <div className="section-head">
        <h2 id="sweep-heading">Sweep a parameter, or map two</h2>
      </div>
      <p className="muted">
        Runs the scenario above once per step, on one worker per core, and shows where the loop
        converges and where it does not. With a second parameter it draws a phase map: every pair of
        values, one cell each.
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
            onChange={(e) => setSweepParam(e.target.value as SweepAxis)}
          >
            <ParamOptions generated={generated} />
          </select>
        </div>
        <SweepField field="from" label="From" />
        <SweepField field="to" label="To" />
        <SweepField field="steps" label="Steps" />
        <div className="field">
          <label htmlFor={param2Id}>Second axis (rows of a map)</label>
          <select
            id={param2Id}
            value={second?.param ?? ''}
            disabled={running}
            onChange={(e) =>
              setSweepParam2(e.target.value === '' ? null : (e.target.value as SweepAxis))
            }
          >
            <option value="">none: sweep one parameter</option>
            <ParamOptions generated={generated} except={form.param} />
          </select>
        </div>
        {second ? (
          <>
            <SweepField field="from2" label="From (rows)" />
            <SweepField field="to2" label="To (rows)" />
            <SweepField field="steps2" label="Rows" />
          </>
        ) : null}
        {second && cells !== null ? (
          <p className="sweep-cells muted" data-over={cells > MAX_SWEEP_CELLS || undefined}>
            {cells.toLocaleString('en')} cells
            {cells > MAX_SWEEP_CELLS ? `: at most ${MAX_SWEEP_CELLS.toLocaleString('en')}` : ''}
          </p>
        ) : null}
        <div className="buttons">
          <button type="submit" disabled={running}>
            {second ? 'Draw map' : 'Sweep'}
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
              <strong>Out of date:</strong> the form has changed since this{' '}
              {isMap ? 'map' : 'sweep'} ({describeDifferences(changes)}). Sweep again to see the
              scenario in the form
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
              `Sweeping: ${progress.done} of ${progress.total} ${isMap ? 'cells' : 'steps'} done…`}
            {run.status === 'done' &&
              `Swept ${progress.total} ${isMap ? 'cells' : 'steps'} in ${elapsed} on ${run.record?.jobs ?? 1} workers${workerStartWords(run.record?.workerStarts)}.`}
            {run.status === 'stopped' &&
              `Sweep stopped after ${progress.done} of ${progress.total} ${isMap ? 'cells' : 'steps'}${run.stopReason ? `: ${run.stopReason}` : ''}.`}
            {run.status === 'failed' && `Sweep failed: ${run.error}`}
          </p>
          {run.status === 'running' && (
            <progress aria-label="Sweep progress" max={progress.total} value={progress.done} />
          )}
          {isMap && lines ? (
            <>
              <PhaseMap
                param={run.param}
                values={run.values}
                param2={run.param2!}
                values2={run.values2!}
                results={run.results}
                chosenIndex={chosenIndex}
                onOpen={open}
              />
              <p className="sweep-loaded muted" aria-live="polite">
                {loaded || (
                  <>
                    Click or tap a cell to open its scenario and run it
                    <span className="kbd-hint">
                      {' '}
                      (or Tab to the map, move with the arrow keys and press Enter)
                    </span>
                    .
                  </>
                )}
              </p>
              <div className="sweep-grid-lines">
                <LineRanges
                  lines={lines.byRow}
                  along={run.param}
                  across={run.param2!}
                  label={`Each row: along ${run.param}`}
                />
                <LineRanges
                  lines={lines.byColumn}
                  along={run.param2!}
                  across={run.param}
                  label={`Each column: along ${run.param2}`}
                />
              </div>
              <CellTable onOpen={open} />
            </>
          ) : (
            <>
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
                        <th scope="col">{paramLabel(run.param)}</th>
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
        </>
      )}
    </section>
  );
}

/** Every cell of the map as a table (row and column headed), for screen readers and exact values. */
function CellTable({ onOpen }: { onOpen: (index: number) => void }) {
  const run = useApp(selectSweepRun);
  const chosenIndex = useApp(selectSweepChosenIndex);
  // Rows only while open: a 64 × 64 map is 4096 of them, redrawn as each cell arrives.
  const [open, setOpen] = useState(false);
  if (!run?.values2 || !run.param2) return null;
  const columns = run.values.length;
  const param2 = run.param2;
  return (
    <details
      className="sweep-steps sweep-cells-table"
      onToggle={(e) => setOpen(e.currentTarget.open)}
    >
      <summary>Every cell ({run.scenarios.length.toLocaleString('en')})</summary>
      {open ? (
        <div className="table-scroll">
          <table>
            <caption>
              Phase map cells: {run.param} across, {param2} down
            </caption>
            <thead>
              <tr>
                <th scope="col">{paramLabel(param2)}</th>
                <th scope="col">{paramLabel(run.param)}</th>
                <th scope="col">verdict</th>
                <th scope="col" className="num">
                  trial links
                </th>
                <th scope="col" className="num">
                  stubs
                </th>
                <th scope="col">open</th>
              </tr>
            </thead>
            <tbody>
              {run.scenarios.map((_, index) => {
                const r = run.results[index];
                const v = run.values[index % columns];
                const v2 = run.values2![Math.floor(index / columns)];
                return (
                  <tr key={index} aria-current={index === chosenIndex || undefined}>
                    <th scope="row">
                      {formatSweepValue(param2, v2)}
                      {sweepUnitSuffix(param2)}
                    </th>
                    <td>
                      {formatSweepValue(run.param, v)}
                      {sweepUnitSuffix(run.param)}
                    </td>
                    <td>{r ? r.summary : 'not run yet'}</td>
                    <td className="num">{r?.passes ?? '—'}</td>
                    <td className="num">{r?.stubs ?? '—'}</td>
                    <td>
                      <button
                        type="button"
                        className="link"
                        onClick={() => onOpen(index)}
                        aria-label={`Open ${run.param} ${formatSweepValue(run.param, v)}, ${param2} ${formatSweepValue(param2, v2)}`}
                      >
                        Open
                      </button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ) : null}
    </details>
  );
}
