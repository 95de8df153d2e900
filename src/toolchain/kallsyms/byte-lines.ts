/**
 * Many short byte sequences stored flat (one buffer, one index), because a
 * typed array per symbol costs more in allocation and GC than the bytes
 * themselves once there are 300k symbols.
 */
export interface ByteLines {
  /** All lines' bytes, back to back. */
  data: Uint8Array;
  /** Line i is data[starts[i]] … data[starts[i + 1] - 1]; length = line count + 1. */
  starts: Uint32Array;
}

export function lineCount(lines: ByteLines): number {
  return lines.starts.length - 1;
}

export function lineAt(lines: ByteLines, i: number): Uint8Array {
  return lines.data.subarray(lines.starts[i], lines.starts[i + 1]);
}

export function fromArrays(arrays: readonly ArrayLike<number>[]): ByteLines {
  const starts = new Uint32Array(arrays.length + 1);
  for (let i = 0; i < arrays.length; i++) starts[i + 1] = starts[i] + arrays[i].length;
  const data = new Uint8Array(starts[arrays.length]);
  for (let i = 0; i < arrays.length; i++) data.set(arrays[i], starts[i]);
  return { data, starts };
}

/** Each line as its own array (views into `data`), for code that is not hot. */
export function toArrays(lines: ByteLines): Uint8Array[] {
  return Array.from({ length: lineCount(lines) }, (_, i) => lineAt(lines, i));
}
