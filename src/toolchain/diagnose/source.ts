/**
 * Where an input's bytes come from, without holding them all: a random-access
 * reader. The CLI reads a file handle; the page hands the worker a File (a
 * Blob, cloned by handle, not by copy) or transfers an ArrayBuffer. An ELF
 * image is read in pieces (headers, then its symbol tables), so a 1 GB
 * vmlinux never sits in memory whole.
 */
import { throwIfAborted } from './progress.ts';

export interface DiagnoseSource {
  /** What the user called it (a path, a dropped file's name). */
  readonly name: string;
  /** Bytes in the input. */
  readonly size: number;
  /**
   * Up to `length` bytes from `offset`; fewer only at the end of the input
   * (a file that shrank while read gives fewer, and is reported as truncated).
   */
  read(offset: number, length: number): Promise<Uint8Array>;
}

/** Bytes already in memory (e.g. an ArrayBuffer transferred to a worker). */
export function bytesSource(name: string, bytes: Uint8Array): DiagnoseSource {
  return {
    name,
    size: bytes.length,
    read: async (offset, length) =>
      bytes.subarray(Math.min(offset, bytes.length), Math.min(offset + length, bytes.length)),
  };
}

/** A Blob or File (a dropped or picked file): read slice by slice. */
export function blobSource(name: string, blob: Blob): DiagnoseSource {
  return {
    name,
    size: blob.size,
    read: async (offset, length) =>
      new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer()),
  };
}

/** Reads at most this much per call, so that progress moves and a signal is seen. */
export const READ_CHUNK = 8 * 1024 * 1024;

/**
 * Reads [offset, offset + length) in chunks, calling `onBytes` with each
 * chunk's size. Returns fewer bytes only if the source ends early.
 */
export async function readRange(
  source: DiagnoseSource,
  offset: number,
  length: number,
  onBytes: (n: number) => void,
  signal?: AbortSignal,
): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    throwIfAborted(signal);
    const want = Math.min(READ_CHUNK, length - done);
    const chunk = await source.read(offset + done, want);
    if (chunk.length === 0) break;
    out.set(chunk.subarray(0, Math.min(chunk.length, want)), done);
    done += Math.min(chunk.length, want);
    onBytes(Math.min(chunk.length, want));
  }
  return done === length ? out : out.subarray(0, done);
}
