import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findPreset } from '../toolchain/scenario/presets.ts';
import { sweepRecordSchema } from '../toolchain/sweep/result.ts';
import { processIO } from './io.ts';
import { main } from './main.ts';

/** Runs the CLI in-process and collects what it prints. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += typeof t === 'string' ? t : new TextDecoder().decode(t);
    },
    stderr: (t) => {
      stderr += t;
    },
    readInput: processIO.readInput,
  });
  return { code, stdout, stderr };
}

/**
 * powerpc-2020's gap from 31.5 to 31.9 MiB, where the v5.9 verdict flips
 * three times. Measured independently of the engine with
 * scripts/reenact-link-vmlinux.sh (Debian's ld.lld-16, llvm-nm-16, sed and
 * clang-16; kallsyms-lab only as scripts/kallsyms) on each gap's linker
 * script, stubs counted with `llvm-nm-16 vmlinux | grep -c __long_branch_`:
 * trial links, symbols in the last table, stubs in vmlinux.
 */
const MEASURED = [
  { gap: '31.5', verdict: 'converged', passes: 2, syms: 2773, stubs: 0 },
  { gap: '31.6', verdict: 'converged', passes: 2, syms: 2773, stubs: 0 },
  { gap: '31.7', verdict: 'inconsistent', passes: 3, syms: 3147, stubs: 376 },
  { gap: '31.8', verdict: 'converged', passes: 3, syms: 3357, stubs: 584 },
  { gap: '31.9', verdict: 'inconsistent', passes: 3, syms: 4411, stubs: 1638 },
];
const SWEEP = ['--preset', 'powerpc-2020', '--param', 'gap', '--from', '31.5', '--to', '31.9'];

describe('kallsyms-lab sweep on real links', () => {
  it('prints a line per step in gap order, then where it converges and where not (wasm)', async () => {
    const { code, stdout, stderr } = await cli('sweep', ...SWEEP, '--steps', '5', '--jobs', '2');
    expect(stderr).toBe('');
    expect(code).toBe(1); // some step did not converge
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(/^\s+gap MiB\s+verdict\s+trials\s+table syms\s+stubs\s+ms$/);
    MEASURED.forEach((m, i) => {
      expect(lines[1 + i].trim().split(/\s+/).slice(0, 5)).toEqual([
        m.gap,
        m.verdict,
        String(m.passes),
        String(m.syms),
        String(m.stubs),
      ]);
    });
    expect(lines.slice(7, 11)).toEqual([
      'gap 31.5 … 31.6 MiB: converged (2 steps)',
      'gap 31.7 MiB: inconsistent (1 step)',
      'gap 31.8 MiB: converged (1 step)',
      'gap 31.9 MiB: inconsistent (1 step)',
    ]);
    expect(lines[11]).toMatch(/^5 steps in [\d.]+ s on 2 wasm workers$/);
  });

  it('--json prints the sweep record, valid by its schema (native), and one step matches `run`', async () => {
    const sweep = await cli('sweep', ...SWEEP, '--steps', '5', '--toolchain', 'native', '--json');
    expect(sweep.code).toBe(1);
    const record = sweepRecordSchema.parse(JSON.parse(sweep.stdout));
    expect(record).toMatchObject({ toolchain: 'native', preset: 'powerpc-2020', param: 'gap' });
    expect(record.steps.map((s) => [s.verdict, s.passes, s.tableSymbols, s.stubs])).toEqual(
      MEASURED.map((m) => [m.verdict, m.passes, m.syms, m.stubs]),
    );
    expect(record.ranges.map((r) => [r.verdict, r.first, r.last])).toEqual([
      ['converged', 0, 1],
      ['inconsistent', 2, 2],
      ['converged', 3, 3],
      ['inconsistent', 4, 4],
    ]);

    // The step at 31.7 MiB against `run --gap` with its value: the same run, the same facts.
    const step = record.steps[2];
    const run = await cli(
      'run',
      '--preset',
      'powerpc-2020',
      '--gap',
      String(step.value),
      '--toolchain',
      'native',
      '--json',
    );
    expect(run.code).toBe(1);
    const runRecord = JSON.parse(run.stdout);
    expect(runRecord.scenario.layout.gap).toBe(Math.round(31.7 * 1024 * 1024));
    expect(runRecord.verdict.kind).toBe(step.verdict);
    expect(runRecord.verdict.passes).toBe(step.passes);
    expect(runRecord.verdict.summary).toBe(step.summary);
    expect(runRecord.passes.at(-2).tableObject.counts.tableSymbols).toBe(step.tableSymbols);
    expect(runRecord.passes.at(-1).stubs.total).toBe(step.stubs);
  });

  it('says which tool is missing when --toolchain native finds none (exit 2)', async () => {
    const path = process.env.PATH;
    process.env.PATH = '/nonexistent'; // worker threads copy the environment when they start
    try {
      const { code, stderr } = await cli(
        'sweep',
        ...SWEEP,
        '--steps',
        '2',
        '--toolchain',
        'native',
      );
      expect(code).toBe(2);
      expect(stderr).toMatch(/^kallsyms-lab sweep: ld\.lld was not found on PATH/);
    } finally {
      process.env.PATH = path;
    }
  });
});

