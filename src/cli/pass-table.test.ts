/**
 * `kallsyms-lab run` prints, beside each trial, the growth ratio it
 * measured and what it predicts (real links, native ld.lld).
 */
import { describe, expect, it } from 'vitest';
import { processIO } from './io.ts';
import { main } from './main.ts';

async function run(...argv: string[]) {
  let stdout = '';
  const code = await main(['run', ...argv], {
    stdout: (t) => {
      stdout += typeof t === 'string' ? t : new TextDecoder().decode(t);
    },
    stderr: () => {},
    readInput: processIO.readInput,
  });
  return { code, lines: stdout.split('\n') };
}

/** The last four columns of a row: bytes per stub, spacing, ratio, prediction. */
const growthColumns = (line: string) =>
  line
    .trim()
    .split(/\s{2,}/)
    .slice(-4);

describe('the pass table: the growth ratio of each pass', () => {
  it('pinned-oscillates: fixed-address targets 18–21 bytes apart, ratio below −1, "cycles"', async () => {
    const { code, lines } = await run('--preset', 'pinned-oscillates', '--toolchain', 'native');
    expect(code).toBe(1);
    expect(lines[0]).toMatch(/link ms {2}B\/stub {6}spacing {3}ratio {3}predicts$/);
    expect(growthColumns(lines[2])).toEqual(['23.4', 'f18.3', '-1.28', 'cycles']);
    expect(growthColumns(lines[3])).toEqual(['23.4', '3.1M f21.0', '-1.11', 'cycles']);
  });

  it('powerpc-2020: core targets hundreds of bytes apart, the growth "dies out"; vmlinux has none', async () => {
    const { lines } = await run('--preset', 'powerpc-2020', '--toolchain', 'native');
    expect(growthColumns(lines[2])).toEqual(['16.0', '162', '0.10', 'dies out']);
    expect(lines[4]).toMatch(/^vmlinux {2}vmlinux .* {5}- {12}- {7}- {10}-$/);
  });
});
