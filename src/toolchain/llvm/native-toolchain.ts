/**
 * The same Toolchain interface over LLVM tools installed on this machine
 * (e.g. Debian's lld-16 and llvm-16). Node only: the CLI uses it for
 * `--toolchain native`, the tests use it as an independent yardstick.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import {
  copyFile,
  link,
  mkdtemp,
  mkdir,
  open,
  readdir,
  readFile,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve as resolvePath, sep } from 'node:path';
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

/**
 * The environment the tools run in: PATH only, so that nothing in the
 * user's environment (LLD_REPRODUCE, for one, makes ld.lld write a tar of
 * every input) changes what a run does.
 */
function toolEnv(): NodeJS.ProcessEnv {
  return { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin' };
}

/** Runs a tool for a short answer (`--version`): output capped, as execFile does. */
function probe(file: string, args: string[], cwd: string) {
  return new Promise<{ code: number; stdout: Buffer; missing: boolean }>((resolve) => {
    execFile(
      file,
      args,
      { cwd, encoding: 'buffer', maxBuffer: 1 << 20, env: toolEnv() },
      (error, stdout) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, missing: error?.code === 'ENOENT' });
      },
    );
  });
}

/** Most of ld.lld's stderr a run keeps: its diagnostics, not an unbounded stream. */
const MAX_STDERR_BYTES = 4 << 20;

/**
 * Largest standard output a run hands back (ld.lld's `-o -` image): what one
 * Buffer holds. The WebAssembly toolchain, a 32-bit machine, stops sooner.
 */
export const MAX_NATIVE_OUTPUT_BYTES = 2 ** 31 - 1;

/**
 * Runs a tool with its standard output going to a file beside (not in) its
 * working directory, read back once at its exact size: an image of any size
 * up to MAX_NATIVE_OUTPUT_BYTES, in one buffer, with no pipe-buffer limit
 * (execFile's maxBuffer once turned a 1 GiB image into "exited with code -1").
 */
async function runTool(file: string, args: string[], cwd: string, stdoutPath: string) {
  const out = await open(stdoutPath, 'w+');
  try {
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(file, args, { cwd, env: toolEnv(), stdio: ['ignore', out.fd, 'pipe'] });
      const chunks: Buffer[] = [];
      let kept = 0;
      child.stderr!.on('data', (chunk: Buffer) => {
        if (kept >= MAX_STDERR_BYTES) return;
        chunks.push(chunk.subarray(0, MAX_STDERR_BYTES - kept));
        kept += chunk.length;
      });
      let settled = false;
      const settle = (code: number, why: string) => {
        if (settled) return;
        settled = true;
        resolve({ code, stderr: why + Buffer.concat(chunks).toString('utf8') });
      };
      child.on('error', (error) => settle(-1, `${error.message}\n`));
      child.on('close', (status, signal) =>
        settle(status ?? -1, signal ? `killed by ${signal}\n` : ''),
      );
    });
    const { size } = await out.stat();
    if (code === 0 && size > MAX_NATIVE_OUTPUT_BYTES) {
      return {
        code: -1,
        stderr: `${file} wrote ${size} bytes to standard output, more than the ${MAX_NATIVE_OUTPUT_BYTES} a run can hold\n${stderr}`,
        stdout: Buffer.alloc(0),
      };
    }
    const stdout = Buffer.allocUnsafeSlow(size);
    for (let at = 0; at < size;) {
      const { bytesRead } = await out.read(stdout, at, Math.min(size - at, 1 << 30), at);
      if (bytesRead === 0) break;
      at += bytesRead;
    }
    return { code, stderr, stdout };
  } finally {
    await out.close();
  }
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

export interface NativeToolchainOptions {
  /** Where its directory goes (default: the system's temporary directory). */
  tempDir?: string;
}

export function createNativeToolchain(
  options: NativeToolchainOptions = {},
): Toolchain & { dispose(): Promise<void> } {
  /**
   * Everything this toolchain writes lives in one directory of its own,
   * made synchronously on first use, so that it is known before any await:
   * the input store and each run's directory inside it. It is removed by
   * `dispose`, and when the process exits, however a run is cut short (EPIPE
   * exits at once, even between a mkdtemp and its callback).
   */
  let root: string | null = null;
  const removeRoot = () => {
    // At exit, file operations of the run under way may still be adding
    // files (rmdir fails with ENOTEMPTY): remove again, a few times, a little
    // later each; never throw from an exit handler.
    for (let attempt = 0; root && attempt < 20; attempt++) {
      try {
        rmSync(root, { recursive: true, force: true });
        return;
      } catch {
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10 * (attempt + 1));
      }
    }
  };
  function rootDir(): string {
    if (!root) {
      root = mkdtempSync(join(options.tempDir ?? tmpdir(), 'kallsyms-lab-'));
      process.on('exit', removeRoot);
    }
    return root;
  }

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
  let stored = new WeakMap<Uint8Array, Promise<string>>();
  let nextStored = 0;
  function storedPath(content: Uint8Array): Promise<string> {
    let path = stored.get(content);
    if (!path) {
      storeDir ??= mkdtemp(join(rootDir(), 'inputs-'));
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

  /**
   * Puts one input in place: a string written, bytes linked from the store
   * (copied if linking fails). Its folders are made one level at a time
   * below the run directory, never `recursive`: if the run directory is gone
   * (removed at exit), nothing is made again in its place.
   */
  async function placeInput(
    dir: string,
    name: string,
    content: Uint8Array | string,
  ): Promise<Placed> {
    const target = inside(dir, name);
    let at = dir;
    for (const part of relative(dir, dirname(target)).split(sep).filter(Boolean)) {
      at = join(at, part);
      await mkdir(at).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      });
    }
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
      const answer = await probe(tool + suffix, ['--version'], tmpdir());
      if (!answer.missing && answer.code === 0) {
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
      // base/run is the tool's working directory: fresh, empty but for the
      // run's inputs, so a relative path can reach nothing else; its
      // standard output goes to base/stdout, outside it.
      const base = await mkdtemp(join(rootDir(), 'run-'));
      const dir = join(base, 'run');
      try {
        await mkdir(dir);
        const placed = new Map(
          await Promise.all(
            Object.entries(files).map(
              async ([name, content]) => [name, await placeInput(dir, name, content)] as const,
            ),
          ),
        );
        const started = performance.now();
        const result = await runTool(binary, args, dir, join(base, 'stdout'));
        const ms = performance.now() - started;
        if (result.code !== 0) throw new ToolError(tool, args, result.code, result.stderr);
        return {
          files: await listFiles(dir, placed),
          stdout: asUint8Array(result.stdout),
          stderr: result.stderr,
          ms,
        };
      } finally {
        await rm(base, { recursive: true, force: true });
      }
    },
    /** Removes everything it wrote; the toolchain may still be used (it starts afresh). */
    async dispose() {
      await storeDir?.catch(() => null);
      storeDir = null;
      stored = new WeakMap();
      if (root) {
        process.off('exit', removeRoot);
        await rm(root, { recursive: true, force: true });
        root = null;
      }
    },
  };
}

/** `dir/name`, refusing a name that would leave `dir` (the engine's names never do). */
function inside(dir: string, name: string): string {
  const path = resolvePath(dir, name);
  if (!path.startsWith(dir + sep))
    throw new Error(`input name ${JSON.stringify(name)} leaves the run directory`);
  return path;
}
