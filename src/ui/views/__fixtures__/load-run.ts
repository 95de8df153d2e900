/**
 * Test fixtures: real run records from `npx kallsyms-lab run --preset ID
 * --json`, trimmed by trim-run.mjs (see there for what was dropped and how
 * the reach data is stored), turned back into the RunRecord shape.
 */
import type { RunRecord } from '../../../toolchain/kbuild/records.ts';
import powerpc2020 from './powerpc-2020.json' with { type: 'json' };
import ppc32Thunks from './ppc32-thunks.json' with { type: 'json' };

interface TrimmedReach extends Omit<
  RunRecord['passes'][number]['reach'],
  'distances' | 'siteIndex'
> {
  distances?: number[];
  distanceShift?: number;
}
interface TrimmedRun extends Omit<RunRecord, 'passes' | 'callSites'> {
  passes: Array<Omit<RunRecord['passes'][number], 'reach'> & { reach: TrimmedReach }>;
  callSiteColumns: { objects: string[]; targets: string[]; forms: string[]; rows: number[] };
}

function restore(trimmed: TrimmedRun): RunRecord {
  const c = trimmed.callSiteColumns;
  const callSites: RunRecord['callSites'] = [];
  for (let i = 0; i < c.rows.length; i += 4)
    callSites.push({
      object: c.objects[c.rows[i]],
      offset: c.rows[i + 1],
      target: c.targets[c.rows[i + 2]],
      form: c.forms[c.rows[i + 3]],
      // The fixtures were recorded before sites named their calling
      // function; the views do not use it.
      caller: '',
      callerOffset: 0,
    });
  let before: number[] = [];
  const passes = trimmed.passes.map((p) => {
    const { distanceShift, distances, ...reach } = p.reach;
    const restored = distances ?? before.map((d) => d + (distanceShift ?? 0));
    before = restored;
    return { ...p, reach: { ...reach, distances: restored, siteIndex: restored.map((_, i) => i) } };
  });
  const { callSiteColumns: _columns, ...rest } = trimmed;
  void _columns;
  return { ...rest, passes, callSites };
}

export const FIXTURES = {
  /** v5.9 on ppc64le: 3 trials + vmlinux, "Inconsistent kallsyms data"; no .rodata in pass 1. */
  'powerpc-2020': restore(powerpc2020 as unknown as TrimmedRun),
  /** latest on ppc32: 2 trials + vmlinux, converged; __LongThunk_ stubs; 32-bit addresses. */
  'ppc32-thunks': restore(ppc32Thunks as unknown as TrimmedRun),
} satisfies Record<string, RunRecord>;
