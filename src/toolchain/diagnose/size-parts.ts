/**
 * The parts of a kallsyms table by the kernel's own symbol names, for the
 * CLI's and the page's reports alike (a module of its own, so the page's
 * bundle takes these names without the table builder).
 */
import type { KallsymsSizes } from '../kallsyms/index.ts';

/** The table's parts in the kernel's own names, in the order its .S lays them out, for reports. */
export const TABLE_SIZE_PARTS: ReadonlyArray<readonly [keyof KallsymsSizes, string]> = [
  ['addresses', 'kallsyms_addresses'],
  ['offsets', 'kallsyms_offsets'],
  ['relativeBase', 'kallsyms_relative_base'],
  ['numSyms', 'kallsyms_num_syms'],
  ['names', 'kallsyms_names'],
  ['markers', 'kallsyms_markers'],
  ['tokenTable', 'kallsyms_token_table'],
  ['tokenIndex', 'kallsyms_token_index'],
  ['seqsOfNames', 'kallsyms_seqs_of_names'],
  ['padding', 'alignment padding'],
  ['total', '.rodata, in all'],
];
