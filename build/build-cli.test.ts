/**
 * The prebuilt command-line tool: what `npm ci` builds (build-cli.ts), the
 * launcher's choice between it and the sources (bin/kallsyms-lab.mjs), and
 * the way it loads @yowasp/clang (bin/node-clang.mjs).
 */
import { execFile } from 'node:child_process';
import {
  copyFile,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli } from './build-cli.ts';

const root = resolve(import.meta.dirname, '..');

function node(
  args: string[],
  cwd = root,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) =>
    execFile(process.execPath, args, { cwd, maxBuffer: 1 << 26 }, (error, stdout, stderr) =>
      done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    ),
  );
}

/** Every file under `dir`, relative to it. */
async function files(dir: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory())
      out.push(...(await files(join(dir, entry.name), `${prefix}${entry.name}/`)));
    else out.push(prefix + entry.name);
  }
  return out.sort();
}

describe('the prebuilt CLI', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kallsyms-lab-cli-'));
  });
  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('links a preset on the WebAssembly toolchain to the very bytes the TypeScript sources make', async () => {
    const out = join(work, 'dist-cli');
    const { inputs } = await buildCli(out);
    expect(inputs).toBeGreaterThan(20);
    const listed = JSON.parse(await readFile(join(out, 'inputs.json'), 'utf8')) as {
      builtAt: number;
      inputs: string[];
    };
    expect(listed.inputs).toContain('src/cli/main.ts');
    expect(listed.inputs).toContain('src/toolchain/kbuild/run-loop.ts');
    expect(listed.inputs.some((p) => p.includes('node_modules'))).toBe(false);

    // The same command, once through the bundle and once through the sources (tsx).
    const run = (entry: string, keep: string) => `
      import { setFlagsFromString } from 'node:v8';
      setFlagsFromString('--wasm-lazy-validation');
      ${entry.endsWith('.ts') ? "const { register } = await import('tsx/esm/api'); register();" : ''}
      const { main } = await import(${JSON.stringify(pathToFileURL(entry).href)});
      let stdout = '';
      const io = { stdout: (s) => (stdout += s), stderr: (s) => process.stderr.write(s),
        readInput: async () => new Uint8Array() };
      const code = await main(['run', '--preset', 'powerpc-2020', '--keep-files', ${JSON.stringify(keep)}], io);
      process.stdout.write(JSON.stringify({ code, stdout }));`;
    const keptBundle = join(work, 'kept-bundle');
    const keptSources = join(work, 'kept-sources');
    const [bundle, sources] = await Promise.all([
      node(['--input-type=module', '-e', run(join(out, 'main.mjs'), keptBundle)]),
      node(['--input-type=module', '-e', run(join(root, 'src/cli/main.ts'), keptSources)]),
    ]);
    expect(bundle.stderr).toBe('');
    const a = JSON.parse(bundle.stdout) as { code: number; stdout: string };
    const b = JSON.parse(sources.stdout) as { code: number; stdout: string };
    // powerpc-2020 fails its check (exit 1) after 3 passes, with or without the bundle.
    expect(a.code).toBe(1);
    expect(a.stdout).toMatch(/Inconsistent kallsyms data/);
    // Each table row's link milliseconds, right-aligned under "link ms" (the growth
    // columns follow it), are the only thing allowed to differ.
    const withoutTimes = (s: string) => {
      const lines = s.split('\n');
      const header = lines.find((line) => line.includes('link ms'));
      if (!header) return s;
      const end = header.indexOf('link ms') + 'link ms'.length;
      return lines
        .map((line) =>
          /^ *(\d+|vmlinux) /.test(line)
            ? line.slice(0, end).replace(/ *\d+$/, '') + line.slice(end)
            : line,
        )
        .join('\n');
    };
    expect(withoutTimes(a.stdout)).toBe(withoutTimes(b.stdout));
    const kept = await files(keptBundle);
    expect(kept).toEqual(await files(keptSources));
    expect(kept).toContain('vmlinux');
    for (const name of kept) {
      const [x, y] = await Promise.all([
        readFile(join(keptBundle, name)),
        readFile(join(keptSources, name)),
      ]);
      expect(x.equals(y), name).toBe(true);
    }
  });

  it('loads @yowasp/clang without reading its resources tar, and puts back what it changed to do so', async () => {
    const script = `
      import fs from 'node:fs';
      import { syncBuiltinESMExports } from 'node:module';
      const reads = [];
      const readFile = fs.promises.readFile;
      fs.promises.readFile = (path, ...rest) => (reads.push(String(path)), readFile(path, ...rest));
      syncBuiltinESMExports();
      const fetchBefore = globalThis.fetch;
      const clang = await import(${JSON.stringify(pathToFileURL(join(root, 'bin/node-clang.mjs')).href)});
      let stdout = [];
      await clang.runLLVM(['ld.lld', '--version'], {}, {
        stdout: (b) => b && stdout.push(...b), stderr: () => {}, fetchProgress: () => {} });
      process.stdout.write(JSON.stringify({
        reads,
        release: process.release.name,
        fetchRestored: globalThis.fetch === fetchBefore,
        version: new TextDecoder().decode(new Uint8Array(stdout)),
      }));`;
    const { stdout, stderr } = await node(['--input-type=module', '-e', script]);
    expect(stderr).toBe('');
    const result = JSON.parse(stdout) as {
      reads: string[];
      release: string;
      fetchRestored: boolean;
      version: string;
    };
    expect(result.version).toMatch(/^LLD \d+\./);
    expect(result.reads.filter((p) => p.endsWith('llvm.core.wasm'))).toHaveLength(1);
    expect(result.reads.filter((p) => p.endsWith('.tar'))).toEqual([]);
    expect(result.release).toBe('node');
    expect(result.fetchRestored).toBe(true);
  });
});

