/**
 * One input: the symbol table each kallsyms generation would build from it
 * (sizes by part, every symbol accounted for by the rule that kept or
 * dropped it), and the linker-made symbols in it with what each generation
 * does with them.
 */
import { TARGETS, type ArchId } from '../arch/targets.ts';
import { writeRelocatableObject } from '../elf/index.ts';
import {
  GENERATIONS,
  KallsymsError,
  generateKallsyms,
  layoutKallsyms,
  type Generation,
  type KallsymsCounts,
  type KallsymsSizes,
} from '../kallsyms/index.ts';
import { quoteLine } from './errors.ts';
import type { DiagnoseInput, InputFacts } from './input.ts';
import { classifyLinkerSymbol, type LinkerSymbolKind } from './linker-symbols.ts';
import { INPUT_SHARES, yieldToLoop, type ProgressReporter } from './progress.ts';
import { accountListing, type GenerationAccount, type RuleTally } from './rules.ts';

export interface DiagnoseOptions {
  /** Also drop ld.lld's PPC64 stub names (the filter the kernel lacks), as `run --filter-lld-stubs`. */
  filterLldStubs?: boolean;
  /** `--all-symbols`: every kept symbol in the table. */
  allSymbols?: boolean;
  /** v5.8/v5.9 tables with offsets and a relative base (default true, as powerpc builds). */
  baseRelative?: boolean;
  /** Pointer size, when a listing's address width should not decide it. */
  wordSize?: 4 | 8;
  /** The project's target whose table object size to give, for listings (ELF images say it). */
  arch?: ArchId;
  /** Names listed per group (default DIAGNOSE_LIMITS.listedNames). */
  listedNames?: number;
}

export interface GenerationReport {
  generation: Generation;
  /** Bytes per table part and the `.rodata` total; null when the tool would stop with an error. */
  sizes: KallsymsSizes | null;
  counts: KallsymsCounts | null;
  /** The table object's file size (what the loop compares), for a known target. */
  tableObjectBytes: number | null;
  /** Every symbol accounted for: which rule dropped it or put it in the table. */
  rules: RuleTally[];
  /** What the tool would print on stderr and carry on (first few, and how many). */
  warnings: { count: number; first: string[] };
  /** The tool's error for this input, if it would stop. */
  error: string | null;
}

export interface GenerationFate {
  inTable: number;
  /** Dropped symbols by the rule that dropped them. */
  droppedBy: Array<{ rule: string; symbols: number }>;
}

export interface LinkerSymbolGroup {
  kind: LinkerSymbolKind;
  count: number;
  examples: string[];
  /** What each generation does with them (null where its rules could not be applied). */
  fate: Record<Generation, GenerationFate | null>;
}

export interface LinkerSymbolReport {
  total: number;
  groups: LinkerSymbolGroup[];
}

export interface TableDiagnosis {
  input: InputFacts;
  generations: GenerationReport[];
  linkerSymbols: LinkerSymbolReport;
}

/** Names of the linker-made symbols with a defined address, by line. */
function findLinkerSymbols(listing: string, machine: number | undefined) {
  const found: Array<{ line: number; name: string; kind: LinkerSymbolKind }> = [];
  for (let at = 0, line = 1; at < listing.length; line++) {
    const nl = listing.indexOf('\n', at);
    const end = nl < 0 ? listing.length : nl;
    if (listing.charCodeAt(at) !== 0x20) {
      const space = listing.indexOf(' ', at);
      if (space > 0 && space + 3 <= end) {
        const name = listing.slice(space + 3, end);
        const kind = classifyLinkerSymbol(name, machine);
        if (kind) found.push({ line, name, kind });
      }
    }
    at = end + 1;
  }
  return found;
}

/** A KallsymsError's message with its quoted line bounded and escaped. */
function boundedMessage(error: KallsymsError): string {
  const place = error.place;
  if (!place) return error.message;
  return error.message.replace(JSON.stringify(place.text), quoteLine(place.text));
}

