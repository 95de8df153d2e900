/**
 * Every way the CLI was seen to crash (issue 10, points 2-6, 8 and 10), with
 * the issue's own inputs: each now ends with one line on stderr and exit 2
 * for bad input (1 for a failed link), never a stack trace, a hang, a file
 * left half-written or memory without bound. In-process through `main()`
 * where that shows it, as a real process where the process is the point
 * (EPIPE, standard input, the launcher's guards).
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../toolchain/scenario/loop-config.ts';
import { findPreset } from '../toolchain/scenario/presets.ts';
import { MAX_LISTING_BYTES } from './io.ts';
import { cli, cliProcess, isOneLineFailure, LAUNCHER } from './testing/cli.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/kallsyms/', import.meta.url));
const root = mkdtempSync(join(tmpdir(), 'kallsyms-lab-failures-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let files = 0;
const file = (content: string | Uint8Array, name = `f${files++}`) => {
  const path = join(root, name);
  writeFileSync(path, content);
  return path;
};
const scenarioFile = (patch: Record<string, unknown>) =>
  file(
    JSON.stringify({ ...findPreset('small-converges')!.scenario, ...patch }),
    `s${files++}.json`,
  );

describe('point 2: linker flags that print text instead of an image', () => {
  it.each([['--version'], ['--help'], ['-v'], ['-M']])(
    'run and sweep refuse %s up front: one line, exit 2',
    async (flag) => {
      const scenario = scenarioFile({ extraLinkerFlags: [flag] });
      const run = await cli(['run', '--scenario', scenario]);
      expect(run.code).toBe(2);
      expect(isOneLineFailure(run.stderr, 'run'), run.stderr).toBe(true);
      expect(run.stderr).toMatch(
        /extraLinkerFlags\.0: is not allowed: it makes ld\.lld print text/,
      );
      const sweep = await cli([
        'sweep',
        '--scenario',
        scenario,
        '--param',
        'gap',
        '--from',
        '8',
        '--to',
        '9',
        '--steps',
        '2',
      ]);
      expect(sweep.code).toBe(2);
      expect(isOneLineFailure(sweep.stderr, 'sweep'), sweep.stderr).toBe(true);
    },
  );
});

describe('point 3: --keep-files checks its directory before the first link', () => {
  const preset = ['run', '--preset', 'small-converges', '--toolchain', 'native'];

  /** Everything under `dir`, to show nothing was left behind. */
  const tree = (dir: string): string[] =>
    readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();

  it.each([
    ['a file', (d: string) => file('x', `${d}-file`), /is a file, not a directory/],
    [
      'a path under a file',
      (d: string) => join(file('x', `${d}-parent`), 'sub', 'dir'),
      /-parent is a file, not a directory/,
    ],
    [
      'a directory whose arch/ is a file',
      (d: string) => {
        const dir = join(root, d);
        mkdirSync(dir);
        writeFileSync(join(dir, 'arch'), 'x');
        return dir;
      },
      /arch is a file, not a directory/,
    ],
    ['/proc/x, where mkdir -p never settled', () => '/proc/kallsyms-lab-x/y', /cannot be created/],
    ['an empty name (--keep-files=)', () => '', /--keep-files needs a directory/],
  ])('%s: one line, exit 2, nothing made', async (_, make, message) => {
    const dir = make(`keep${files++}`);
    const before = tree(root);
    const result = await cli([...preset, `--keep-files=${dir}`]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'run'), result.stderr).toBe(true);
    expect(result.stderr).toMatch(message);
    // Refused before the first link: no pass table was printed.
    expect(result.stdout).toBe('');
    expect(tree(root)).toEqual(before);
  });

  it('an unwritable directory: one line, exit 2, nothing made', async () => {
    // As root every directory is writable but those of read-only file systems such as /sys.
    let dir = '/sys/kernel';
    if (process.getuid?.() !== 0) {
      dir = join(root, `readonly${files++}`);
      mkdirSync(dir);
      chmodSync(dir, 0o500);
    }
    const result = await cli([...preset, '--keep-files', join(dir, 'kept')]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'run'), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/--keep-files: .* (is not writable|cannot be created|read-only)/);
  });

  it('a file that cannot be written mid-run (DIR/vmlinux a directory): one line, exit 2, only what was there before', async () => {
    const dir = join(root, `keep${files++}`);
    mkdirSync(join(dir, 'vmlinux'), { recursive: true });
    writeFileSync(join(dir, 'mine.txt'), 'the user’s own file');
    const result = await cli([...preset, '--keep-files', dir]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'run'), result.stderr).toBe(true);
    expect(result.stderr).toMatch(
      /vmlinux is a directory where the run writes a file of that name/,
    );
    expect(tree(dir)).toEqual(['mine.txt', 'vmlinux']);
  });

  it('a directory that will do gets every file, written whole', async () => {
    const dir = join(root, `kept${files++}`, 'deeper');
    const result = await cli([...preset, '--keep-files', dir]);
    expect(result.code).toBe(0);
    const kept = tree(dir);
    expect(kept).toEqual(expect.arrayContaining(['vmlinux', 'vmlinux.lds', '.tmp_vmlinux1']));
    expect(kept).toContain(join('arch', 'powerpc', 'kernel', 'head_64.o'));
    expect(kept.filter((name) => name.endsWith('.part'))).toEqual([]);
  });
});

