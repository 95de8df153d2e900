/**
 * Every way the page reads the store, in one place. Selectors that build
 * new arrays or objects are memoised on their inputs, so that React sees
 * the same value until something it depends on changes.
 */
import {
  GENERATED_PARAM_KEYS,
  type GeneratedParamKey,
} from '../../toolchain/corpus/generated/params.ts';
import type { PassRecord, RunRecord, Verdict } from '../../toolchain/kbuild/records.ts';
import {
  AUTO_RUN_BUDGET,
  estimateRunCost,
  overLimits,
  pageCeilingRefusal,
} from '../../toolchain/scenario/cost.ts';
import { scenarioDifferences, type FieldDifference } from '../../toolchain/scenario/differences.ts';
import { findPreset, type Preset } from '../../toolchain/scenario/presets.ts';
import { scenarioLinkerScript } from '../../toolchain/scenario/loop-config.ts';
import { explainVerdict } from '../../toolchain/kbuild/verdict-why.ts';
import { sweepRanges, type SweepLine, type SweepStepResult } from '../../toolchain/sweep/index.ts';
import { formatGapMiB, sameValue } from '../format.ts';
import { PASS_COLUMNS } from '../pass-columns.ts';
import { isActive } from './runs-slice.ts';
import { corpusField, corpusParamsOf } from './scenario-slice.ts';
import { cellCount, sweepChanges } from './sweep-slice.ts';
import type { AppState, CorpusKind, DraftField, ThemePreference } from './types.ts';

type Selector<T> = (state: AppState) => T;

/** Memoises `compute` on the identity of each input. */
function memo<Inputs extends unknown[], T>(
  inputs: { [K in keyof Inputs]: Selector<Inputs[K]> },
  compute: (...args: Inputs) => T,
): Selector<T> {
  let last: { args: unknown[]; value: T } | null = null;
  return (state) => {
    const args = inputs.map((input) => input(state));
    if (last && args.every((a, i) => Object.is(a, last!.args[i]))) return last.value;
    const value = compute(...(args as Inputs));
    last = { args, value };
    return value;
  };
}

const EMPTY_PASSES: PassRecord[] = [];
const NO_CHANGES: FieldDifference[] = [];
const EMPTY_SITES: RunRecord['callSites'] = [];

// ---- actions ---------------------------------------------------------------

export const selectActions = (s: AppState) => s.actions;

// ---- scenario --------------------------------------------------------------

export const selectScenario = (s: AppState) => s.scenario;
export const selectPresetId = (s: AppState) => s.presetId;
export const selectPreset = (s: AppState): Preset | null =>
  s.presetId ? (findPreset(s.presetId) ?? null) : null;
export const selectPermalinkError = (s: AppState) => s.permalinkError;

/**
 * What to say beside the preset's explanation (issue 9, point 3): a link is
 * never called a change the reader made. `fromLink`: how the link's scenario
 * differs from the preset; `edited`: what the reader changed since (from the
 * link's scenario, or from the preset when no link opened it).
 */
export const selectPresetNote = memo(
  [selectPreset, selectScenario, (s: AppState) => s.linked],
  (preset, scenario, linked) => {
    if (!preset) return null;
    const fromLink = linked ? scenarioDifferences(preset.scenario, linked) : NO_CHANGES;
    const edited = scenarioDifferences(linked ?? preset.scenario, scenario);
    return fromLink.length === 0 && edited.length === 0
      ? null
      : { fromLink, edited, linked: linked !== null };
  },
);

/** The template for the current arch and layout (what "reset to template" brings back). */
export const selectTemplateScript: Selector<string> = (() => {
  let last: { arch: string; layout: object; script: string } | null = null;
  return (s: AppState) => {
    const { arch, layout } = s.scenario;
    if (last?.arch === arch && last.layout === layout) return last.script;
    const script = scenarioLinkerScript({ ...s.scenario, linkerScript: null });
    last = { arch, layout, script };
    return script;
  };
})();
export const selectIsCustomScript = (s: AppState) => s.scenario.linkerScript !== null;

// ---- corpus ----------------------------------------------------------------

export const selectCorpusKind = (s: AppState): CorpusKind =>
  s.scenario.corpus === 'kernel-like' ? 'kernel-like' : 'generated';
