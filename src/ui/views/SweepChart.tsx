/**
 * A sweep at a glance: the loop's trial links (y) against the swept
 * parameter (x), one mark per step, the verdict told by colour and shape
 * (never colour alone) and by a band per range of equal verdicts.
 */
import {
  CartesianGrid,
  ReferenceArea,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type {
  SweepParam,
  SweepRange,
  SweepStepResult,
  SweepValue,
  VerdictKind,
} from '../../toolchain/sweep/index.ts';
import {
  describeSweepRange,
  formatSweepValue,
  sweepUnitSuffix,
} from '../../toolchain/sweep/index.ts';

export interface SweepChartProps {
  param: SweepParam;
  /** Every step's value, in step order (the x axis spans them all from the start). */
  values: SweepValue[];
  results: SweepStepResult[];
  ranges: SweepRange[];
}

type Shape = 'circle' | 'cross' | 'triangle' | 'diamond' | 'square';

const VERDICT_MARKS: Record<VerdictKind, { label: string; colour: string; shape: Shape }> = {
  converged: { label: 'converged', colour: 'var(--kv-success)', shape: 'circle' },
  inconsistent: { label: 'inconsistent', colour: 'var(--kv-danger)', shape: 'cross' },
  'not-converged': { label: 'not converged', colour: 'var(--kv-warn)', shape: 'triangle' },
  oscillating: { label: 'oscillating', colour: 'var(--kv-warn)', shape: 'diamond' },
  'link-failed': { label: 'link failed', colour: 'var(--kv-muted)', shape: 'square' },
};

/** "Sweep of gap from 28 to 36 MiB in 64 steps; 64 done. gap 28 … 31.1 MiB: converged (15 steps)." */
function sweepChartSummary(
  param: SweepParam,
  values: SweepValue[],
  results: SweepStepResult[],
  ranges: SweepRange[],
): string {
  if (values.length === 0) return 'Sweep: no steps.';
  const span = `${formatSweepValue(param, values[0])} to ${formatSweepValue(param, values.at(-1)!)}${sweepUnitSuffix(param)}`;
  let s = `Sweep of ${param} from ${span} in ${values.length} steps; ${results.length} done.`;
  for (const r of ranges) s += ` ${describeSweepRange(param, r, VERDICT_MARKS[r.verdict].label)}.`;
  return s;
}

export function SweepChart({ param, values, results, ranges }: SweepChartProps) {
  const summary = sweepChartSummary(param, values, results, ranges);
  const byVerdict = new Map<VerdictKind, Array<SweepStepResult & { x: number }>>();
  for (const r of results) {
    const list = byVerdict.get(r.verdict) ?? [];
    list.push({ ...r, x: r.index });
    byVerdict.set(r.verdict, list);
  }
  const maxPasses = Math.max(2, ...results.map((r) => r.passes));
  // The x axis is the step index (even steps of the parameter), labelled with values.
  const tickEvery = Math.max(1, Math.ceil(values.length / 8));
  const ticks = values
    .map((_, i) => i)
    .filter((i) => i % tickEvery === 0 || i === values.length - 1);
  const label = (i: number) => (values[i] === undefined ? '' : formatSweepValue(param, values[i]));

  return (
    <figure className="kv-view kv-sweep-chart">
      <div role="img" aria-label={summary} data-steps-done={results.length}>
        <ResponsiveContainer width="100%" height={220}>
          <ScatterChart
            margin={{ top: 12, right: 24, bottom: 8, left: 8 }}
            accessibilityLayer={false}
          >
            <CartesianGrid className="kv-grid" strokeDasharray="2 4" />
            {ranges.map((r) => (
              <ReferenceArea
                key={`${r.first}-${r.verdict}`}
                x1={r.first - 0.5}
                x2={r.last + 0.5}
                fill={VERDICT_MARKS[r.verdict].colour}
                fillOpacity={0.08}
                ifOverflow="extendDomain"
              />
            ))}
            <XAxis
              dataKey="x"
              type="number"
              domain={[-0.5, Math.max(0.5, values.length - 0.5)]}
              ticks={ticks}
              tickFormatter={label}
              stroke="var(--kv-muted)"
              tick={{ fill: 'var(--kv-muted)', fontSize: 11 }}
              label={{
                value: `${param}${sweepUnitSuffix(param) ? ` (${sweepUnitSuffix(param).trim()})` : ''}`,
                position: 'insideBottomRight',
                offset: -4,
                fill: 'var(--kv-muted)',
                fontSize: 11,
              }}
            />
            <YAxis
              dataKey="passes"
              type="number"
              domain={[0, maxPasses + 1]}
              allowDecimals={false}
              width={48}
              stroke="var(--kv-muted)"
              tick={{ fill: 'var(--kv-muted)', fontSize: 11 }}
              label={{
                value: 'trial links',
                angle: -90,
                position: 'insideLeft',
                fill: 'var(--kv-muted)',
                fontSize: 11,
              }}
            />
            <Tooltip
              isAnimationActive={false}
              content={({ active, payload }) => {
                const r = active
                  ? (payload?.[0]?.payload as SweepStepResult | undefined)
                  : undefined;
                if (!r) return null;
                return (
                  <div className="kv-tooltip">
                    <strong>
                      {param} {formatSweepValue(param, r.value)}
                      {sweepUnitSuffix(param)}
                    </strong>
                    <div>{r.summary}</div>
                    <div>
                      {r.tableSymbols ?? '—'} table symbols, {r.stubs ?? '—'} stubs,{' '}
                      {Math.round(r.ms)} ms
                    </div>
                  </div>
                );
              }}
            />
            {[...byVerdict].map(([verdict, points]) => (
              <Scatter
                key={verdict}
                name={VERDICT_MARKS[verdict].label}
                data={points}
                fill={VERDICT_MARKS[verdict].colour}
                shape={VERDICT_MARKS[verdict].shape}
                isAnimationActive={false}
              />
            ))}
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <figcaption className="kv-caption">
        <ul className="kv-legend" aria-label="Verdicts">
          {(Object.keys(VERDICT_MARKS) as VerdictKind[])
            .filter((v) => byVerdict.has(v))
            .map((v) => (
              <li key={v} className="kv-legend-item" data-verdict={v}>
                <svg width="14" height="14" aria-hidden="true">
                  <VerdictSymbol verdict={v} />
                </svg>{' '}
                {VERDICT_MARKS[v].label}
              </li>
            ))}
        </ul>
      </figcaption>
    </figure>
  );
}

function VerdictSymbol({ verdict }: { verdict: VerdictKind }) {
  const { colour, shape } = VERDICT_MARKS[verdict];
  switch (shape) {
    case 'circle':
      return <circle cx="7" cy="7" r="5" fill={colour} />;
    case 'square':
      return <rect x="2" y="2" width="10" height="10" fill={colour} />;
    case 'triangle':
      return <polygon points="7,1 13,13 1,13" fill={colour} />;
    case 'diamond':
      return <polygon points="7,1 13,7 7,13 1,7" fill={colour} />;
    case 'cross':
      return <path d="M2 2 L12 12 M12 2 L2 12" stroke={colour} strokeWidth="3" />;
  }
}