describe('point 4: a reader that stops reading (EPIPE)', () => {
  it.each([
    ['kallsyms', `$CLI kallsyms --generation latest ${join(FIXTURES, 'medium.nm')}`],
    ['run --json', '$CLI run --preset small-converges --toolchain native --json'],
  ])('%s | head -c 100 ends quietly', (_, command) => {
    const errors = join(root, `epipe${files++}`);
    const result = cliProcess({
      shell: `set -o pipefail; ${command} 2>${errors} | head -c 100 >/dev/null; echo "status $?"`,
    });
    expect(result.stdout.trim()).toBe('status 0');
    expect(readFileSync(errors, 'utf8')).toBe('');
  });
});

describe('point 4, native: a reader that stops reading mid-run', () => {
  it('leaves no run directory behind (exit at once, even between a mkdtemp and its callback)', async () => {
    const temp = join(root, `tmpdir${files++}`);
    mkdirSync(temp);
    for (let round = 0; round < 3; round++) {
      const result = cliProcess(
        {
          shell:
            'set -o pipefail; $CLI run --preset never-converges --toolchain native 2>&1 | head -c 200 >/dev/null; echo "status $?"',
        },
        { env: { TMPDIR: temp } },
      );
      expect(result.stdout.trim()).toBe('status 0');
    }
    // ld.lld may still be finishing the link it was given: give it a moment.
    await new Promise((resolve) => setTimeout(resolve, 2000));
    // tsx keeps its cache of compiled files there; nothing else may remain.
    expect(readdirSync(temp).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
  });
});

describe('point 5: a listing over the limit is refused before it is read whole', () => {
  it('a file: by its size, before reading a byte (a sparse file of the limit + 1)', async () => {
    const path = file('', 'huge.nm');
    truncateSync(path, MAX_LISTING_BYTES + 1);
    const result = await cli(['kallsyms', '--generation', 'latest', path]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'kallsyms'), result.stderr).toBe(true);
    expect(result.stderr).toMatch(/the listing is larger than 64 MiB, the most kallsyms-lab reads/);
  });

  it('a device that never ends (/dev/zero): read up to the limit, then refused', async () => {
    const result = await cli(['kallsyms', '--generation', 'latest', '/dev/zero']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\/dev\/zero: the listing is larger than 64 MiB/);
  });

  it('endless standard input: refused as soon as it passes the limit, in bounded memory', async () => {
    // A real process fed without end; its peak memory is read from /proc as it runs.
    const child = spawn('node', [LAUNCHER, 'kallsyms', '--generation', 'latest', '-'], {
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const chunk = Buffer.alloc(1 << 20, 'c000000000000000 T x\n');
    let peakKiB = 0;
    const feed = () => {
      while (child.stdin.write(chunk));
    };
    child.stdin.on('drain', feed);
    child.stdin.on('error', () => {}); // it stops reading: that is the point
    const sample = setInterval(() => {
      try {
        const hwm = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (hwm) peakKiB = Math.max(peakKiB, Number(hwm[1]));
      } catch {
        // gone
      }
    }, 50);
    feed();
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000); // never left running
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    clearTimeout(guard);
    clearInterval(sample);
    expect(code).toBe(2);
    expect(stderr).toMatch(
      /^kallsyms-lab kallsyms: standard input: the listing is larger than 64 MiB/,
    );
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    // The limit, once, plus the runtime: nowhere near the 1.3 GB of the issue.
    expect(peakKiB * 1024).toBeLessThan(MAX_LISTING_BYTES + 400 * 1024 * 1024);
  });
});

describe('point 6: numbers are decimal, and --jobs is capped', () => {
  it.each([
    ['run', '--gap='],
    ['run', '--gap= '],
    ['run', '--gap=0x10'],
    ['run', '--gap=1e3'],
    ['run', '--gap=-1'],
    ['run', '--gap=Infinity'],
    ['run', '--max-passes='],
    ['run', '--max-passes=0x10'],
    ['run', '--max-passes=16.0'],
    ['sweep', '--from='],
    ['sweep', '--to=0x10'],
    ['sweep', '--steps= '],
    ['sweep', '--steps=1e1'],
    ['sweep', '--jobs='],
    ['sweep', '--jobs=0x2'],
    ['sweep', '--jobs=0'],
  ])('%s %s: one line, exit 2', async (command, option) => {
    const name = option.slice(0, option.indexOf('='));
    const args =
      command === 'run'
        ? ['run', '--preset', 'powerpc-2020', option]
        : [
            'sweep',
            '--preset',
            'powerpc-2020',
            '--param',
            'gap',
            ...(name === '--steps' ? [] : ['--steps', '2']),
            ...(name === '--from' ? [] : ['--from', '31']),
            ...(name === '--to' ? [] : ['--to', '32']),
            option,
          ];
    const result = await cli(args);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, command), result.stderr).toBe(true);
    expect(result.stderr).toMatch(new RegExp(`${name} ".*": give a (whole|decimal) number`));
  });

  it('sweep --jobs 1000 runs on as many workers as the default would, says so, and leaves no files', async () => {
    const temp = join(root, `sweeptmp${files++}`);
    mkdirSync(temp);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    const result = await cli([
      'sweep',
      '--preset',
      'small-converges',
      '--param',
      'gap',
      '--from',
      '8',
      '--to',
      '9',
      '--steps',
      '2',
      '--jobs',
      '1000',
      '--toolchain',
      'native',
    ]);
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    expect(readdirSync(temp).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^kallsyms-lab sweep: --jobs 1000 lowered to [12] \(/);
    expect(result.stdout).toMatch(/2 steps in [\d.]+ s on [12] native workers?\n$/);
  });
});

