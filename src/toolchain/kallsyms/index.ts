/**
 * The kernel's symbol-table generator (scripts/kallsyms), re-done in
 * TypeScript, byte for byte, for three generations of it:
 *
 *   listing ─▶ read (mksysmap/ignore) ─▶ select ─▶ order ─▶ program ─┬▶ text
 *                                                                    └▶ layout (.rodata bytes)
 */
import type { Target } from '../arch/targets.ts';
import type { RelocatableObjectSpec } from '../elf/object-spec.ts';
import { KallsymsError, type KallsymsWarning } from './errors.ts';
import type { Generation } from './ignore.ts';
import { layoutProgram, measureProgram } from './layout.ts';
import type { ListingSymbol } from './listing.ts';
import { printProgram } from './print.ts';
import { pickColumns, symbolsOf } from './columns.ts';
import {
  buildLatestProgramOf,
  buildV59ProgramOf,
  type KallsymsProgram,
  type TableLabel,
} from './program.ts';
import { readColumns } from './read.ts';
import { findTextRangesOf, selectColumns, type TextRanges } from './select.ts';
import { sortColumns } from './order.ts';

export { KallsymsError, describePlace } from './errors.ts';
export type { KallsymsErrorCode, KallsymsWarning, ListingPlace } from './errors.ts';
export type { Generation } from './ignore.ts';
export type { ListingSymbol } from './listing.ts';
export { mksysmap, mksysmapV59 } from './mksysmap.ts';
export { keepsTextSymbol } from './keeps.ts';
export type { MksysmapOptions, MksysmapResult } from './mksysmap.ts';
export { LLD_PPC64_STUB_PREFIXES, isLldPpc64StubName } from './stubs.ts';
export type { AsmTable, DataItem, KallsymsProgram, TableLabel } from './program.ts';
export { printProgram } from './print.ts';
export { layoutProgram, measureProgram } from './layout.ts';
export type { ProgramMeasure, TablePlacement } from './layout.ts';
export type { TextRanges } from './select.ts';
export { byteStringToBytes, bytesToByteString, toByteString } from './bytes.ts';
// The rules by name, for reports that account for every symbol (diagnose).
export { IGNORE_RULES, ignoreRuleOf } from './ignore.ts';
export {
  IN_TABLE_RULES,
  TABLE_RULES,
  findTextRanges,
  tableRuleOf,
  type TableRule,
} from './select.ts';
export {
  MKSYSMAP_RULES,
  MKSYSMAP_V59_RULES,
  describeMksysmapRule,
  filterListing,
  latestRules,
  mksysmapRuleOf,
} from './mksysmap.ts';
export {
  KSYM_NAME_LEN,
  hexReader,
  latestSymbolRead,
  parseLatestSpan,
  scanV59Listing,
} from './listing.ts';

export const GENERATIONS: readonly Generation[] = ['v5.8', 'v5.9', 'latest'];

export interface KallsymsOptions {
  generation: Generation;
  /** `--all-symbols`: every kept symbol, not only text symbols. */
  allSymbols?: boolean;
  /**
   * v5.8/v5.9 `--base-relative` (offsets + relative base rather than one
   * pointer per symbol). Default true, as powerpc kernels pass it. latest is
   * always base-relative.
   */
  baseRelative?: boolean;
  /** Also drop ld.lld's PPC64 stub symbols: the fix the kernel lacks. Default false. */
  ignoreLldStubs?: boolean;
  /** Word size the byte sizes are reported for (PTR and ALGN follow it). Default 8. */
  wordSize?: 4 | 8;
}

/** Bytes of each table (without alignment padding), and the whole `.rodata`. */
export interface KallsymsSizes {
  numSyms: number;
  names: number;
  markers: number;
  tokenTable: number;
  tokenIndex: number;
  /** kallsyms_offsets (base-relative). */
  offsets: number;
  /** kallsyms_addresses (v5.x without base-relative). */
  addresses: number;
  relativeBase: number;
  /** kallsyms_seqs_of_names (latest). */
  seqsOfNames: number;
  /** Zero bytes added to align labels. */
  padding: number;
  /** Size of the `.rodata` section. */
  total: number;
}

export interface KallsymsCounts {
  /** Lines of the listing given. */
  listingLines: number;
  /** latest: lines of the `.syms` file (after mksysmap); null for v5.x. */
  symsLines: number | null;
  /** Symbols the tool kept after reading and ignoring. */
  keptSymbols: number;
  /** Symbols in the table (kallsyms_num_syms). */
  tableSymbols: number;
}

