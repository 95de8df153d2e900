/**
 * The engine as a worker calls it: from a Blob (a dropped File) or from
 * transferred bytes, with progress that only goes forward and ends at 1,
 * stopped by an AbortSignal between steps, and a result that is plain data.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../kallsyms/testing/fixtures.ts';
import { blobSource, bytesSource, diagnose, type DiagnoseProgress } from './index.ts';

const listing = new Uint8Array(Buffer.from(readFixture('medium.nm'), 'latin1'));

describe('diagnose', () => {
  it('gives the same diagnosis from a Blob as from bytes, as plain data', async () => {
    const fromBytes = await diagnose([bytesSource('medium.nm', listing)]);
    const fromBlob = await diagnose([blobSource('medium.nm', new Blob([listing]))]);
    expect(fromBlob).toEqual(fromBytes);
    // Plain data: survives JSON (and so structured clone) unchanged.
    expect(JSON.parse(JSON.stringify(fromBytes))).toEqual(fromBytes);
  });

  it('reports progress that only goes forward and ends at 1, for one input and for two', async () => {
    for (const sources of [
      [bytesSource('a', listing)],
      [bytesSource('a', listing), bytesSource('b', listing)],
    ]) {
      const seen: DiagnoseProgress[] = [];
      await diagnose(sources, {}, { onProgress: (p) => seen.push(p) });
      const fractions = seen.map((p) => p.fraction);
      for (let i = 1; i < fractions.length; i++)
        expect(fractions[i]).toBeGreaterThanOrEqual(fractions[i - 1]);
      expect(fractions.at(-1)).toBe(1);
      expect(new Set(seen.map((p) => p.phase))).toEqual(
        new Set([
          'read',
          'list',
          'kallsyms',
          'linker-symbols',
          ...(sources.length === 2 ? ['compare'] : []),
        ]),
      );
      if (sources.length === 2) expect(seen.some((p) => p.input === 1)).toBe(true);
    }
  });

  it('stops at the next step when its signal is aborted', async () => {
    const controller = new AbortController();
    const phases: string[] = [];
    const run = diagnose(
      [bytesSource('a', listing)],
      {},
      {
        signal: controller.signal,
        onProgress: (p) => {
          phases.push(p.phase);
          if (p.phase === 'kallsyms') controller.abort();
        },
      },
    );
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(phases).not.toContain('linker-symbols');
  });

  it('compares two listings that are the same: both checks pass, the cause says so', async () => {
    const result = await diagnose([bytesSource('a', listing), bytesSource('b', listing)]);
    if (result.inputs !== 2) throw new Error('two inputs');
    expect(result.comparison.systemMaps.map((m) => m.check.ok)).toEqual([true, true]);
    expect(result.comparison.causes.map((c) => c.kind)).toEqual(['identical']);
  });
});