/** The generated corpus's knobs (the generator's defaults while the corpus is the kernel-like one). */
export const selectCorpusParams = memo([(s: AppState) => s.scenario.corpus], corpusParamsOf);
/**
 * What a run of the form's scenario costs before it runs (scenario/cost.ts),
 * whether a link to it would ask first, and why the page would refuse it.
 */
export const selectScenarioCost = memo([selectScenario], (scenario) => {
  const cost = estimateRunCost(scenario);
  return {
    cost,
    overBudget: overLimits(cost, AUTO_RUN_BUDGET),
    refusal: pageCeilingRefusal(cost),
  };
});
/** A generated corpus being made in the worker for the run in flight, before its first link. */
export const selectCorpusProgress = (s: AppState) => s.current?.corpusProgress ?? null;

const corpusFieldValues = Object.fromEntries(
  GENERATED_PARAM_KEYS.map((key: GeneratedParamKey) => [
    corpusField(key),
    (s: AppState) => String(selectCorpusParams(s)[key]),
  ]),
) as Record<`corpus.${GeneratedParamKey}`, (s: AppState) => string>;

const fieldValue: Record<DraftField, (s: AppState) => string> = {
  gapMiB: (s) => formatGapMiB(s.scenario.layout.gap),
  align: (s) => String(s.scenario.layout.align),
  base: (s) => s.scenario.layout.base,
  maxPasses: (s) => String(s.scenario.maxPasses),
  extraLinkerFlags: (s) => s.scenario.extraLinkerFlags.join(' '),
  linkerScript: (s) => s.scenario.linkerScript ?? selectTemplateScript(s),
  ...corpusFieldValues,
};

/** What a field shows: the user's own text if they typed any, else the value. */
export const selectFieldText =
  (field: DraftField) =>
  (s: AppState): string =>
    s.drafts[field] ?? fieldValue[field](s);
export const selectFieldError =
  (field: DraftField) =>
  (s: AppState): string | null =>
    s.fieldErrors[field] ?? null;
export const selectHasFieldErrors = (s: AppState) => Object.keys(s.fieldErrors).length > 0;

// ---- toolchain -------------------------------------------------------------

export const selectToolchain = (s: AppState) => s.toolchain;
export const selectToolchainStatus = (s: AppState) => s.toolchain.status;
export const selectToolchainReady = (s: AppState) =>
  s.toolchain.status === 'ready' || s.toolchain.status === 'running';
/** Show the progress bar while the worker downloads and compiles. */
export const selectShowProgress = (s: AppState) =>
  s.toolchain.status === 'starting' || s.toolchain.status === 'downloading';

// ---- runs ------------------------------------------------------------------

export const selectCurrentRun = (s: AppState) => s.current;
export const selectRunPhase = (s: AppState) => s.current?.phase ?? null;
export const selectIsBusy = (s: AppState) => isActive(s.current);
/** Run or Step waits for the toolchain to be ready. */
export const selectPendingRun = (s: AppState) => s.pendingRun;
export const selectIsPaused = (s: AppState) => s.current?.phase === 'paused';
export const selectStepMode = (s: AppState) => isActive(s.current) && s.current!.stepMode;
export const selectPasses = (s: AppState): PassRecord[] => s.current?.passes ?? EMPTY_PASSES;
export const selectRecord = (s: AppState) => s.current?.record ?? null;
export const selectVerdict = (s: AppState): Verdict | null => s.current?.record?.verdict ?? null;
export const selectRunError = (s: AppState) => s.current?.error ?? null;
export const selectCallSites = (s: AppState): RunRecord['callSites'] =>
  s.current?.record?.callSites ?? EMPTY_SITES;

/**
 * How the form's scenario differs from the one the run on screen ran: the
 * result is out of date (empty while nothing differs, and while a run is in
 * flight, which the rule stops on any change).
 */
export const selectResultChanges = memo(
  [(s: AppState) => s.current, selectScenario],
  (current, scenario) =>
    current === null || isActive(current)
      ? NO_CHANGES
      : scenarioDifferences(current.scenario, scenario),
);
export const selectResultOutOfDate = (s: AppState) => selectResultChanges(s).length > 0;

