import { ElfFormatError, hex } from './errors.ts';

/**
 * Decodes the NUL-terminated string at `start + index` inside the string
 * table `[start, end)`. Pure ASCII names (nearly all of them) take a fast path
 * without TextDecoder.
 */
export function readCString(
  bytes: Uint8Array,
  start: number,
  end: number,
  index: number,
  what: string,
): string {
  const at = start + index;
  if (index < 0 || at >= end) {
    throw new ElfFormatError(
      `${what}: string offset ${hex(index)} is outside its string table (size ${hex(end - start)})`,
      start,
    );
  }
  const nul = bytes.indexOf(0, at);
  if (nul < 0 || nul >= end) {
    throw new ElfFormatError(`${what}: string at offset ${hex(index)} is not NUL-terminated`, at);
  }
  return decode(bytes, at, nul);
}

function decode(bytes: Uint8Array, from: number, to: number): string {
  const length = to - from;
  if (length === 0) return '';
  if (length <= 256) {
    let ascii = true;
    for (let i = from; i < to; i++) {
      if (bytes[i] >= 0x80) {
        ascii = false;
        break;
      }
    }
    if (ascii)
      return String.fromCharCode.apply(null, bytes.subarray(from, to) as unknown as number[]);
  }
  return new TextDecoder().decode(bytes.subarray(from, to));
}
