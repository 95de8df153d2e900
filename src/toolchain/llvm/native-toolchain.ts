/**
 * The same Toolchain interface over LLVM tools installed on this machine
 * (e.g. Debian's lld-16 and llvm-16). Node only: the CLI uses it for
 * `--toolchain native`, the tests use it as an independent yardstick.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ToolError } from './tool-error.ts';
import type { InputFiles, LlvmTool, Toolchain, ToolResult } from './toolchain.ts';

/**
 * Version suffixes tried on PATH, newest first; the plain name last, since
 * a distribution's unversioned tools may be an older LLVM than its newest.
 * Once one tool is found, the others are looked for with the same suffix
 * first, so a run never mixes LLVM versions when it can avoid it.
 */
const SUFFIXES = ['-21', '-20', '-19', '-18', '-17', '-16', '-15', '-14', ''];

export class NativeToolMissingError extends Error {
  constructor(tool: LlvmTool) {
    super(
      `${tool} was not found on PATH (tried ${SUFFIXES.map((v) => tool + v).join(', ')}). ` +
        'Install LLVM, e.g. `apt-get install lld-16 llvm-16` on Debian, or use the WebAssembly toolchain.',
    );
    this.name = 'NativeToolMissingError';
  }
}

function exec(file: string, args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: Buffer; stderr: string; missing: boolean }>(
    (resolve) => {
      execFile(
        file,
        args,
        { cwd, encoding: 'buffer', maxBuffer: 1 << 30 },
        (error, stdout, stderr) => {
          const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
          resolve({
            code,
            stdout,
            stderr: stderr.toString('utf8'),
            missing: error?.code === 'ENOENT',
          });
        },
      );
    },
  );
}

/**
 * A Buffer as a plain Uint8Array. Output of more than a few KB (ld.lld's
 * `-o -` image: tens of MB) has a buffer of its own, so it is viewed, not
 * copied; a small one may share Node's pool and is copied, so that nobody
 * holding the result holds (or could transfer) the pool.
 */
function asUint8Array(buffer: Buffer): Uint8Array {
  return buffer.byteOffset === 0 && buffer.byteLength === buffer.buffer.byteLength
    ? new Uint8Array(buffer.buffer, 0, buffer.byteLength)
    : new Uint8Array(buffer);
}

/** Every file under dir, read in parallel (a kernel-sized link leaves 400 objects there). */
async function listFiles(dir: string, root = dir, out: Record<string, Uint8Array> = {}) {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await listFiles(path, root, out);
      else out[relative(root, path)] = asUint8Array(await readFile(path));
    }),
  );
  return out;
}

export function createNativeToolchain(): Toolchain {
  const resolved = new Map<LlvmTool, string>();

  let pinnedSuffix: string | undefined;

  async function resolve(tool: LlvmTool): Promise<string> {
    const known = resolved.get(tool);
    if (known) return known;
    const order =
      pinnedSuffix === undefined
        ? SUFFIXES
        : [pinnedSuffix, ...SUFFIXES.filter((v) => v !== pinnedSuffix)];
    for (const suffix of order) {
      const probe = await exec(tool + suffix, ['--version'], tmpdir());
      if (!probe.missing && probe.code === 0) {
        resolved.set(tool, tool + suffix);
        pinnedSuffix ??= suffix;
        return tool + suffix;
      }
    }
    throw new NativeToolMissingError(tool);
  }

  return {
    kind: 'native',
    async run(tool: LlvmTool, args: string[], files: InputFiles): Promise<ToolResult> {
      const binary = await resolve(tool);
      const dir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-'));
      try {
        for (const [name, content] of Object.entries(files)) {
          await mkdir(dirname(join(dir, name)), { recursive: true });
          await writeFile(join(dir, name), content);
        }
        const started = performance.now();
        const result = await exec(binary, args, dir);
        const ms = performance.now() - started;
        if (result.code !== 0) throw new ToolError(tool, args, result.code, result.stderr);
        return {
          files: await listFiles(dir),
          stdout: asUint8Array(result.stdout),
          stderr: result.stderr,
          ms,
        };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