/** A link's run held for its cost (scenario/cost.ts), shown with a button instead. */
export const selectHeld = (s: AppState) => s.held;

/** The panel a link asked to bring into view, once its run is there. */
export const selectFocus = (s: AppState) => s.prefs.focus;

/** Why Run and Step cannot start a run now, or null. */
export const selectRunBlockedReason = (s: AppState): string | null => {
  if (Object.keys(s.fieldErrors).length > 0) return 'Correct the fields marked invalid first.';
  return null;
};

/** The pass where two table objects first matched, or null: for the chart's markers. */
const convergedAt = (verdict: Verdict | null | undefined): number | null =>
  verdict?.kind === 'converged' ? verdict.passes : null;

export const selectConvergedAtPass = (s: AppState): number | null => convergedAt(selectVerdict(s));

export const selectLatestPass = (s: AppState): PassRecord | null => selectPasses(s).at(-1) ?? null;

/** The pass the maps and panels show: the one chosen, else the latest. */
export const selectChosenPass = (s: AppState): PassRecord | null => {
  const passes = selectPasses(s);
  const chosen = s.prefs.chosenPass;
  return (
    (chosen !== null ? passes.find((p) => p.pass === chosen) : undefined) ?? passes.at(-1) ?? null
  );
};
export const selectPassBeforeChosen = (s: AppState): PassRecord | null => {
  const chosen = selectChosenPass(s);
  if (!chosen) return null;
  return selectPasses(s).find((p) => p.pass === chosen.pass - 1) ?? null;
};

/** The linker's message, when ld.lld refused the (custom) script. */
export const selectLinkerScriptError = (s: AppState): string | null => {
  const verdict = selectVerdict(s);
  if (verdict?.kind !== 'link-failed' || !/\bld\.lld\b|\blld\b/.test(verdict.tool)) return null;
  return verdict.message;
};

export const selectSort = (s: AppState) => s.prefs.sort;

export const selectSortedPasses = memo([selectPasses, selectSort], (passes, sort) => {
  const column = PASS_COLUMNS.find((c) => c.column === sort.column) ?? PASS_COLUMNS[0];
  const sign = sort.direction === 'ascending' ? 1 : -1;
  // The link column shows "vmlinux" for the final link but sorts in link order.
  const value = column.column === 'pass' ? (p: PassRecord) => p.pass : column.value;
  return [...passes].sort((a, b) => {
    const va = value(a);
    const vb = value(b);
    // Empty cells last, whichever the direction.
    if (va === null || vb === null) return va === vb ? a.pass - b.pass : va === null ? 1 : -1;
    const order =
      typeof va === 'number' && typeof vb === 'number'
        ? va - vb
        : String(va).localeCompare(String(vb));
    return order === 0 ? a.pass - b.pass : sign * order;
  });
});

// ---- pinned run ------------------------------------------------------------

export const selectPinned = (s: AppState) => s.pinned;
/** A link's pinned scenario while it is linked. */
export const selectPinRun = (s: AppState) => s.pinRun;
/** How the pinned run's scenario differs from the form's (what the comparison compares). */
export const selectPinnedChanges = memo([selectPinned, selectScenario], (pinned, scenario) =>
  pinned ? scenarioDifferences(pinned.scenario, scenario) : NO_CHANGES,
);
/** What the chart overlays: the pinned run's passes with its label. */
export const selectPinnedSeries = memo([selectPinned], (pinned) =>
  pinned
    ? {
        label: pinned.label,
        passes: pinned.record.passes,
        convergedAtPass: convergedAt(pinned.record.verdict),
      }
    : null,
);
export const selectCanPin = (s: AppState) => s.current?.record != null;
/** The current run is the pinned one (nothing to compare yet). */
export const selectCurrentIsPinned = (s: AppState) =>
  s.pinned !== null && s.current?.record === s.pinned.record;

// ---- preferences -----------------------------------------------------------

export const selectThemePreference = (s: AppState): ThemePreference => s.prefs.theme;
export const selectEffectiveTheme = (s: AppState): 'light' | 'dark' =>
  s.prefs.theme === 'system' ? (s.prefs.systemDark ? 'dark' : 'light') : s.prefs.theme;
