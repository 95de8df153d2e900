/**
 * The generated corpus's knobs on the command line: `presets --params`
 * lists them, `run`/`sweep --corpus-param NAME=VALUE` sets them (the record
 * names the corpus that was linked), and bad values are refused with the
 * flag and the rule named.
 */
import { describe, expect, it } from 'vitest';
import { GENERATED_PARAM_INFO } from '../toolchain/corpus/generated/params.ts';
import { processIO } from './io.ts';
import { main } from './main.ts';

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

describe('kallsyms-lab presets --params', () => {
  it('lists every corpus parameter with its range, default and what it sets, and the caps', async () => {
    const { code, stdout } = await cli('presets', '--params');
    expect(code).toBe(0);
    expect(stdout).toContain('Caps: 500000 functions, 1000000 calls, 96 MiB of core text.');
    for (const info of GENERATED_PARAM_INFO) {
      expect(stdout).toMatch(new RegExp(`\\n${info.key} +${info.min}\\.\\.${info.max} +\\d+`));
    }
    expect(stdout).toMatch(
      /\nfunctionAlign +0\.\.4096 +0 \(the target's: 16 on ppc64, 4 on ppc32\)\n/,
    );
    expect(stdout).toMatch(/\npinnedAt +0\.\.1073741824 +34603008\n/);
  });

  it('without --params still lists the presets', async () => {
    const { stdout } = await cli('presets');
    expect(stdout).toMatch(/^small-converges +/);
    expect(stdout).toMatch(/\npinned-oscillates +Built to show the cycle/);
  });
});

describe('kallsyms-lab run --corpus-param', () => {
  it('links the corpus the knobs make, and the record names it (native)', async () => {
    const { code, stdout, stderr } = await cli(
      'run',
      ...['--preset', 'small-converges', '--toolchain', 'native', '--json'],
      ...['--corpus-param', 'symbols=2000', '--corpus-param', 'objects=16'],
      ...['--corpus-param', 'initFunctions=200'],
      ...['--corpus-param', 'nameLength=40', '--corpus-param', 'functionAlign=8'],
    );
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const record = JSON.parse(stdout);
    // The kernel-like preset switched to a generated corpus: defaults for the knobs not given.
    expect(record.scenario.corpus).toBe(
      'generated-v1?symbols=2000&objects=16&initFunctions=200&functionAlign=8&nameLength=40',
    );
    expect(record.corpus.compiler).toBe('kallsyms-lab generator v1');
    expect(record.corpus.objects).toHaveLength(16);
    expect(record.verdict.kind).toBe('converged');
    expect(record.passes[0].tableObject.counts.tableSymbols).toBeGreaterThanOrEqual(2000);
  });

  it.each([
    [
      ['nameLength'],
      /--corpus-param nameLength: write NAME=VALUE, e\.g\. --corpus-param nameLength=40\./,
    ],
    [
      ['colour=3'],
      /--corpus-param colour=3: unknown parameter "colour"; use one of seed, symbols,/,
    ],
    [
      ['symbols=1e5'],
      /--corpus-param symbols=1e5: symbols takes a whole number \(decimal digits\)/,
    ],
    [['symbols=-3'], /symbols takes a whole number/],
    [['symbols='], /symbols takes a whole number/],
    [['seed=1', 'seed=2'], /--corpus-param seed is given twice/],
    [['nameLength=200'], /corpus after --corpus-param: nameLength: .*100/],
    [['nearShare=50'], /nearShare: nearTargets and nearShare go together/],
    [['symbols=2000'], /initFunctions: at most a third of the symbols can be __init functions/],
    [['functionAlign=24'], /functionAlign: must be 0 or a power of two/],
  ])('refuses %j (exit 2)', async (given, message) => {
    const args = given.flatMap((g) => ['--corpus-param', g]);
    const { code, stderr } = await cli('run', '--preset', 'small-converges', ...args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});
