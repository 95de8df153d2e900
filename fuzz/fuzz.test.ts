/**
 * A fast slice of `npm run fuzz` (issue 10): a few hundred hostile scenario
 * files, listings, permalinks and command lines, through the CLI in-process
 * and as real processes, and through the permalink decoder. None may crash,
 * hang, or write (or read and print) outside its own directories.
 */
import { describe, expect, it } from 'vitest';
import { classifyCli, Collected } from './classify.ts';
import { fuzz } from './fuzz.ts';

describe('the fuzz runner', () => {
  it('a seeded slice: nothing crashes, hangs or touches the tree', async () => {
    const report = await fuzz({
      seed: 20261201,
      scenarios: 30,
      listings: 60,
      links: 150,
      argvs: 30,
      processes: 4,
      heavy: false,
    });
    const all = report.byKind.all;
    const failures = report.failures.map((f) => `#${f.id} ${f.outcome} ${f.label}: ${f.detail}`);
    expect(failures).toEqual([]);
    expect(all).toMatchObject({ tried: 270, crashed: 0, hung: 0, outside: 0 });
    // The generator makes both kinds of input, for each kind.
    for (const kind of ['scenario', 'listing', 'link', 'argv'] as const) {
      expect(report.byKind[kind].refused, kind).toBeGreaterThan(0);
      expect(report.byKind[kind].ran, kind).toBeGreaterThan(0);
    }
    expect(report.results.filter((r) => r.process).length).toBeGreaterThanOrEqual(3);
  });

  it('would count a stack trace, an internal error or a raw control byte as a crash', () => {
    const out = (text: string) => {
      const c = new Collected('CANARY');
      c.add(text);
      return c;
    };
    const judge = (code: number, stderr: string, stdout = '') =>
      classifyCli(['run'], { code, stdout: out(stdout), stderr: out(stderr) }).outcome;
    expect(judge(2, 'kallsyms-lab run: bad input\n')).toBe('refused');
    expect(judge(1, '', 'Link failed\n')).toBe('ran');
    expect(judge(2, 'Error: x\n    at main (main.ts:1:1)\n')).toBe('crashed');
    expect(judge(70, 'kallsyms-lab run: internal error: x\n')).toBe('crashed');
    expect(judge(2, 'kallsyms-lab run: a\nsecond line\n')).toBe('crashed');
    expect(judge(0, '', 'verdict \u009b31m\n')).toBe('crashed');
    expect(judge(1, '', 'CANARY-1\n')).toBe('leaked');
  });
});