export interface KallsymsResult {
  /**
   * The assembler source, as the kernel tool prints it (a byte string; ASCII
   * for kernel names). Printed when first read: the link loop needs only the
   * program, and the text of a kernel-sized table takes a sixth of the time.
   */
  readonly text: string;
  /** The same, as data: feed it to `layoutKallsyms`. */
  program: KallsymsProgram;
  sizes: KallsymsSizes;
  counts: KallsymsCounts;
  /** What the kernel tool would print on stderr and carry on. */
  warnings: KallsymsWarning[];
  /** latest: the `.syms` file the tool read (mksysmap of the listing); null for v5.x. */
  syms: string | null;
  /** The table's symbols, in table order (made when first read). */
  readonly symbols: readonly ListingSymbol[];
  /** `_text`'s address and the text boundaries the selection used. */
  textAddr: bigint;
  textRanges: TextRanges;
}

const SIZE_KEYS: Record<TableLabel, keyof KallsymsSizes> = {
  kallsyms_num_syms: 'numSyms',
  kallsyms_names: 'names',
  kallsyms_markers: 'markers',
  kallsyms_token_table: 'tokenTable',
  kallsyms_token_index: 'tokenIndex',
  kallsyms_offsets: 'offsets',
  kallsyms_addresses: 'addresses',
  kallsyms_relative_base: 'relativeBase',
  kallsyms_seqs_of_names: 'seqsOfNames',
};

export function programSizes(program: KallsymsProgram, wordSize: 4 | 8): KallsymsSizes {
  const sizes: KallsymsSizes = {
    numSyms: 0,
    names: 0,
    markers: 0,
    tokenTable: 0,
    tokenIndex: 0,
    offsets: 0,
    addresses: 0,
    relativeBase: 0,
    seqsOfNames: 0,
    padding: 0,
    total: 0,
  };
  const measure = measureProgram(program, wordSize);
  for (const t of measure.tables) {
    sizes[SIZE_KEYS[t.label]] += t.size;
    sizes.padding += t.padding;
  }
  sizes.total = measure.total;
  return sizes;
}

/**
 * Runs the kernel's kallsyms on an `nm -n` listing (for latest, raw nm output
 * or the `.syms` file: the mksysmap filter is applied either way).
 * Throws KallsymsError where the kernel tool exits with an error.
 */
export function generateKallsyms(
  listing: string | Uint8Array,
  options: KallsymsOptions,
): KallsymsResult {
  const { generation } = options;
  const read = readColumns(listing, options);
  const textRanges = findTextRangesOf(read.kept);
  const selected = selectColumns(read.kept, textRanges, {
    generation,
    allSymbols: options.allSymbols,
  });
  if (generation !== 'latest' && selected.length === 0) {
    throw new KallsymsError(
      'no-valid-symbol',
      `kallsyms: No valid symbol. None of the ${read.kept.count} symbols kept from the ` +
        `${read.listingLines}-line listing lies in [_stext, _etext] or [_sinittext, _einittext]; ` +
        `check that the listing is "nm -n" output of an image defining those symbols, ` +
        `or pass allSymbols (--all-symbols)`,
    );
  }
  const table = pickColumns(read.kept, sortColumns(read.kept, selected));
  const input = { table, textAddr: read.textAddr };
  const program =
    generation === 'latest'
      ? buildLatestProgramOf(input)
      : buildV59ProgramOf(input, { baseRelative: options.baseRelative ?? true });
  let text: string | undefined;
  let symbols: ListingSymbol[] | undefined;
  return {
    get text() {
      return (text ??= printProgram(program));
    },
    get symbols() {
      return (symbols ??= symbolsOf(table));
    },
    program,
    sizes: programSizes(program, options.wordSize ?? 8),
    counts: {
      listingLines: read.listingLines,
      symsLines: read.syms ? read.syms.lines : null,
      keptSymbols: read.kept.count,
      tableSymbols: table.count,
    },
    warnings: read.warnings,
    syms: read.syms ? read.syms.text : null,
    textAddr: read.textAddr,
    textRanges,
  };
}

/** The table object's `.rodata` for a target, as the assembler would lay it out. */
export function layoutKallsyms(
  result: Pick<KallsymsResult, 'program'>,
  target: Target,
): RelocatableObjectSpec {
  return layoutProgram(result.program, target);
}