export const selectChosenPassNumber = (s: AppState) => s.prefs.chosenPass;

// ---- share -----------------------------------------------------------------

export const selectShare = (s: AppState) => s.share;
/** A link to the view needs a result that belongs to the form's scenario. */
export const selectCanShareView = (s: AppState) =>
  s.current?.phase === 'done' && !selectResultOutOfDate(s);

// ---- sweeps ----------------------------------------------------------------

export const selectSweepForm = (s: AppState) => s.sweep.form;
/** The second parameter of a phase map, as typed, or null. */
export const selectSweepSecond = (s: AppState) => s.sweep.second;
/** Cells (steps × steps2) the form asks for, when its steps are whole numbers. */
export const selectSweepCellCount = (s: AppState) => cellCount(s.sweep.form, s.sweep.second);
/** The sweep on screen is a phase map (two parameters). */
export const selectSweepIsMap = (s: AppState) => (s.sweep.run?.param2 ?? null) !== null;
export const selectSweepFormError = (s: AppState) => s.sweep.formError;
export const selectSweepRun = (s: AppState) => s.sweep.run;
export const selectSweepRunning = (s: AppState) => s.sweep.run?.status === 'running';
/** How the sweep's scenario differs from the form's, the swept parameter aside: out of date. */
export const selectSweepChanges = memo([selectSweepRun, selectScenario], (run, scenario) =>
  run ? sweepChanges(run, scenario) : NO_CHANGES,
);
/** The steps finished so far, in step order. */
export const selectSweepResults = memo([selectSweepRun], (run) =>
  run ? run.results.filter((r): r is SweepStepResult => r !== undefined) : [],
);
export const selectSweepProgress = memo([selectSweepRun, selectSweepResults], (run, results) =>
  run ? { done: results.length, total: run.scenarios.length } : null,
);
/** Where the verdict stays the same, over the steps finished so far (a one-parameter sweep's). */
export const selectSweepRanges = memo([selectSweepRun, selectSweepResults], (run, results) =>
  run?.param2 ? [] : sweepRanges(results),
);

/**
 * A phase map's verdicts along each row and each column, over the cells
 * finished so far (the record's grid says the same once every cell is in):
 * the one-parameter sweep's ranges, for every line of the map.
 */
export const selectSweepGridLines = memo([selectSweepRun], (run) => {
  if (!run || !run.values2) return null;
  const columns = run.values.length;
  const line = (
    value: SweepStepResult['value'],
    cells: Array<SweepStepResult | undefined>,
    along: 'value' | 'value2',
  ): SweepLine => ({
    value,
    ranges: sweepRanges(
      cells.flatMap((c, i) =>
        c === undefined ? [] : [{ ...c, index: i, value: along === 'value' ? c.value : c.value2! }],
      ),
    ),
  });
  return {
    byRow: run.values2.map((v2, r) =>
      line(v2, run.results.slice(r * columns, (r + 1) * columns), 'value'),
    ),
    byColumn: run.values.map((v, c) =>
      line(
        v,
        run.values2!.map((_, r) => run.results[r * columns + c]),
        'value2',
      ),
    ),
  };
});

/** The step or cell whose scenario the form holds now (marked in the chart and the map), or null. */
export const selectSweepChosenIndex = memo([selectSweepRun, selectScenario], (run, scenario) => {
  if (!run) return null;
  const at = run.scenarios.findIndex((cell) => sameValue(cell, scenario));
  return at < 0 ? null : at;
});

// ---- why and what would change it ----------------------------------------

/** The why of the verdict on screen, from its pass records (null: no verdict yet). */
export const selectVerdictWhy = memo([selectRecord], (record) =>
  record ? explainVerdict(record) : null,
);
/** The alternatives of the run on screen (never another run's). */
export const selectAlternatives = (s: AppState) =>
  s.alternatives !== null && s.alternatives.runId === s.current?.id ? s.alternatives : null;

// ---- the story -------------------------------------------------------------

export const selectStory = (s: AppState) => s.story;

// ---- diagnose your build ---------------------------------------------------

export const selectDiagnose = (s: AppState) => s.diagnose;
export const selectDiagnoseOpen = (s: AppState) => s.diagnose.open;
