/**
 * `kallsyms-lab sweep --param2 …`: a phase map on real links, printed as a
 * grid and recorded as JSON, and the mistakes a user can make with it.
 */
import { describe, expect, it } from 'vitest';
import { sweepRecordSchema } from '../toolchain/sweep/result.ts';
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

/** pinned-oscillates across pinnedAt (converged, oscillating, converged) and two pinned spacings. */
const MAP = [
  ...['--preset', 'pinned-oscillates', '--param', 'pinnedAt'],
  ...['--from', '33630000', '--to', '33700000', '--steps', '3'],
  ...['--param2', 'pinnedSpacing', '--from2', '60', '--to2', '76', '--steps2', '2'],
  ...['--toolchain', 'native'],
];

describe('kallsyms-lab sweep over two parameters (real links)', () => {
  it('prints a grid: a row per pinnedSpacing, a cell per pinnedAt, verdict letter and trial links', async () => {
    const { code, stdout, stderr } = await cli('sweep', ...MAP, '--jobs', '2');
    expect(stderr).toBe('');
    expect(code).toBe(1); // some cell did not converge
    const lines = stdout.split('\n');
    expect(lines[0]).toBe(
      'Phase map: pinnedAt (bytes) across (3 columns), pinnedSpacing (bytes) down (2 rows); each cell: verdict letter, trial links',
    );
    expect(lines[2]).toMatch(/^\s*pinnedSpacing\s+1\s+2\s+3$/);
    // The middle of the range oscillates (the preset's band): at once with spacing 60, after
    // swinging for ten passes with 76 (the targets 32 bytes apart, a ratio near −1).
    expect(lines[3].trim().split(/\s+/)).toEqual(['60', 'C', '4', 'O', '4', 'C', '3']);
    expect(lines[4].trim().split(/\s+/)).toEqual(['76', 'C', '4', 'O10', 'C', '3']);
    expect(stdout).toContain('columns (pinnedAt, bytes): 1=33630000 2=33665000 3=33700000');
    expect(stdout).toMatch(/\ncells: converged 4, oscillating 2\n/);
    expect(stdout).toMatch(/\n6 cells in [\d.]+ s on 2 native workers\n/);
  });

  it('--json: the record holds every cell row by row, and the verdict ranges along rows and columns', async () => {
    const { code, stdout } = await cli('sweep', ...MAP, '--json');
    expect(code).toBe(1);
    const record = sweepRecordSchema.parse(JSON.parse(stdout));
    expect(record.steps.map((s) => [s.value, s.value2])).toEqual([
      [33630000, 60],
      [33665000, 60],
      [33700000, 60],
      [33630000, 76],
      [33665000, 76],
      [33700000, 76],
    ]);
    expect(record.steps[1]).toMatchObject({ verdict: 'oscillating', passes: 4 });
    expect(record.steps[1].summary).toBe('Oscillating with period 2 after 4 trial links');
    expect(record.ranges).toEqual([]);
    expect(record.grid).toMatchObject({
      param2: 'pinnedSpacing',
      unit2: 'bytes',
      columns: 3,
      rows: 2,
    });
    expect(record.grid!.byRow[0]).toEqual({
      value: 60,
      ranges: [
        { verdict: 'converged', from: 33630000, to: 33630000, first: 0, last: 0 },
        { verdict: 'oscillating', from: 33665000, to: 33665000, first: 1, last: 1 },
        { verdict: 'converged', from: 33700000, to: 33700000, first: 2, last: 2 },
      ],
    });
    expect(record.grid!.byColumn[1].value).toBe(33665000);
    expect(record.grid!.byColumn[1].ranges.map((r) => [r.verdict, r.from, r.to])).toEqual([
      ['oscillating', 60, 76],
    ]);
    expect(record.grid!.byColumn[0].ranges.map((r) => [r.verdict, r.from, r.to])).toEqual([
      ['converged', 60, 76],
    ]);
    // Each cell's scenario is the preset's with the two values in its corpus id.
    expect(record.scenario.corpus).toContain('pinnedAt=33665024');
  });
});

describe('kallsyms-lab sweep over two parameters: bad input (exit 2)', () => {
  const one = [
    '--preset',
    'powerpc-2020',
    '--param',
    'gap',
    '--from',
    '28',
    '--to',
    '36',
    '--steps',
    '4',
  ];
  it.each([
    [['--param2', 'align'], /needs all of --param2, --from2, --to2 and --steps2/],
    [
      ['--param2', 'gap', '--from2', '1', '--to2', '2', '--steps2', '2'],
      /param2: is gap again: choose another parameter/,
    ],
    [
      ['--param2', 'colour', '--from2', '1', '--to2', '2', '--steps2', '2'],
      /Unknown parameter "colour" for --param2: use one of gap, align, base, maxPasses, or a generated corpus parameter/,
    ],
    [
      ['--param2', 'align', '--from2', '16', '--to2', '4096', '--steps2', '300'],
      /--steps2 "300": give a whole number from 2 to 256, e\.g\. --steps2 64\./,
    ],
    [
      ['--param2', 'nameLength', '--from2', '8', '--to2', '40', '--steps2', '4'],
      /param2: nameLength is a parameter of a generated corpus, and this scenario's corpus is kernel-like/,
    ],
  ])('%j', async (extra, message) => {
    const { code, stderr } = await cli('sweep', ...one, ...extra);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('refuses a map of more than 4096 cells', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...[
        '--preset',
        'powerpc-2020',
        '--param',
        'gap',
        '--from',
        '28',
        '--to',
        '36',
        '--steps',
        '100',
      ],
      ...['--param2', 'maxPasses', '--from2', '2', '--to2', '64', '--steps2', '50'],
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/steps2: steps × steps2 is 5000 cells: a map has at most 4096/);
  });

  it('names the cell a corpus value out of range comes from', async () => {
    const { code, stderr } = await cli(
      'sweep',
      ...[
        '--preset',
        'pinned-oscillates',
        '--param',
        'gap',
        '--from',
        '8',
        '--to',
        '9',
        '--steps',
        '2',
      ],
      ...['--param2', 'pinnedSpacing', '--from2', '4', '--to2', '8', '--steps2', '2'],
    );
    expect(code).toBe(2);
    expect(stderr).toContain(
      'step 1 of 4 (gap 8 MiB, pinnedSpacing 4 bytes): corpus: pinnedSpacing: Too small: expected number to be >=8',
    );
  });
});
