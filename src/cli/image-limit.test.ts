/**
 * The CLI's ceiling on image size (--max-image): a stranger's scenario file
 * whose script fills gigabytes is refused before any link, one whose fill the
 * estimate cannot read is stopped after the first link that makes it, in run
 * and in sweep, with either toolchain; and the reader can raise it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../toolchain/scenario/loop-config.ts';
import { findPreset } from '../toolchain/scenario/presets.ts';
import { cli, isOneLineFailure } from './testing/cli.ts';

const root = mkdtempSync(join(tmpdir(), 'kallsyms-lab-image-limit-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const small = findPreset('small-converges')!.scenario;
let files = 0;
/** A scenario file: small-converges with `insert` added to its own linker script. */
function withScript(insert: string, patch: Record<string, unknown> = {}): string {
  const linkerScript = scenarioLinkerScript(small).replace(
    '  /* The rest of a big kernel',
    `${insert}\n  /* The rest of a big kernel`,
  );
  expect(linkerScript).toContain(insert);
  const path = join(root, `s${files++}.json`);
  writeFileSync(path, JSON.stringify({ ...small, ...patch, linkerScript }));
  return path;
}

/** 1.5 GiB of fill the estimate reads (it took the CLI to 8.5 GB before the ceiling). */
const hugeFill = withScript('  .fill : { . = . + 0x60000000; } :text');
/** 40 MiB of fill behind a symbol: the estimate cannot tell its size. */
const HIDDEN = '  fill_size = 0x2800000;\n  .fill : { . = . + fill_size; } :text';
const hiddenFill = withScript(HIDDEN);
/** The same as fixpoint scenarios, for sweeps (a scenario's own script does not read the gap). */
const hugeFillFixpoint = withScript('  .fill : { . = . + 0x60000000; } :text', {
  strategy: 'fixpoint',
});
const hiddenFillFixpoint = withScript(HIDDEN, { strategy: 'fixpoint' });

const sweepOf = (scenario: string, extra: string[] = []) => [
  'sweep',
  '--scenario',
  scenario,
  '--param',
  'maxPasses',
  '--from',
  '2',
  '--to',
  '3',
  '--steps',
  '2',
  '--jobs',
  '1',
  ...extra,
];

describe('a fill the estimate reads', () => {
  it('run refuses it before any link and says which --max-image would take it', async () => {
    const run = await cli(['run', '--scenario', hugeFill]);
    expect(run.code).toBe(2);
    expect(isOneLineFailure(run.stderr, 'run'), run.stderr).toBe(true);
    expect(run.stderr).toContain('makes an image of up to 1.5 GiB');
    expect(run.stderr).toContain('more than the 256 MiB this command links unless given more');
    const suggested = Number(/--max-image (\d+) \(MiB\)/.exec(run.stderr)?.[1]);
    expect(suggested).toBeGreaterThanOrEqual(1536); // 0x60000000 bytes of fill, and the rest
    expect(suggested).toBeLessThan(1600);
    expect(run.stdout).toBe(''); // not even the pass table's header: nothing was linked
  });

  it('sweep refuses it before starting a worker', async () => {
    const sweep = await cli(sweepOf(hugeFillFixpoint));
    expect(sweep.code).toBe(2);
    expect(isOneLineFailure(sweep.stderr, 'sweep'), sweep.stderr).toBe(true);
    expect(sweep.stderr).toContain('makes an image of up to 1.5 GiB');
    expect(sweep.stdout).toBe('');
  });
});

describe('a fill the estimate cannot read', () => {
  it.each(['wasm', 'native'])(
    'run (%s) stops after the first link that makes it, with the ceiling and the flag',
    async (toolchain) => {
      const run = await cli([
        'run',
        '--scenario',
        hiddenFill,
        '--max-image',
        '16',
        '--toolchain',
        toolchain,
      ]);
      expect(run.code).toBe(2);
      expect(isOneLineFailure(run.stderr, 'run'), run.stderr).toBe(true);
      // 40 MiB of fill and the rest of the image.
      expect(run.stderr).toMatch(
        /Stopped: \.tmp_vmlinux1 is 4[01] MiB, more than the 16 MiB this command links/,
      );
      expect(run.stderr).toContain('raise --max-image (MiB) above its size');
      expect(run.stdout).not.toMatch(/\n\s*1\s/); // no pass row: the first link was the last
    },
    120_000,
  );

  it('sweep stops the same way in its worker', async () => {
    const sweep = await cli(sweepOf(hiddenFillFixpoint, ['--max-image', '16']));
    expect(sweep.code).toBe(2);
    expect(isOneLineFailure(sweep.stderr, 'sweep'), sweep.stderr).toBe(true);
    expect(sweep.stderr).toMatch(/Stopped: \.tmp_vmlinux1 is 4[01] MiB, more than the 16 MiB/);
  }, 120_000);

  it('runs to a verdict once --max-image is raised above it', async () => {
    const run = await cli([
      'run',
      '--scenario',
      hiddenFill,
      '--max-image',
      '64',
      '--toolchain',
      'native',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Converged/i);
  }, 120_000);
});

describe('--max-image itself', () => {
  it.each(['0', '1e3', '0x10', '', '65537', '2.5'])(
    'refuses %j, saying what to write',
    async (v) => {
      const run = await cli(['run', '--preset', 'small-converges', `--max-image=${v}`]);
      expect(run.code).toBe(2);
      expect(isOneLineFailure(run.stderr, 'run'), run.stderr).toBe(true);
      expect(run.stderr).toContain('--max-image');
      expect(run.stderr).toContain(
        'give a whole number from 1 to 65536, e.g. --max-image 1024 (MiB)',
      );
    },
  );

  it('is checked in sweep before the scenario file is read', async () => {
    const missing = join(root, 'not-there.json');
    const sweep = await cli(sweepOf(missing, ['--max-image', '0']));
    expect(sweep.code).toBe(2);
    expect(isOneLineFailure(sweep.stderr, 'sweep'), sweep.stderr).toBe(true);
    expect(sweep.stderr).toContain('--max-image');
    expect(sweep.stderr).not.toContain('not-there.json');
  });

  it('is in both commands’ help', async () => {
    for (const command of ['run', 'sweep']) {
      const help = await cli([command, '--help']);
      expect(help.stdout).toMatch(
        /--max-image MIB\s+refuse images larger than this \(default 256;/,
      );
    }
  });
});