describe('the launcher (bin/kallsyms-lab.mjs)', () => {
  let fake: string;
  beforeAll(async () => {
    // A repository of its own: the real launcher, tsx, and two `main`s that say which ran.
    fake = await mkdtemp(join(tmpdir(), 'kallsyms-lab-launcher-'));
    await mkdir(join(fake, 'bin'));
    await mkdir(join(fake, 'src/cli'), { recursive: true });
    await mkdir(join(fake, 'dist-cli'));
    await copyFile(join(root, 'bin/kallsyms-lab.mjs'), join(fake, 'bin/kallsyms-lab.mjs'));
    await symlink(join(root, 'node_modules'), join(fake, 'node_modules'));
    await writeFile(join(fake, 'package.json'), '{ "type": "module" }\n');
    // Each exports what src/cli/main.ts does: the launcher calls guardProcess, then main.
    const main = (who: string) =>
      'export function guardProcess() {}\n' +
      `export async function main(argv) { console.log(${JSON.stringify(who)}, argv.join(' ')); return 3; }\n`;
    await writeFile(join(fake, 'src/cli/main.ts'), main('sources'));
    await writeFile(join(fake, 'dist-cli/main.mjs'), main('prebuilt'));
  });
  afterAll(async () => {
    await rm(fake, { recursive: true, force: true });
  });

  const launch = () => node([join(fake, 'bin/kallsyms-lab.mjs'), 'run', '--json'], fake);
  const built = (builtAt: number) =>
    writeFile(
      join(fake, 'dist-cli/inputs.json'),
      JSON.stringify({ builtAt, inputs: ['src/cli/main.ts'] }),
    );

  it('runs the prebuilt CLI when no source changed since it was built', async () => {
    const past = new Date(Date.now() - 60_000);
    await utimes(join(fake, 'src/cli/main.ts'), past, past);
    await built(Date.now());
    const { code, stdout } = await launch();
    expect(stdout).toBe('prebuilt run --json\n');
    expect(code).toBe(3); // main's status is the process's
  });

  it('runs the sources through tsx when one of them is newer than the build, or there is no build', async () => {
    await built(Date.now() - 60_000);
    const now = new Date();
    await utimes(join(fake, 'src/cli/main.ts'), now, now);
    expect((await launch()).stdout).toBe('sources run --json\n');
    await rm(join(fake, 'dist-cli/inputs.json'));
    expect((await launch()).stdout).toBe('sources run --json\n');
  });
});
