/**
 * Two inputs (the last trial image and vmlinux, or two trial images): the
 * difference that makes "Inconsistent kallsyms data". The System.map checks
 * are the engine's own (kbuild/system-map-check.ts over the same filters the
 * link loop uses), so they report exactly the lines a run reports; the rest
 * explains them: which symbols appeared, vanished or moved and by how much,
 * which sections grew, and the likely cause in words.
 */
import {
  GENERATIONS,
  hexReader,
  mksysmap,
  mksysmapV59,
  type Generation,
} from '../kallsyms/index.ts';
import { compareSystemMaps, type SystemMapCheck } from '../kbuild/system-map-check.ts';
import type { SectionFact } from './elf-input.ts';
import type { DiagnoseInput } from './input.ts';
import { classifyLinkerSymbol, type LinkerSymbolKind } from './linker-symbols.ts';
import type { TableDiagnosis } from './table.ts';

export interface SystemMapComparison {
  /** The generations whose build makes this check. */
  generations: Generation[];
  /** How each System.map is made. */
  filter: string;
  /** The check, as the link loop makes it: the first input as the last trial, the second as vmlinux. */
  check: SystemMapCheck;
}

export interface SymbolAt {
  name: string;
  /** `0x…` */
  address: string;
}

export interface MovedRun {
  /** First and last symbol of the run, in the first input's address order. */
  first: SymbolAt;
  last: SymbolAt;
  symbols: number;
  /** Bytes moved (second address − first address). */
  delta: number;
  /** The first input's section holding the run, when known. */
  section: string | null;
}

export interface SymbolDiff {
  /** Which symbols were compared. */
  compared: string;
  inFirst: number;
  inSecond: number;
  unchanged: number;
  added: { count: number; first: SymbolAt[] };
  removed: { count: number; first: SymbolAt[] };
  moved: {
    count: number;
    /** Runs of neighbours that moved by the same amount, in address order (the first few). */
    runs: MovedRun[];
    runCount: number;
    minDelta: number;
    maxDelta: number;
  };
  /** The lowest-addressed symbol that moved, and the last one before it that did not. */
  firstMoved: {
    symbol: SymbolAt;
    to: string;
    delta: number;
    after: SymbolAt | null;
    section: string | null;
  } | null;
}

export interface LinkerSymbolChange {
  kind: LinkerSymbolKind;
  count: number;
  examples: string[];
}

export interface SectionChange {
  name: string;
  firstAddress: string;
  secondAddress: string;
  firstSize: number;
  secondSize: number;
  /** Bytes the section's start moved. */
  moved: number;
  /** Bytes it grew (negative: shrank). */
  grew: number;
  /**
   * How much more it moved than the growth of the section before it explains:
   * padding (an alignment) changed by this much. Null for the first section.
   */
  paddingChange: number | null;
}

export interface TableChange {
  generation: Generation;
  first: { tableSymbols: number; bytes: number; tableObjectBytes: number | null } | null;
  second: { tableSymbols: number; bytes: number; tableObjectBytes: number | null } | null;
}

export type CauseKind =
  | 'identical'
  | 'stubs-appeared'
  | 'stubs-vanished'
  | 'symbols-changed'
  | 'table-grew'
  | 'section-grew'
  | 'alignment-moved'
  | 'symbols-moved'
  | 'next-table';

export interface Cause {
  kind: CauseKind;
  text: string;
}

export interface ComparisonDiagnosis {
  systemMaps: SystemMapComparison[];
  symbols: SymbolDiff;
  linkerSymbols: { added: LinkerSymbolChange[]; removed: LinkerSymbolChange[] };
  /** Allocated sections whose address or size changed (both inputs ELF images), else null. */
  sections: SectionChange[] | null;
  tables: TableChange[];
  /** The likely cause, in words, most telling first. */
  causes: Cause[];
}

export interface CompareOptions {
  filterLldStubs?: boolean;
  listedNames: number;
}

