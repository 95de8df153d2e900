/** The pass table's columns: titles, and the value each shows, sorts and exports by. */
import { linkLabel } from '../toolchain/kbuild/link-words.ts';
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
  | 'linkMs';

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
];
