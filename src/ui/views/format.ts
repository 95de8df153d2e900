/**
 * Number, byte and address formatting shared by the views. Fixed to `en-US`
 * digits so the views, their exports and their tests read the same
 * everywhere.
 */

export const KiB = 1024;
export const MiB = 1024 * 1024;

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

/** 12345 → "12,345". */
export function formatCount(n: number): string {
  return integer.format(n);
}

/** 12345 → "12,345 B". */
export function formatBytesExact(n: number): string {
  return `${integer.format(n)} B`;
}

/**
 * A byte size for reading: bytes below 1 KiB, then KiB or MiB with one
 * decimal (two for MiB under 10), trailing zeros dropped, e.g. 88 → "88 B",
 * 49688 → "48.5 KiB", 65536 → "64 KiB", 33226752 → "31.7 MiB".
 */
export function formatBytes(n: number): string {
  const a = Math.abs(n);
  const trim = (s: string) => s.replace(/\.?0+$/, '');
  if (a < KiB) return `${integer.format(n)} B`;
  if (a < MiB) return `${trim((n / KiB).toFixed(1))} KiB`;
  return `${trim((n / MiB).toFixed(a < 10 * MiB ? 2 : 1))} MiB`;
}

/** 33226752 → "31.69 MiB" with a chosen number of decimals. */
export function formatMiB(n: number, decimals = 2): string {
  return `${(n / MiB).toFixed(decimals)} MiB`;
}

/** A signed change: +15, −3, ±0 (with a real minus sign). */
export function formatDelta(n: number): string {
  if (n === 0) return '±0';
  return n > 0 ? `+${integer.format(n)}` : `−${integer.format(-n)}`;
}

/** Parses a record's hex address ("0xc000000000052218") exactly. */
export function parseAddress(hex: string): bigint {
  return BigInt(hex);
}

/**
 * Formats an address as hex with the record's width: 16 digits for 64-bit
 * images, 8 for 32-bit ones (`digits`), e.g. 0xc000000000052218.
 */
export function formatAddress(address: bigint, digits: number): string {
  const negative = address < 0n;
  const body = (negative ? -address : address).toString(16).padStart(digits, '0');
  return `${negative ? '-' : ''}0x${body}`;
}

/** The hex width (8 or 16) an image's addresses are printed with. */
export function addressDigits(addresses: readonly string[]): number {
  return addresses.some((a) => a.replace(/^0x/, '').length > 8) ? 16 : 8;
}

/** "1 stub" / "2 stubs". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