describe('point 8: messages quote a bounded, escaped prefix of the input', () => {
  it('a 2 MB line: the error is one short line', async () => {
    const path = file(`c000000000000000 T _stext\n${'z'.repeat(2_000_000)}\n`);
    const result = await cli(['kallsyms', '--generation', 'latest', path]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'kallsyms'), result.stderr).toBe(true);
    expect(result.stderr.length).toBeLessThan(500);
  });

  it('a binary file: no control byte reaches the terminal', async () => {
    const path = file(
      Uint8Array.from([
        0x7f, 0x45, 0x4c, 0x46, 0x9b, 0x33, 0x31, 0x6d, 0x1b, 0x5b, 0x32, 0x4a, 0x0a,
      ]),
    );
    const result = await cli(['kallsyms', '--generation', 'latest', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/\\x7fELF\\x9b31m\\x1b\[2J/);
    // eslint-disable-next-line no-control-regex
    expect(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(result.stderr)).toBe(false);
  });

  it('ld.lld echoing a script line of 20,000 characters or control bytes: bounded and escaped', async () => {
    const preset = findPreset('small-converges')!.scenario;
    const template = scenarioLinkerScript(preset);
    const scenario = scenarioFile({
      linkerScript: `${template}\nASSERT(0, "\u009b[31m\u001b]0;pwned\u0007")\n${'x'.repeat(20000)}\n`,
    });
    const result = await cli(['run', '--scenario', scenario, '--toolchain', 'native']);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Link failed at trial link 1 \(\.tmp_vmlinux1\): ld\.lld/);
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThan(400);
    // eslint-disable-next-line no-control-regex
    expect(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(result.stdout)).toBe(false);
  });

  it('the too-long-name warning prints the name once', async () => {
    const name = 'n'.repeat(600);
    const path = file(
      [
        'c000000000000000 T _text',
        'c000000000000000 T _stext',
        `c000000000000010 T ${name}`,
        'c000000000000020 T _etext',
        '',
      ].join('\n'),
    );
    const result = await cli(['kallsyms', '--generation', 'latest', path]);
    expect(result.code).toBe(0);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(result.stderr.split('n'.repeat(80)).length - 1).toBe(1);
  });
});

