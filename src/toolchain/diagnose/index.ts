/**
 * Diagnose the reader's own kernel build: pure TypeScript that runs in Node
 * (the CLI's `diagnose`) and in a worker (the page), no DOM, no Node APIs,
 * no module state.
 *
 *   source(s) ─▶ input (ELF image: headers and symbol tables only; or a
 *   checked listing) ─▶ per generation: kallsyms sizes and every symbol's
 *   rule ─▶ linker-made symbols ─┬▶ one input: TableDiagnosis
 *                                └▶ two inputs: + System.map checks, symbol
 *                                   diff, section changes, causes
 *
 * A worker calls it with transferable bytes or a File, and a progress callback:
 *
 *   const result = await diagnose([bytesSource(name, new Uint8Array(buffer))], {},
 *     { onProgress: (p) => post(p), signal });
 *
 * The result is plain data (strings, numbers, arrays), so it crosses
 * postMessage and JSON as is.
 */
import { DiagnoseError } from './errors.ts';
import { readInput, type DiagnoseInput } from './input.ts';
import { DIAGNOSE_LIMITS } from './limits.ts';
import { progressReporter, yieldToLoop, type DiagnoseHooks } from './progress.ts';
import type { DiagnoseSource } from './source.ts';
import { compareInputs, type ComparisonDiagnosis } from './compare.ts';
import { diagnoseTable, type DiagnoseOptions, type TableDiagnosis } from './table.ts';

export { DiagnoseError, printable, quoteLine } from './errors.ts';
export type { DiagnoseErrorCode } from './errors.ts';
export { DIAGNOSE_LIMITS, describeBytes } from './limits.ts';
export { blobSource, bytesSource, type DiagnoseSource } from './source.ts';
export type { DiagnoseHooks, DiagnosePhase, DiagnoseProgress } from './progress.ts';
export { classifyLinkerSymbol, type Linker, type LinkerSymbolKind } from './linker-symbols.ts';
export type { ElfFacts, SectionFact } from './elf-input.ts';
export type { InputFacts, InputKind } from './input.ts';
export type { RuleStage, RuleTally } from './rules.ts';
export type {
  DiagnoseOptions,
  GenerationFate,
  GenerationReport,
  LinkerSymbolGroup,
  LinkerSymbolReport,
  TableDiagnosis,
} from './table.ts';
export type {
  Cause,
  CauseKind,
  ComparisonDiagnosis,
  LinkerSymbolChange,
  MovedRun,
  SectionChange,
  SymbolAt,
  SymbolDiff,
  SystemMapComparison,
  TableChange,
} from './compare.ts';

export type Diagnosis =
  | { format: 1; inputs: 1; tables: [TableDiagnosis] }
  | {
      format: 1;
      inputs: 2;
      tables: [TableDiagnosis, TableDiagnosis];
      comparison: ComparisonDiagnosis;
    };

/**
 * Diagnoses one input (the table each generation builds from it, the
 * linker-made symbols in it) or two (the same for each, then what differs
 * between them: give the earlier image first, e.g. the last trial, then
 * vmlinux). Throws DiagnoseError for bad input, with a one-line message.
 */
export async function diagnose(
  sources: readonly DiagnoseSource[],
  options: DiagnoseOptions = {},
  hooks: DiagnoseHooks = {},
): Promise<Diagnosis> {
  if (sources.length < 1 || sources.length > 2) {
    throw new DiagnoseError(
      'too-many-inputs',
      sources.map((s) => s.name).join(', ') || '(none)',
      `give one input (to see its table) or two (to compare them), not ${sources.length}`,
    );
  }
  const listedNames = options.listedNames ?? DIAGNOSE_LIMITS.listedNames;
  const progress = progressReporter(sources.length, hooks);
  const inputs: DiagnoseInput[] = [];
  const tables: TableDiagnosis[] = [];
  for (const [index, source] of sources.entries()) {
    const input = await readInput(source, index, options, progress, hooks.signal);
    await yieldToLoop(hooks.signal);
    tables.push(await diagnoseTable(input, index, options, listedNames, progress, hooks.signal));
    inputs.push(input);
  }
  if (inputs.length === 1) {
    progress.at(0, 'linker-symbols', 'done', 1, 0);
    return { format: 1, inputs: 1, tables: [tables[0]] };
  }
  progress.at(null, 'compare', 'comparing the two inputs', 0, 0);
  await yieldToLoop(hooks.signal);
  const comparison = compareInputs(inputs[0], inputs[1], [tables[0], tables[1]], {
    filterLldStubs: options.filterLldStubs,
    listedNames,
  });
  progress.at(null, 'compare', 'done', 0, 0.3);
  return { format: 1, inputs: 2, tables: [tables[0], tables[1]], comparison };
}
