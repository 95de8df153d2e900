import { readFile } from 'node:fs/promises';
import { UsageError } from './exit-codes.ts';

/** Output streams, injectable so tests can run the CLI in-process. */
export interface CliIO {
  stdout: (text: string | Uint8Array) => void;
  stderr: (text: string) => void;
  /** Reads a file, or standard input for "-". */
  readInput: (path: string) => Promise<Uint8Array>;
}

async function readStdin(): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

export const processIO: CliIO = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  async readInput(path) {
    if (path === '-') return readStdin();
    try {
      return new Uint8Array(await readFile(path));
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT')
        throw new UsageError(
          `${path}: no such file. Check the path, or give "-" to read standard input.`,
        );
      if (code === 'EISDIR') throw new UsageError(`${path}: is a directory, not a file.`);
      throw new UsageError(`${path}: cannot be read (${code ?? String(error)}).`);
    }
  },
};