describe('kallsyms-lab sweep through the installed launcher', () => {
  it('loads its worker threads under tsx', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    const args = ['kallsyms-lab', 'sweep', '--preset', 'small-converges', '--param', 'gap'];
    args.push('--from', '8', '--to', '9', '--steps', '2', '--toolchain', 'native', '--json');
    const stdout = await new Promise<string>((resolve, reject) =>
      execFile('npx', args, { cwd: root, maxBuffer: 1 << 24 }, (error, out, err) =>
        error ? reject(new Error(`${error.message}\n${err}`)) : resolve(out),
      ),
    );
    const record = sweepRecordSchema.parse(JSON.parse(stdout));
    // Both measured with scripts/reenact-link-vmlinux.sh and lld-16: two trial links, no stubs.
    expect(record.steps.map((s) => [s.value, s.verdict, s.passes, s.stubs])).toEqual([
      [8, 'converged', 2, 0],
      [9, 'converged', 2, 0],
    ]);
  });
});

describe('kallsyms-lab sweep: bad input (exit 2)', () => {
  const ok = ['--preset', 'powerpc-2020', '--param', 'gap', '--from', '28', '--to', '36'];

  it.each([
    [['--steps', '1'], /--steps "1": give a whole number from 2 to 256, e\.g\. --steps 64\./],
    [['--steps', '257'], /--steps "257": give a whole number from 2 to 256/],
    [['--steps', 'many'], /--steps "many": give a whole number from 2 to 256/],
    [
      ['--steps', '4', '--jobs', '0'],
      /--jobs "0": give a whole number of 1 or more, e\.g\. --jobs 2\./,
    ],
    [['--steps', '4', '--toolchain', 'gcc'], /Unknown toolchain "gcc": use wasm or native\./],
  ])('%j', async (extra, message) => {
    const { code, stderr } = await cli('sweep', ...ok, ...extra);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('names an unknown preset and lists the known ones', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...['--preset', 'nope', '--param', 'gap', '--from', '28', '--to', '36', '--steps', '4'],
    );
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown preset "nope": use one of small-converges, powerpc-2020');
  });

  it('names an unknown parameter and lists the known ones', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...['--preset', 'powerpc-2020', '--param', 'strategy', '--from', '1', '--to', '2'],
      ...['--steps', '2'],
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      'Unknown parameter "strategy": use one of gap, align, base, maxPasses, or a generated corpus parameter',
    );
  });

  it('says a bound is not a number, with an example', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...['--preset', 'powerpc-2020', '--param', 'gap', '--from', 'far', '--to', '36'],
      ...['--steps', '4'],
    );
    expect(code).toBe(2);
    expect(stderr).toContain('--from "far": give a decimal number, e.g. --from 31.5 (MiB).');
  });

  it('lists what is missing, pointing at the usage', async () => {
    const { code, stderr } = await cli('sweep', '--preset', 'powerpc-2020', '--param', 'gap');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'kallsyms-lab sweep: Missing --from, --to, --steps (see kallsyms-lab sweep --help).\n',
    );
  });

  it('reports a value out of the scenario’s range with the step and the schema’s words', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...['--preset', 'powerpc-2020', '--param', 'gap', '--from', '1020', '--to', '1030'],
      ...['--steps', '3'],
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      'step 3 of 3 (gap 1030 MiB): layout.gap: must be at most 1073741824 (1 GiB)',
    );
  });

  it('refuses a maxPasses sweep of a strategy that ignores it', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...['--preset', 'powerpc-2020', '--param', 'maxPasses', '--from', '2', '--to', '8'],
      ...['--steps', '4'],
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/maxPasses caps only the fixpoint strategy/);
  });

  it('reads --scenario FILE, and says when its own linker script ignores the parameter', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'kallsyms-lab-sweep-')), 'scenario.json');
    const scenario = { ...findPreset('lld-today')!.scenario, linkerScript: 'SECTIONS {}' };
    writeFileSync(file, JSON.stringify(scenario));
    const { code, stderr } = await cli(
      'sweep',
      ...['--scenario', file, '--param', 'gap', '--from', '28', '--to', '36', '--steps', '4'],
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/own linker script, which does not read layout\.gap/);
  });

  it('is listed in the top-level help, and has its own', async () => {
    expect((await cli('--help')).stdout).toMatch(/\n {2}sweep {7}run a scenario across a range/);
    const help = await cli('sweep', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: kallsyms-lab sweep /);
  });
});
