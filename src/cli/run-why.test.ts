/**
 * `run --why` and `run --alternatives`: the CLI tells why a verdict came
 * about in the pass records' own numbers, and what would change it by
 * running each alternative for real; an alternative's outcome is the one a
 * plain `run` of that change gives.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../toolchain/kbuild/records.ts';
import { cli } from './testing/cli.ts';

interface WhyJson extends RunRecord {
  why: { sentences: string[]; brief: string[] };
  alternatives: Array<{ id: string; label: string; verdict: string; summary: string }>;
}

describe('kallsyms-lab run --why --alternatives (powerpc-2020)', () => {
  it('names each trial link with the stubs its pass record counts, and each alternative ends as its own run does', async () => {
    const { code, stdout } = await cli([
      'run',
      '--preset',
      'powerpc-2020',
      '--why',
      '--alternatives',
      '--json',
    ]);
    expect(code).toBe(1);
    const record = JSON.parse(stdout) as WhyJson;
    expect(record.verdict.kind).toBe('inconsistent');
    // Every image after the first: its sentence names it and the stubs its record added.
    const trials = record.passes.filter((p) => p.step === 'trial');
    for (const pass of trials.slice(1)) {
      const sentence = record.why.sentences.find((s) => s.startsWith(`Trial link ${pass.pass} `));
      expect(sentence, `trial link ${pass.pass}`).toBeDefined();
      expect(sentence).toContain(
        `the linker added ${pass.stubs.added.length.toLocaleString('en-US')} stub`,
      );
    }
    // The alternatives, each against a plain run of the same change.
    const byId = new Map(record.alternatives.map((a) => [a.id, a]));
    const plain = async (...flags: string[]) => {
      const run = await cli(['run', '--preset', 'powerpc-2020', ...flags, '--json']);
      return (JSON.parse(run.stdout) as RunRecord).verdict.summary;
    };
    expect(byId.get('eight-passes')?.summary).toBe(await plain('--strategy', 'eight-passes'));
    expect(byId.get('extra-pass')?.summary).toBe(await plain('--extra-pass'));
    expect(byId.get('filter-lld-stubs')?.summary).toBe(await plain('--filter-lld-stubs'));
    expect(byId.get('eight-passes')?.verdict).toBe('converged');
    expect(byId.get('extra-pass')?.verdict).toBe('inconsistent');
  }, 300_000);

  it('prints the short why after the verdict, then each alternative with how its run ended', async () => {
    const { code, stdout } = await cli(['run', '--preset', 'small-converges', '--alternatives']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/\nWhy \(--why tells it link by link\):\n {2}Trial link 1 /);
    const tried = stdout
      .split('What would change it (each run for real):\n')[1]!
      .trimEnd()
      .split('\n');
    expect(tried.length).toBeGreaterThan(0);
    // small-converges converges however it is run: every alternative says so.
    for (const line of tried) expect(line).toMatch(/^ {2}[^:]+: Converged after \d+ trial links/);
  }, 120_000);
});