const hex = (v: bigint) => `0x${v.toString(16)}`;
const fmt = (n: number) => n.toLocaleString('en-US');
const signedHex = (n: number) => (n < 0 ? `-0x${(-n).toString(16)}` : `+0x${n.toString(16)}`);
const bytesWord = (n: number) => `${fmt(Math.abs(n))} byte${Math.abs(n) === 1 ? '' : 's'}`;
const clip = (name: string) => (name.length > 200 ? name.slice(0, 200) + '…' : name);
const TABLE_LABEL =
  /^kallsyms_(addresses|offsets|relative_base|num_syms|names|markers|token_table|token_index|seqs_of_names)$/;

interface Listed {
  names: string[];
  addrs: bigint[];
}

/** The defined symbols of a listing, in listing order. */
function definedSymbols(text: string): Listed {
  const names: string[] = [];
  const addrs: bigint[] = [];
  const readHex = hexReader();
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const space = text.indexOf(' ', at);
    if (space > at && space + 3 <= end) {
      addrs.push(readHex(text, at, space));
      names.push(text.slice(space + 3, end));
    }
    at = end + 1;
  }
  return { names, addrs };
}

/** The section of `sections` (sorted by address) holding `address`. */
function sectionOf(sections: SectionFact[] | undefined, address: bigint): string | null {
  if (!sections) return null;
  let found: string | null = null;
  for (const s of sections) {
    const start = BigInt(s.address);
    if (start > address) break;
    if (address < start + BigInt(s.size)) found = s.name;
  }
  return found;
}

