/**
 * What `diagnose` accepts, stated once (the CLI's help and the page quote
 * these). An input over a limit is refused from its size or its headers,
 * before it is read whole.
 *
 * Why these numbers: the largest kernels list 400,000–600,000 symbols
 * (an `nm -n` listing of 20–40 MB); the limits leave several times that.
 * Memory grows with the symbols, not with the file: an ELF image is never
 * read whole, only its headers and its symbol and string tables, so a
 * 1 GB vmlinux with debug information costs what its symbol table costs.
 */
export const DIAGNOSE_LIMITS = {
  /** A System.map or `nm -n` listing: read whole, so bounded by its size. */
  textBytes: 256 * 1024 * 1024,
  /** Longest listing line: nm prints an address, a letter and a name. */
  lineBytes: 64 * 1024,
  /** Symbols (listing lines, or ELF symbol table entries) per input. */
  symbols: 4_000_000,
  /** An ELF image's section headers, symbol table and string tables together. */
  elfTableBytes: 512 * 1024 * 1024,
  /** An ELF image file (only its tables are read; this bounds the offsets). */
  elfFileBytes: 16 * 1024 * 1024 * 1024,
  /** Names listed per group in a report (counts are always complete). */
  listedNames: 20,
} as const;

export const MIB = 1024 * 1024;

/** `12.3 MiB`, for messages. */
export function describeBytes(bytes: number): string {
  const unit = (value: number, name: string, digits: number) =>
    `${Number.isInteger(value) ? value : value.toFixed(digits)} ${name}`;
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < MIB) return unit(bytes / 1024, 'KiB', 1);
  if (bytes < 1024 * MIB) return unit(bytes / MIB, 'MiB', 1);
  return unit(bytes / (1024 * MIB), 'GiB', 2);
}