export async function diagnoseTable(
  input: DiagnoseInput,
  index: number,
  options: DiagnoseOptions,
  listedNames: number,
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<TableDiagnosis> {
  const { facts, listing } = input;
  const generations: GenerationReport[] = [];
  const accounts = new Map<Generation, GenerationAccount>();
  const start = INPUT_SHARES.read + INPUT_SHARES.list;
  const share = INPUT_SHARES.kallsyms / GENERATIONS.length;

  // v5.8 is v5.9 without its two GNU ld stub substrings: with no such name in
  // the listing, both build the same table, so v5.8 reuses v5.9's work.
  const sameAsV59 = !/\.long_branch\.|\.plt_branch\./.test(listing);
  const order: Generation[] = ['v5.9', 'v5.8', 'latest'];
  for (const [g, generation] of order.entries()) {
    progress.at(index, 'kallsyms', `kallsyms ${generation} on ${facts.name}`, start, share * g);
    await yieldToLoop(signal);
    if (generation === 'v5.8' && sameAsV59) {
      const v59 = generations.find((r) => r.generation === 'v5.9')!;
      generations.push({ ...v59, generation: 'v5.8' });
      const account = accounts.get('v5.9');
      if (account) accounts.set('v5.8', { ...account, generation: 'v5.8' });
      continue;
    }
    generations.push(
      await generationReport(listing, facts, generation, options, listedNames, accounts),
    );
  }
  generations.sort((a, b) => GENERATIONS.indexOf(a.generation) - GENERATIONS.indexOf(b.generation));

  progress.at(
    index,
    'linker-symbols',
    `linker-made symbols in ${facts.name}`,
    start + INPUT_SHARES.kallsyms,
    0,
  );
  const linkerSymbols = reportLinkerSymbols(listing, facts, accounts, listedNames);
  progress.at(index, 'linker-symbols', `linker-made symbols in ${facts.name}`, 1, 0);
  return { input: facts, generations, linkerSymbols };
}

async function generationReport(
  listing: string,
  facts: InputFacts,
  generation: Generation,
  options: DiagnoseOptions,
  listedNames: number,
  accounts: Map<Generation, GenerationAccount>,
): Promise<GenerationReport> {
  const report: GenerationReport = {
    generation,
    sizes: null,
    counts: null,
    tableObjectBytes: null,
    rules: [],
    warnings: { count: 0, first: [] },
    error: null,
  };
  // The account first: it stands even where the tool would stop (e.g. "No
  // valid symbol": then it says which rule left each symbol out).
  let account: GenerationAccount;
  try {
    account = accountListing(listing, facts.listingLines, {
      generation,
      allSymbols: options.allSymbols,
      ignoreLldStubs: options.filterLldStubs,
      listedNames,
    });
  } catch (error) {
    if (!(error instanceof KallsymsError)) throw error;
    report.error = boundedMessage(error);
    return report;
  }
  accounts.set(generation, account);
  report.rules = account.tallies;
  try {
    const result = generateKallsyms(listing, {
      generation,
      allSymbols: options.allSymbols,
      baseRelative: options.baseRelative ?? true,
      ignoreLldStubs: options.filterLldStubs,
      wordSize: facts.wordSize,
    });
    // The account must be the generator's own decisions, symbol for symbol.
    if (
      account.kept !== result.counts.keptSymbols ||
      account.inTable !== result.counts.tableSymbols
    ) {
      throw new Error(
        `diagnose: the rule account of ${generation} (${account.kept} kept, ${account.inTable} in the table) ` +
          `disagrees with kallsyms (${result.counts.keptSymbols}, ${result.counts.tableSymbols})`,
      );
    }
    report.sizes = result.sizes;
    report.counts = result.counts;
    report.warnings = {
      count: result.warnings.length,
      first: result.warnings
        .slice(0, 3)
        .map((w) =>
          w.place
            ? w.message.replace(JSON.stringify(w.place.text), quoteLine(w.place.text))
            : w.message,
        ),
    };
    if (facts.arch) {
      report.tableObjectBytes = writeRelocatableObject(
        layoutKallsyms(result, TARGETS[facts.arch]),
      ).length;
    }
  } catch (error) {
    if (!(error instanceof KallsymsError)) throw error;
    report.error = boundedMessage(error);
  }
  return report;
}

function reportLinkerSymbols(
  listing: string,
  facts: InputFacts,
  accounts: Map<Generation, GenerationAccount>,
  listedNames: number,
): LinkerSymbolReport {
  const found = findLinkerSymbols(listing, facts.elf?.machine);
  const groups = new Map<
    string,
    LinkerSymbolGroup & { dropped: Record<Generation, Map<string, number>> }
  >();
  for (const { line, name, kind } of found) {
    let group = groups.get(kind.id);
    if (!group) {
      const fate = {} as Record<Generation, GenerationFate | null>;
      const dropped = {} as Record<Generation, Map<string, number>>;
      for (const g of GENERATIONS) {
        fate[g] = accounts.has(g) ? { inTable: 0, droppedBy: [] } : null;
        dropped[g] = new Map();
      }
      group = { kind, count: 0, examples: [], fate, dropped };
      groups.set(kind.id, group);
    }
    group.count++;
    if (group.examples.length < listedNames) {
      group.examples.push(name.length > 200 ? name.slice(0, 200) + '…' : name);
    }
    for (const g of GENERATIONS) {
      const account = accounts.get(g);
      const fate = group.fate[g];
      if (!account || !fate) continue;
      const decision = account.decisionOfLine[line];
      const tally = decision >= 0 ? account.tallies[decision] : undefined;
      if (tally?.inTable) fate.inTable++;
      else {
        const rule = tally?.rule ?? 'not read';
        group.dropped[g].set(rule, (group.dropped[g].get(rule) ?? 0) + 1);
      }
    }
  }
  const result: LinkerSymbolGroup[] = [...groups.values()].map(({ dropped, ...group }) => {
    for (const g of GENERATIONS) {
      const fate = group.fate[g];
      if (fate) fate.droppedBy = [...dropped[g]].map(([rule, symbols]) => ({ rule, symbols }));
    }
    return group;
  });
  result.sort((a, b) => b.count - a.count);
  return { total: found.length, groups: result };
}
