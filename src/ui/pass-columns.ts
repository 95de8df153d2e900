/** The pass table's columns: titles, and the value each shows, sorts and exports by. */
import { linkLabel } from '../toolchain/kbuild/link-words.ts';
import { PREDICTION_WORDS, shortSpacing } from '../toolchain/kbuild/growth-words.ts';
import type { PassRecord } from '../toolchain/kbuild/records.ts';

export type PassColumn =
  | 'pass'
  | 'step'
  | 'listingLines'
  | 'tableSymbols'
  | 'tableBytes'
  | 'objectBytes'
  | 'stubsTotal'
  | 'stubsNew'
  | 'outOfReach'
  | 'linkMs'
  | 'bytesPerStub'
  | 'targetSpacing'
  | 'growthRatio'
  | 'prediction';

/**
 * The value each column of the pass table sorts and shows by (null: "–").
 * The step column is titled "Image" (the file each step links): its sort
 * button must not be named like the Step button.
 */
export const PASS_COLUMNS: ReadonlyArray<{
  column: PassColumn;
  title: string;
  numeric: boolean;
  value: (p: PassRecord) => number | string | null;
}> = [
  // Trial links by number, the final link by name (link-words.ts); sorted in link order.
  {
    column: 'pass',
    title: 'Link',
    numeric: true,
    value: (p) => (p.step === 'vmlinux' ? linkLabel(p) : p.pass),
  },
  { column: 'step', title: 'Image', numeric: false, value: (p) => p.link.image },
  { column: 'listingLines', title: 'Listing lines', numeric: true, value: (p) => p.listingLines },
  {
    column: 'tableSymbols',
    title: 'Table symbols',
    numeric: true,
    value: (p) => p.tableObject?.counts.tableSymbols ?? null,
  },
  {
    column: 'tableBytes',
    title: 'Table bytes',
    numeric: true,
    value: (p) => p.tableObject?.sizes.total ?? null,
  },
  {
    column: 'objectBytes',
    title: 'Object size',
    numeric: true,
    value: (p) => p.tableObject?.bytes ?? null,
  },
  { column: 'stubsTotal', title: 'Stubs', numeric: true, value: (p) => p.stubs.total },
  { column: 'stubsNew', title: 'New stubs', numeric: true, value: (p) => p.stubs.added.length },
  {
    column: 'outOfReach',
    title: 'Calls out of reach',
    numeric: true,
    value: (p) => p.reach.outOfReach,
  },
  { column: 'linkMs', title: 'Link ms', numeric: true, value: (p) => Math.round(p.link.ms) },
  // The growth ratio measured on each trial (kbuild/growth.ts, spec/link-loop.md "Why a layout
  // converges"): what a new stub costs the table, how far apart the next targets past the limit
  // lie ("f": at the fixed address above init text), their ratio, and what it predicts.
  {
    column: 'bytesPerStub',
    title: 'Bytes per new stub',
    numeric: true,
    value: (p) => (p.growth ? Number(p.growth.bytesPerStub.toFixed(1)) : null),
  },
  {
    column: 'targetSpacing',
    title: 'Next targets’ spacing',
    numeric: false,
    value: (p) => (p.growth ? shortSpacing(p.growth) : null),
  },
  {
    column: 'growthRatio',
    title: 'Ratio',
    numeric: true,
    value: (p) => (p.growth ? Number(p.growth.ratio.toFixed(2)) : null),
  },
  {
    column: 'prediction',
    title: 'Predicts',
    numeric: false,
    value: (p) => (p.growth ? PREDICTION_WORDS[p.growth.prediction] : null),
  },
];
