/** Test support: write `nm -n` lines. */

export function nm(addr: bigint | number, type: string, name: string, width = 16): string {
  return `${BigInt(addr).toString(16).padStart(width, '0')} ${type} ${name}`;
}

export function nmUndefined(type: string, name: string, width = 16): string {
  return `${' '.repeat(width)} ${type} ${name}`;
}

/** Lines joined as nm prints them, newline-terminated. */
export function listing(...lines: string[]): string {
  return lines.map((l) => l + '\n').join('');
}

const TEXT = 0xc000000000000000n;

/**
 * A minimal kernel-like frame: core text [_stext, _etext] and init text
 * [_sinittext, _einittext], with `extra` lines placed by address.
 */
export function kernelListing(extra: Array<[bigint, string, string]>): string {
  const lines: Array<[bigint, string, string]> = [
    [TEXT, 'T', '_text'],
    [TEXT, 'T', '_stext'],
    [TEXT + 0x1000n, 'T', '_etext'],
    [TEXT + 0x100000n, 'T', '_sinittext'],
    [TEXT + 0x101000n, 'T', '_einittext'],
    ...extra,
  ];
  const sorted = lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => (a.l[0] === b.l[0] ? a.i - b.i : a.l[0] < b.l[0] ? -1 : 1));
  return listing(...sorted.map(({ l }) => nm(l[0], l[1], l[2])));
}

export const KERNEL_BASE = TEXT;
