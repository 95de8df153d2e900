/**
 * The same Toolchain interface over LLVM tools installed on this machine
 * (e.g. Debian's lld-16 and llvm-16). Node only: the CLI uses it for
 * `--toolchain native`, the tests use it as an independent yardstick.
 */
import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import {
  copyFile,
  link,
  mkdtemp,
  mkdir,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
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

/** An input as placed: what a file must still be for the input to be handed back unread. */
interface Placed {
  content: Uint8Array | string;
  ino: number;
  mtimeMs: number;
  size: number;
}

/**
 * Every file under dir, read in parallel. An input the tool left alone (same
 * inode, time and size as placed) is handed back as given, not read: a
 * kernel-sized link has 400 of them, 14 MB.
 */
async function listFiles(
  dir: string,
  placed: Map<string, Placed>,
  root = dir,
  out: Record<string, Uint8Array> = {},
) {
  const entries = await readdir(dir, { withFileTypes: true });
  await Promise.all(
    entries.map(async (entry) => {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) return listFiles(path, placed, root, out);
      const name = relative(root, path);
      const input = placed.get(name);
      if (input) {
        const now = await stat(path);
        if (now.ino === input.ino && now.mtimeMs === input.mtimeMs && now.size === input.size) {
          const { content } = input;
          out[name] = typeof content === 'string' ? new TextEncoder().encode(content) : content;
          return;
        }
      }
      out[name] = asUint8Array(await readFile(path));
    }),
  );
  return out;
}

export function createNativeToolchain(): Toolchain {
  const resolved = new Map<LlvmTool, string>();

  /**
   * Inputs given again and again (the corpus objects: 400 files, 14 MB for a
   * kernel-sized corpus) are written once, to a folder kept for this
   * toolchain's life, and hard-linked into each run's directory: writing them
   * for every link cost 0.4-0.9 s a link. Keyed by the buffer itself, so a
   * new buffer (a new table object) is always written; a buffer is not to be
   * changed once given (none is). The tools write new files (ld.lld renames
   * its output into place), never into an input, so the store stays intact.
   */
  let storeDir: Promise<string> | null = null;
  const stored = new WeakMap<Uint8Array, Promise<string>>();
  let nextStored = 0;
  function storedPath(content: Uint8Array): Promise<string> {
    let path = stored.get(content);
    if (!path) {
      storeDir ??= mkdtemp(join(tmpdir(), 'kallsyms-lab-inputs-')).then((dir) => {
        process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
        return dir;
      });
      const id = nextStored++;
      path = storeDir.then(async (dir) => {
        const file = join(dir, String(id));
        await writeFile(file, content);
        return file;
      });
      path.catch(() => stored.delete(content)); // a later run writes it again
      stored.set(content, path);
    }
    return path;
  }

  /** Puts one input in place: a string written, bytes linked from the store (copied if linking fails). */
  async function placeInput(target: string, content: Uint8Array | string): Promise<Placed> {
    await mkdir(dirname(target), { recursive: true });
    if (typeof content === 'string') await writeFile(target, content);
    else {
      const source = await storedPath(content);
      await link(source, target).catch(() => copyFile(source, target));
    }
    const { ino, mtimeMs, size } = await stat(target);
    return { content, ino, mtimeMs, size };
  }

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
        const placed = new Map(
          await Promise.all(
            Object.entries(files).map(
              async ([name, content]) =>
                [name, await placeInput(join(dir, name), content)] as const,
            ),
          ),
        );
        const started = performance.now();
        const result = await exec(binary, args, dir);
        const ms = performance.now() - started;
        if (result.code !== 0) throw new ToolError(tool, args, result.code, result.stderr);
        return {
          files: await listFiles(dir, placed),
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
