import { linkLabel } from '../toolchain/kbuild/link-words.ts';
import { PREDICTION_WORDS, shortSpacing } from '../toolchain/kbuild/growth-words.ts';
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
  // The growth ratio (kbuild/growth.ts): what each new stub costs the table, against how far
  // apart the next call targets lie past the limit, and what their ratio predicts.
  {
    title: 'B/stub',
    width: 6,
    value: (p) => (p.growth ? p.growth.bytesPerStub.toFixed(1) : '-'),
  },
  { title: 'spacing', width: 11, value: (p) => (p.growth ? shortSpacing(p.growth) : '-') },
  { title: 'ratio', width: 6, value: (p) => (p.growth ? p.growth.ratio.toFixed(2) : '-') },
  {
    title: 'predicts',
    width: 9,
    value: (p) => (p.growth ? PREDICTION_WORDS[p.growth.prediction] : '-'),
  },
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