function groupByKind(
  names: string[],
  machine: number | undefined,
  listed: number,
): LinkerSymbolChange[] {
  const groups = new Map<string, LinkerSymbolChange>();
  for (const name of names) {
    const kind = classifyLinkerSymbol(name, machine);
    if (!kind) continue;
    let g = groups.get(kind.id);
    if (!g) groups.set(kind.id, (g = { kind, count: 0, examples: [] }));
    g.count++;
    if (g.examples.length < listed) g.examples.push(clip(name));
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

function diffSymbols(
  a: DiagnoseInput,
  b: DiagnoseInput,
  options: CompareOptions,
): { diff: SymbolDiff; addedNames: string[]; removedNames: string[] } {
  // Compare like with like: a System.map on either side means mksysmap's view on both.
  const mapSide = [a, b].find((x) => x.facts.kind === 'system-map');
  const filter = (text: string) =>
    mapSide === undefined
      ? text
      : mapSide.facts.systemMapFilter === 'v5.9'
        ? mksysmapV59(text).text
        : mksysmap(text, { ignoreLldStubs: options.filterLldStubs }).text;
  const first = definedSymbols(filter(a.listing));
  const second = definedSymbols(filter(b.listing));
  const sectionsA = a.facts.elf?.sections;

  // The k-th symbol of a name in one is the k-th of that name in the other
  // (statics of the same name in several files keep their order).
  const key = (name: string, seen: Map<string, number>) => {
    const k = seen.get(name) ?? 0;
    seen.set(name, k + 1);
    return k === 0 ? name : `${name}\0${k}`;
  };
  const inFirst = new Map<string, number>();
  const seenA = new Map<string, number>();
  first.names.forEach((name, i) => inFirst.set(key(name, seenA), i));
  const seenB = new Map<string, number>();
  const matched = new Uint8Array(first.names.length);
  const added: number[] = [];
  const moved: Array<{ i: number; j: number; delta: bigint }> = [];
  let unchanged = 0;
  second.names.forEach((name, j) => {
    const i = inFirst.get(key(name, seenB));
    if (i === undefined) {
      added.push(j);
      return;
    }
    matched[i] = 1;
    const delta = second.addrs[j] - first.addrs[i];
    if (delta === 0n) unchanged++;
    else moved.push({ i, j, delta });
  });
  const removed: number[] = [];
  for (let i = 0; i < matched.length; i++) if (!matched[i]) removed.push(i);

  const at = (l: Listed, i: number): SymbolAt => ({
    name: clip(l.names[i]),
    address: hex(l.addrs[i]),
  });
  const byAddress = (l: Listed) => (x: number, y: number) =>
    l.addrs[x] < l.addrs[y] ? -1 : l.addrs[x] > l.addrs[y] ? 1 : x - y;
  added.sort(byAddress(second));
  removed.sort(byAddress(first));
  moved.sort((x, y) => byAddress(first)(x.i, y.i));

  // Runs of neighbours (in the first input's order) that moved alike.
  const runs: MovedRun[] = [];
  let runCount = 0;
  let minDelta = 0;
  let maxDelta = 0;
  for (let k = 0; k < moved.length;) {
    let end = k + 1;
    const section = sectionOf(sectionsA, first.addrs[moved[k].i]);
    while (
      end < moved.length &&
      moved[end].delta === moved[k].delta &&
      sectionOf(sectionsA, first.addrs[moved[end].i]) === section
    )
      end++;
    const delta = Number(moved[k].delta);
    if (runCount === 0 || delta < minDelta) minDelta = delta;
    if (runCount === 0 || delta > maxDelta) maxDelta = delta;
    runCount++;
    if (runs.length < options.listedNames) {
      runs.push({
        first: at(first, moved[k].i),
        last: at(first, moved[end - 1].i),
        symbols: end - k,
        delta,
        section,
      });
    }
    k = end;
  }

  let firstMoved: SymbolDiff['firstMoved'] = null;
  if (moved.length > 0) {
    const m = moved[0];
    const from = first.addrs[m.i];
    // The last symbol before it, in the first input, that kept its address.
    const isMoved = new Uint8Array(first.names.length);
    for (const x of moved) isMoved[x.i] = 1;
    let after: SymbolAt | null = null;
    let best = -1;
    for (let i = 0; i < first.names.length; i++) {
      if (!matched[i] || isMoved[i] || first.addrs[i] > from) continue;
      if (best < 0 || first.addrs[i] >= first.addrs[best]) best = i;
    }
    if (best >= 0) after = at(first, best);
    firstMoved = {
      symbol: at(first, m.i),
      to: hex(second.addrs[m.j]),
      delta: Number(m.delta),
      after,
      section: sectionOf(sectionsA, from),
    };
  }

  const compared =
    mapSide === undefined
      ? 'every defined symbol of both listings'
      : `the System.map symbols (${mapSide.facts.systemMapFilter === 'v5.9' ? "v5.9's" : "mksysmap's"} filter on both)`;
  return {
    diff: {
      compared,
      inFirst: first.names.length,
      inSecond: second.names.length,
      unchanged,
      added: {
        count: added.length,
        first: added.slice(0, options.listedNames).map((j) => at(second, j)),
      },
      removed: {
        count: removed.length,
        first: removed.slice(0, options.listedNames).map((i) => at(first, i)),
      },
      moved: { count: moved.length, runs, runCount, minDelta, maxDelta },
      firstMoved,
    },
    addedNames: added.map((j) => second.names[j]),
    removedNames: removed.map((i) => first.names[i]),
  };
}

function diffSections(a: SectionFact[], b: SectionFact[]): SectionChange[] {
  const inB = new Map<string, SectionFact>();
  for (const s of b) if (!inB.has(s.name)) inB.set(s.name, s);
  const changes: SectionChange[] = [];
  let previous: { moved: number; grew: number } | null = null;
  for (const s of a) {
    const t = inB.get(s.name);
    if (!t) continue;
    const moved = Number(BigInt(t.address) - BigInt(s.address));
    const grew = t.size - s.size;
    const paddingChange = previous === null ? null : moved - previous.moved - previous.grew;
    if (moved !== 0 || grew !== 0) {
      changes.push({
        name: s.name,
        firstAddress: s.address,
        secondAddress: t.address,
        firstSize: s.size,
        secondSize: t.size,
        moved,
        grew,
        paddingChange,
      });
    }
    previous = { moved, grew };
  }
  return changes;
}

function describeFate(
  group: TableDiagnosis['linkerSymbols']['groups'][number] | undefined,
): string {
  if (!group) return '';
  const latest = group.fate.latest;
  if (!latest) return '';
  if (latest.inTable === group.count)
    return "; today's mksysmap lets every one of them into the table";
  if (latest.inTable === 0) {
    const rule = latest.droppedBy[0]?.rule;
    return `; today's ${rule ?? 'filter'} hides them`;
  }
  return `; today's mksysmap lets ${fmt(latest.inTable)} of ${fmt(group.count)} into the table`;
}

export function compareInputs(
  a: DiagnoseInput,
  b: DiagnoseInput,
  tables: [TableDiagnosis, TableDiagnosis],
  options: CompareOptions,
): ComparisonDiagnosis {
  const systemMaps: SystemMapComparison[] = [
    {
      generations: ['v5.8', 'v5.9'],
      filter:
        'link-vmlinux.sh of v5.8–v5.10: nm -n, without lines matching " [aNUw] ", "__crc_", " $[adt]", " .L"',
      check: compareSystemMaps(mksysmapV59(a.listing).text, mksysmapV59(b.listing).text),
    },
    {
      generations: ['latest'],
      filter:
        'scripts/mksysmap of v6.11 and later (the last trial\u2019s .syms file against vmlinux\u2019s System.map)' +
        (options.filterLldStubs ? ", with ld.lld's stub names filtered too" : ''),
      check: compareSystemMaps(
        mksysmap(a.listing, { ignoreLldStubs: options.filterLldStubs }).text,
        mksysmap(b.listing, { ignoreLldStubs: options.filterLldStubs }).text,
      ),
    },
  ];
  const { diff, addedNames, removedNames } = diffSymbols(a, b, options);
  const machine = a.facts.elf?.machine ?? b.facts.elf?.machine;
  const linkerSymbols = {
    added: groupByKind(addedNames, machine, options.listedNames),
    removed: groupByKind(removedNames, machine, options.listedNames),
  };
  const sections =
    a.facts.elf && b.facts.elf ? diffSections(a.facts.elf.sections, b.facts.elf.sections) : null;
  const tableChanges: TableChange[] = GENERATIONS.map((generation) => {
    const side = (t: TableDiagnosis) => {
      const g = t.generations.find((x) => x.generation === generation);
      return g?.sizes && g.counts
        ? {
            tableSymbols: g.counts.tableSymbols,
            bytes: g.sizes.total,
            tableObjectBytes: g.tableObjectBytes,
          }
        : null;
    };
    return { generation, first: side(tables[0]), second: side(tables[1]) };
  });

  return {
    systemMaps,
    symbols: diff,
    linkerSymbols,
    sections,
    tables: tableChanges,
    causes: explain(systemMaps, diff, linkerSymbols, sections, tableChanges, tables[1]),
  };
}

function explain(
  systemMaps: SystemMapComparison[],
  diff: SymbolDiff,
  linker: ComparisonDiagnosis['linkerSymbols'],
  sections: SectionChange[] | null,
  tables: TableChange[],
  second: TableDiagnosis,
): Cause[] {
  const causes: Cause[] = [];
  const same = systemMaps.every((m) => m.check.ok);
  if (same && diff.added.count === 0 && diff.removed.count === 0 && diff.moved.count === 0) {
    return [
      {
        kind: 'identical',
        text: 'The two listings agree symbol for symbol: both System.map checks pass.',
      },
    ];
  }

  for (const change of linker.added) {
    const group = second.linkerSymbols.groups.find((g) => g.kind.id === change.kind.id);
    causes.push({
      kind: 'stubs-appeared',
      text:
        `Stubs appeared: the second input has ${fmt(change.count)} ${change.kind.linker} ` +
        `${change.kind.pattern} symbol${change.count === 1 ? '' : 's'} the first does not ` +
        `(${change.kind.arch} ${change.kind.what}), each a new symbol${describeFate(group)}.`,
    });
  }
  for (const change of linker.removed) {
    causes.push({
      kind: 'stubs-vanished',
      text:
        `Stubs vanished: ${fmt(change.count)} ${change.kind.linker} ${change.kind.pattern} ` +
        `stub${change.count === 1 ? '' : 's'} of the first input are gone from the second.`,
    });
  }
  const linkerAdded = linker.added.reduce((n, c) => n + c.count, 0);
  const linkerRemoved = linker.removed.reduce((n, c) => n + c.count, 0);
  const otherAdded = diff.added.count - linkerAdded;
  const otherRemoved = diff.removed.count - linkerRemoved;
  if (otherAdded > 0 || otherRemoved > 0) {
    causes.push({
      kind: 'symbols-changed',
      text:
        `Other symbols differ: ${fmt(otherAdded)} only in the second input, ${fmt(otherRemoved)} only in the first ` +
        '(not linker-made: were the two built from the same objects?).',
    });
  }

  const first = diff.firstMoved;
  if (first) {
    const where = first.section ? ` in ${first.section}` : '';
    const after = first.after
      ? `; ${first.after.name} (${first.after.address}), the last symbol before it that stayed, ` +
        `marks where ${bytesWord(first.delta)} appeared`
      : '';
    const isTable = first.after !== null && TABLE_LABEL.test(first.after.name);
    causes.push({
      kind: isTable ? 'table-grew' : 'symbols-moved',
      text:
        (isTable
          ? `The kallsyms table grew: ${first.after!.name} takes ${bytesWord(first.delta)} more, so ` +
            'what follows it moved: '
          : `Symbols moved: `) +
        `the first symbol that moved is ${first.symbol.name} at ${first.symbol.address}${where}, ` +
        `${signedHex(first.delta)} (${bytesWord(first.delta)})${isTable ? '' : after}. ` +
        `${fmt(diff.moved.count)} symbols moved in all, ` +
        (diff.moved.minDelta === diff.moved.maxDelta
          ? `all by ${signedHex(diff.moved.minDelta)}`
          : `by ${signedHex(diff.moved.minDelta)} to ${signedHex(diff.moved.maxDelta)}`) +
        ` in ${fmt(diff.moved.runCount)} run${diff.moved.runCount === 1 ? '' : 's'}` +
        (diff.moved.runCount > 1 && linkerAdded > 0
          ? ' (stubs placed among them push the later ones further)'
          : '') +
        '.',
    });
  }

  if (sections) {
    for (const s of sections.filter((x) => x.grew !== 0).slice(0, 4)) {
      causes.push({
        kind: 'section-grew',
        text:
          `Section ${s.name} ${s.grew > 0 ? 'grew' : 'shrank'} by ${bytesWord(s.grew)} ` +
          `(${fmt(s.firstSize)} → ${fmt(s.secondSize)} bytes)` +
          (s.moved !== 0 ? ` and starts ${signedHex(s.moved)} from where it was` : '') +
          '.',
      });
    }
    for (const s of sections
      .filter((x) => x.paddingChange !== null && x.paddingChange !== 0)
      .slice(0, 4)) {
      causes.push({
        kind: 'alignment-moved',
        text:
          `An alignment moved: ${s.name} starts ${signedHex(s.moved)} from where it was, ` +
          `${bytesWord(s.paddingChange!)} ${s.paddingChange! > 0 ? 'more' : 'less'} than the growth before it explains ` +
          '(the padding before it changed).',
      });
    }
  }

  const grown = [...tables]
    .reverse()
    .filter((t) => t.first && t.second && t.first.bytes !== t.second.bytes);
  if (grown.length > 0) {
    // Generations that build the same tables are named together (v5.8 and v5.9 often do).
    const each = new Map<string, string[]>();
    for (const t of grown) {
      const text =
        `${fmt(t.first!.bytes)} → ${fmt(t.second!.bytes)} bytes ` +
        `(${fmt(t.first!.tableSymbols)} → ${fmt(t.second!.tableSymbols)} symbols)`;
      each.set(text, [...(each.get(text) ?? []), t.generation]);
    }
    const growth = grown[0].second!.bytes - grown[0].first!.bytes;
    causes.push({
      kind: 'next-table',
      text:
        `The table built from each input differs: ${[...each]
          .map(([text, gens]) => `${gens.join(' and ')} ${text}`)
          .join('; ')}. Another link with the second's ` +
        `table would move what follows the table by about ${bytesWord(growth)} again.`,
    });
  }
  return causes;
}
