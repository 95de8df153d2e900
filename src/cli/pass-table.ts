import { linkLabel } from '../toolchain/kbuild/link-words.ts';
import type { PassRecord } from '../toolchain/kbuild/records.ts';

/** Columns of the per-pass table the `run` command prints: trial links by number, then vmlinux (link-words.ts). */
const COLUMNS: Array<{ title: string; width: number; value: (p: PassRecord) => string }> = [
  { title: 'link', width: 7, value: linkLabel },
  { title: 'image', width: 26, value: (p) => p.link.image },
  { title: 'listing', width: 7, value: (p) => String(p.listingLines) },
  {
    title: 'table syms',
    width: 10,
    value: (p) => (p.tableObject ? String(p.tableObject.counts.tableSymbols) : '-'),
  },
  {
    title: 'table bytes',
    width: 11,
    value: (p) => (p.tableObject ? String(p.tableObject.sizes.total) : '-'),
  },
  { title: 'object', width: 7, value: (p) => (p.tableObject ? String(p.tableObject.bytes) : '-') },
  { title: 'stubs', width: 5, value: (p) => String(p.stubs.total) },
  { title: 'new', width: 5, value: (p) => String(p.stubs.added.length) },
  { title: 'out of reach', width: 12, value: (p) => String(p.reach.outOfReach) },
  { title: 'link ms', width: 7, value: (p) => p.link.ms.toFixed(0) },
];

export function passTableHeader(): string {
  return COLUMNS.map((c, i) =>
    i === 1 ? c.title.padEnd(c.width) : c.title.padStart(c.width),
  ).join('  ');
}

export function passTableRow(pass: PassRecord): string {
  return COLUMNS.map((c, i) =>
    i === 1 ? c.value(pass).padEnd(c.width) : c.value(pass).padStart(c.width),
  ).join('  ');
}
