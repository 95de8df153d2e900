/**
 * A scenario file cannot make ld.lld touch the user's files (issue 10,
 * point 1). Every form the issue lists, and the other spellings of each, is
 * run through `kallsyms-lab run` with both toolchains (WebAssembly, and
 * Debian's native ld.lld-16) against a watched temporary tree: secret
 * canary files to read, and places to write. The run must be refused with
 * one line naming the problem, no canary text may appear in any output, and
 * the tree must be exactly as it was (nothing new, nothing changed), with
 * TMPDIR inside it so that the toolchain's own run directories are watched
 * too. Scenarios that keep to the rules then run for real, with both
 * toolchains, and leave the tree as they found it.
 */
import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../toolchain/scenario/loop-config.ts';
import { findPreset } from '../toolchain/scenario/presets.ts';
import { cli, isOneLineFailure } from './testing/cli.ts';

const CANARY = `CANARY-${process.pid}-${Date.now().toString(36)}`;
let root: string;
let secret: string;
let out: string;
const saved = { TMPDIR: process.env.TMPDIR, cwd: process.cwd() };

/**
 * Every file and directory under `dir`, files with their size and time: what
 * "nothing new, nothing changed" compares (a directory's own time changes
 * when the toolchain makes and removes its run directory in it).
 */
function snapshot(dir: string): string[] {
  const entries: string[] = [];
  const walk = (at: string) => {
    for (const name of readdirSync(at).sort()) {
      const path = join(at, name);
      const info = statSync(path);
      entries.push(
        `${relative(dir, path)} ${info.isDirectory() ? 'dir' : `${info.size} ${info.mtimeMs}`}`,
      );
      if (info.isDirectory()) walk(path);
    }
  };
  walk(dir);
  return entries;
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'kallsyms-lab-hostile-'));
  mkdirSync(join(root, 'secret'));
  mkdirSync(join(root, 'out'));
  mkdirSync(join(root, 'tmp'));
  mkdirSync(join(root, 'cwd'));
  secret = join(root, 'secret', 'passwd');
  // A file ld.lld would echo line by line in its error, were it ever read as a script or arguments.
  writeFileSync(secret, `${CANARY}-line-1\n${CANARY}-line-2 = 1;\n`);
  writeFileSync(join(root, 'cwd', 'relative.lds'), `${CANARY}-relative\n`);
  out = join(root, 'out');
  // The toolchain's directories land in the watched tree; relative paths resolve inside it.
  process.env.TMPDIR = join(root, 'tmp');
  process.chdir(join(root, 'cwd'));
});

afterAll(() => {
  process.chdir(saved.cwd);
  if (saved.TMPDIR === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = saved.TMPDIR;
  rmSync(root, { recursive: true, force: true });
});

const base = findPreset('small-converges')!.scenario;
const template = scenarioLinkerScript(base);

/** The issue's forms, each with its spellings; `$S` is the canary file, `$O` a place to write. */
const HOSTILE: Array<[string, { flags?: string[]; script?: string }]> = [
  ['INCLUDE', { script: `INCLUDE $S\n${template}` }],
  [
    'INCLUDE quoted, inside SECTIONS',
    { script: template.replace('SECTIONS\n{', 'SECTIONS\n{\n  INCLUDE "$S"') },
  ],
  ['INPUT(...)', { script: `INPUT($S)\n${template}` }],
  ['GROUP(...)', { script: `GROUP($S)\n${template}` }],
  ['SEARCH_DIR + INPUT(-l)', { script: `SEARCH_DIR($D)\nINPUT(-lpasswd)\n${template}` }],
  ['OUTPUT(...)', { script: `OUTPUT($O/image)\n${template}` }],
  ['a relative INCLUDE', { script: `INCLUDE relative.lds\n${template}` }],
  ['INCLUDE ../', { script: `INCLUDE ../cwd/relative.lds\n${template}` }],
  ['-T/path', { flags: ['-T$S'] }],
  ['-T path', { flags: ['-T', '$S'] }],
  ['--script=path', { flags: ['--script=$S'] }],
  ['@path', { flags: ['@$S'] }],
  ['-z @path', { flags: ['-z', '@$S'] }],
  ['-o/path', { flags: ['-o$O/image'] }],
  ['--reproduce=path', { flags: ['--reproduce=$O/repro.tar'] }],
  ['--reproduce path', { flags: ['--reproduce', '$O/repro.tar'] }],
  ['--why-extract=path', { flags: ['--why-extract=$O/why'] }],
  ['--dependency-file=path', { flags: ['--dependency-file=$O/deps'] }],
  ['-Map=path', { flags: ['-Map=$O/map'] }],
  ['a positional input', { flags: ['$S'] }],
  ['--version (text for an image)', { flags: ['--version'] }],
];

const fill = (text: string) =>
  text.replaceAll('$S', secret).replaceAll('$D', join(root, 'secret')).replaceAll('$O', out);

function scenarioFile(name: string, extra: { flags?: string[]; script?: string }): string {
  const file = join(root, 'cwd', `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  const scenario = {
    ...base,
    ...(extra.script !== undefined ? { linkerScript: fill(extra.script) } : {}),
    ...(extra.flags !== undefined ? { extraLinkerFlags: extra.flags.map(fill) } : {}),
  };
  writeFileSync(file, JSON.stringify(scenario));
  return file;
}

describe.each(['wasm', 'native'] as const)('with the %s toolchain', (toolchain) => {
  it.each(HOSTILE)(
    '%s is refused, and nothing outside the run is read or written',
    async (name, extra) => {
      const file = scenarioFile(`${toolchain}-${name}`, extra);
      const before = snapshot(root);
      const result = await cli(['run', '--scenario', file, '--toolchain', toolchain]);
      expect(result.code).toBe(2);
      expect(isOneLineFailure(result.stderr, 'run'), result.stderr).toBe(true);
      expect(result.stderr).toMatch(
        /^kallsyms-lab run: invalid scenario file .*: (linkerScript|extraLinkerFlags)/,
      );
      expect(result.stdout + result.stderr).not.toContain(CANARY);
      expect(snapshot(root)).toEqual(before);
      expect(readFileSync(secret, 'utf8')).toContain(`${CANARY}-line-1`);
    },
  );

  it('a scenario within the rules runs for real, and leaves the tree as it was', async () => {
    const script = `/* INCLUDE ${secret} (a comment: not a command) */\n# INPUT(${secret})\n${template}`;
    const file = scenarioFile(`${toolchain}-allowed`, {
      script,
      flags: [
        '--emit-relocs',
        '-z',
        'max-page-size=0x10000',
        '--defsym=answer=42',
        '--build-id=none',
        '--no-relax',
      ],
    });
    const before = snapshot(root);
    const result = await cli(['run', '--scenario', file, '--toolchain', toolchain, '--json']);
    expect(result.stderr).toBe('');
    const record = JSON.parse(result.stdout);
    expect(record.verdict.kind).toBe('converged');
    expect(record.passes[0].link.command.args).toEqual(
      expect.arrayContaining([
        '--emit-relocs',
        '-z',
        'max-page-size=0x10000',
        '--defsym=answer=42',
      ]),
    );
    expect(result.stdout).not.toContain(CANARY);
    expect(snapshot(root)).toEqual(before);
  });
});