describe('point 10: layout is strict', () => {
  it.each([
    ['an unknown key', '{"size":1}'],
    ['__proto__', '{"__proto__":{"polluted":true}}'],
  ])('%s inside layout is refused like at the top level', async (_, extra) => {
    const scenario = findPreset('small-converges')!.scenario;
    const layout = JSON.stringify(scenario.layout).replace(/}$/, `,${extra.slice(1)}`);
    const path = file(
      JSON.stringify({ ...scenario, layout: 'LAYOUT' }).replace('"LAYOUT"', layout),
    );
    const result = await cli(['run', '--scenario', path]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/layout: Unrecognized key/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('anything else: one line, never a stack trace', () => {
  it.each([
    [['nope'], /^kallsyms-lab: unknown command "nope": use one of presets, run, sweep, kallsyms/],
    [['__proto__'], /^kallsyms-lab: unknown command "__proto__"/],
    [[], /^kallsyms-lab: give a command/],
    [['run', '--frobnicate'], /^kallsyms-lab run: Unknown option '--frobnicate'/],
    [['run', '--keep-files'], /^kallsyms-lab run: Option '--keep-files <value>' argument missing/],
    [['run', '--preset', 'small-converges', '--toolchain', 'gcc'], /Unknown toolchain "gcc"/],
    [['kallsyms', '--generation', 'latest'], /Give exactly one listing file/],
  ])('%j', async (argv, message) => {
    const result = await cli(argv as string[]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  });

  it('a scenario file that is not JSON, or binary: one line, escaped', async () => {
    const result = await cli(['run', '--scenario', file('{"a": \u009b\x1b[2J')]);
    expect(result.code).toBe(2);
    expect(isOneLineFailure(result.stderr, 'run'), result.stderr).toBe(true);
    // eslint-disable-next-line no-control-regex
    expect(/[\x00-\x09\x0b-\x1f\x7f-\x9f]/.test(result.stderr)).toBe(false);
  });
});

describe('the launcher', () => {
  it('says in one line, exit 70, when the CLI it loads fails to load', () => {
    // A copy of the launcher beside a prebuilt entry that throws while it is imported.
    const install = mkdtempSync(join(root, 'install-'));
    mkdirSync(join(install, 'bin'));
    mkdirSync(join(install, 'dist-cli'));
    writeFileSync(join(install, 'bin', 'kallsyms-lab.mjs'), readFileSync(LAUNCHER));
    writeFileSync(
      join(install, 'dist-cli', 'inputs.json'),
      JSON.stringify({ builtAt: Date.now() + 60_000, inputs: [] }),
    );
    writeFileSync(join(install, 'dist-cli', 'main.mjs'), "throw new Error('half a bundle');\n");
    const run = spawnSync('node', [join(install, 'bin', 'kallsyms-lab.mjs'), 'presets'], {
      encoding: 'utf8',
      env: { ...process.env, KALLSYMS_LAB_DEBUG: '' },
    });
    expect(run.status).toBe(70);
    expect(run.stderr).toMatch(
      /^kallsyms-lab: internal error: could not load \S+main\.mjs: half a bundle \(a broken install: run npm ci;[^\n]*\)\n$/,
    );
  });
});
