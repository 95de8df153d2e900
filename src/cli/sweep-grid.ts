/**
 * How `kallsyms-lab sweep --param2 …` prints a phase map: the first
 * parameter across, the second down, each cell its verdict's letter and the
 * trial links the loop made (`C2`, `I3`, `N16`), then a legend, the values
 * of the columns, and how many cells had each verdict.
 */
import {
  formatSweepValue,
  secondAxis,
  sweepUnitSuffix,
  type SweepAxis,
  type SweepPlan,
  type SweepValue,
} from '../toolchain/sweep/request.ts';
import {
  VERDICT_KINDS,
  type SweepRecord,
  type SweepStepResult,
  type VerdictKind,
} from '../toolchain/sweep/result.ts';

export const VERDICT_LETTERS: Record<VerdictKind, string> = {
  converged: 'C',
  inconsistent: 'I',
  'not-converged': 'N',
  oscillating: 'O',
  'link-failed': 'F',
};

/** Width of a cell: a letter and up to two digits of trial links. */
const CELL = 3;

function rowLabelWidth(plan: SweepPlan): number {
  const axis2 = secondAxis(plan.request)!;
  const labels = [axis2.from, axis2.to].map((v) => label(axis2.param, v));
  return Math.max(axis2.param.length, ...labels.map((l) => l.length)) + 1;
}

const label = (param: SweepAxis, value: SweepValue) => formatSweepValue(param, value);

/** The title, and a header naming each column by its number (the values follow the grid). */
export function gridTitleLines(plan: SweepPlan): string[] {
  const { request } = plan;
  const axis2 = secondAxis(request)!;
  const unit = (p: SweepAxis) => sweepUnitSuffix(p).trim();
  const named = (p: SweepAxis) => (unit(p) ? `${p} (${unit(p)})` : p);
  const width = rowLabelWidth(plan);
  const header = Array.from({ length: request.steps }, (_, i) => String(i + 1).padStart(CELL)).join(
    ' ',
  );
  return [
    `Phase map: ${named(request.param)} across (${request.steps} columns), ` +
      `${named(axis2.param)} down (${axis2.steps} rows); each cell: verdict letter, trial links`,
    '',
    `${axis2.param.padStart(width)} ${header}`,
  ];
}

/** One row of the map, from its cells in column order. */
export function gridRowLines(plan: SweepPlan, row: readonly SweepStepResult[]): string[] {
  const axis2 = secondAxis(plan.request)!;
  const width = rowLabelWidth(plan);
  const cells = row.map((r) =>
    `${VERDICT_LETTERS[r.verdict]}${String(r.passes).padStart(CELL - 1)}`.padStart(CELL),
  );
  return [`${label(axis2.param, row[0].value2!).padStart(width)} ${cells.join(' ')}`];
}

/** Legend, the value of every column, and the count of cells per verdict. */
export function gridSummaryLines(record: SweepRecord): string[] {
  const columns = record.steps.slice(0, record.grid!.columns).map((s) => s.value);
  const suffix = sweepUnitSuffix(record.param);
  const values: string[] = [];
  let line = `columns (${record.param}${suffix ? `,${suffix}` : ''}):`;
  columns.forEach((v, i) => {
    const item = ` ${i + 1}=${label(record.param, v)}`;
    if (line.length + item.length > 100) {
      values.push(line);
      line = ' ';
    }
    line += item;
  });
  values.push(line);
  const counts = VERDICT_KINDS.map((kind) => ({
    kind,
    n: record.steps.filter((s) => s.verdict === kind).length,
  })).filter((c) => c.n > 0);
  return [
    ...values,
    'letters: ' +
      VERDICT_KINDS.map((k) => `${VERDICT_LETTERS[k]} ${k}`).join(', ') +
      '; the number is the trial links made',
    'cells: ' + counts.map((c) => `${c.kind} ${c.n}`).join(', '),
  ];
}
