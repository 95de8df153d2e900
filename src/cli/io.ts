import { open } from 'node:fs/promises';
import { oneLine } from '../toolchain/text/quote.ts';
import { UsageError } from './exit-codes.ts';

/** Output streams and input, injectable so tests (and the fuzz runner) can run the CLI in-process. */
export interface CliIO {
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string) => void;
  /**
   * Reads a file, or standard input for "-", refusing (with a UsageError
   * naming the limit) anything over `limit.bytes` before reading it whole.
   * Without a limit: DEFAULT_INPUT_LIMIT.
   */
  readInput: (path: string, limit?: InputLimit) => Promise<Uint8Array>;
}

/** How much of an input a command reads, and what the input is called in messages. */
export interface InputLimit {
  bytes: number;
  /** "listing", "scenario file", …: for "the listing is larger than 64 MiB". */
  what: string;
}

const MIB = 1024 * 1024;

/**
 * Largest `nm -n` listing `kallsyms` reads: 64 MiB, some 1.7 million symbols.
 * The table is built in memory, about 24 bytes of memory per byte of listing
 * (a synthetic 64 MiB listing: 1.5 GB peak, 47 s, `/usr/bin/time -v
 * kallsyms-lab kallsyms --generation latest`), so the limit is what keeps a
 * stranger's listing from eating the machine; a kernel's System.map is a
 * fraction of it.
 */
export const MAX_LISTING_BYTES = 64 * MIB;
/** Largest scenario file: a 200,000-character script with every character escaped fits. */
export const MAX_SCENARIO_BYTES = 4 * MIB;

/** What an input is held to when its command names no limit of its own. */
export const DEFAULT_INPUT_LIMIT: InputLimit = { bytes: MAX_LISTING_BYTES, what: 'input' };

export function describeBytes(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes / MIB} MiB` : `${bytes} bytes`;
}

function tooLarge(path: string, limit: InputLimit): UsageError {
  const where = path === '-' ? 'standard input' : path;
  return new UsageError(
    `${where}: the ${limit.what} is larger than ${describeBytes(limit.bytes)}, ` +
      `the most kallsyms-lab reads; give a smaller one`,
  );
}

/** Reads a stream until its end, or refuses it as soon as it passes the limit (stdin, a device, the fuzz runner's stdin). */
export async function readBounded(
  chunks: AsyncIterable<Uint8Array>,
  path: string,
  limit: InputLimit,
  stop: () => void,
): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let length = 0;
  for await (const chunk of chunks) {
    length += chunk.length;
    if (length > limit.bytes) {
      stop();
      throw tooLarge(path, limit);
    }
    parts.push(chunk);
  }
  return new Uint8Array(Buffer.concat(parts, length));
}

async function readFileBounded(path: string, limit: InputLimit): Promise<Uint8Array> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw unreadable(path, error);
  }
  try {
    const info = await handle.stat();
    if (info.isDirectory()) throw new UsageError(`${path}: is a directory, not a file.`);
    // A regular file says its size: refuse it before reading a byte.
    if (info.isFile() && info.size > limit.bytes) throw tooLarge(path, limit);
    // A device or a pipe (/dev/zero, a FIFO) may never end: read it with the same bound.
    const stream = handle.createReadStream({ autoClose: false, highWaterMark: 1 << 20 });
    return await readBounded(stream, path, limit, () => stream.destroy());
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw unreadable(path, error);
  } finally {
    await handle.close().catch(() => {});
  }
}

function unreadable(path: string, error: unknown): UsageError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT')
    return new UsageError(
      `${path}: no such file. Check the path, or give "-" to read standard input.`,
    );
  if (code === 'EISDIR') return new UsageError(`${path}: is a directory, not a file.`);
  if (code === 'EACCES') return new UsageError(`${path}: permission denied.`);
  return new UsageError(`${path}: cannot be read (${code ?? (error as Error).message}).`);
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  readInput(path, limit = DEFAULT_INPUT_LIMIT) {
    if (path === '-') {
      return readBounded(process.stdin, path, limit, () => process.stdin.destroy());
    }
    return readFileBounded(path, limit);
  },
};

/**
 * What the launcher sets up before a command runs. A reader that stops
 * reading (`| head -c 100`) ends the command quietly: EPIPE on standard
 * output or error exits at once, with no message (no one is left to read
 * it) and status 0, as if the output had been read. Any other write error
 * (a full disk) is one line and status 1. An error that escapes every
 * handler (a bug) is one line and status 70, never a stack trace.
 */
export function guardProcess(): void {
  const onWriteError = (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    lastWords(`cannot write the output (${error.code ?? error.message})`, 1);
  };
  process.stdout.on('error', onWriteError);
  process.stderr.on('error', onWriteError);
  const onBug = (error: unknown) => {
    if ((error as NodeJS.ErrnoException | null)?.code === 'EPIPE') process.exit(0);
    const message = error instanceof Error ? error.message : String(error);
    if (process.env.KALLSYMS_LAB_DEBUG && error instanceof Error)
      lastWords(String(error.stack), 70);
    lastWords(
      `internal error: ${oneLine(message)} (a bug in kallsyms-lab; KALLSYMS_LAB_DEBUG=1 prints where)`,
      70,
    );
  };
  process.on('uncaughtException', onBug);
  process.on('unhandledRejection', onBug);
}

function lastWords(line: string, status: number): never {
  try {
    process.stderr.write(`kallsyms-lab: ${line}\n`);
  } finally {
    process.exit(status);
  }
}
