/**
 * A diagnosis as terminal text. Names and lines come from strangers' files:
 * every one goes through `printable`/`quoteLine` (bounded, control bytes
 * escaped), never raw.
 */
import {
  printable,
  quoteLine,
  type Diagnosis,
  type GenerationReport,
  type InputFacts,
  type LinkerSymbolGroup,
  type TableDiagnosis,
} from '../toolchain/diagnose/index.ts';
import type { ComparisonDiagnosis } from '../toolchain/diagnose/index.ts';
import { TABLE_SIZE_PARTS } from '../toolchain/diagnose/size-parts.ts';

const fmt = (n: number) => n.toLocaleString('en-US');
const signedHex = (n: number) => (n < 0 ? `-0x${(-n).toString(16)}` : `+0x${n.toString(16)}`);
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n));

function describeInput(f: InputFacts): string[] {
  const lines: string[] = [];
  const name = printable(f.name, 120);
  if (f.elf) {
    const e = f.elf;
    lines.push(
      `${name}: ELF${e.elfClass} ${e.endian}-endian ${e.machineName} ${e.fileType}` +
        `${e.arch ? ` (${e.arch})` : ''}, ${fmt(f.bytes)} bytes; read ${fmt(f.bytesRead)} of them ` +
        '(its headers and symbol tables)',
    );
    lines.push(
      `  ${fmt(f.listingLines)} symbols as "llvm-nm -n" lists them (${fmt(e.symbolTableEntries)} .symtab entries); ` +
        `word size ${f.wordSize} (${f.wordSizeFrom})`,
    );
  } else {
    const what =
      f.kind === 'system-map'
        ? `a System.map, or a listing just like one: ${f.systemMapFilter === 'latest' ? "today's mksysmap" : "v5.9's link-vmlinux.sh"} drops none of its lines`
        : 'an "nm -n" listing';
    lines.push(`${name}: ${what}, ${fmt(f.bytes)} bytes`);
    lines.push(
      `  ${fmt(f.listingLines)} lines, ${fmt(f.definedSymbols)} with an address; word size ${f.wordSize} (${f.wordSizeFrom})`,
    );
  }
  for (const note of f.notes) lines.push(`  Note: ${note}`);
  return lines;
}

function table(rows: string[][], widths: number[]): string[] {
  return rows.map((cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[0]) : c.padStart(widths[i]))).join(''),
  );
}

function generationTable(t: TableDiagnosis, whose = 'it'): string[] {
  const gens = t.generations;
  const cell = (g: GenerationReport, value: (g: GenerationReport) => number | null | undefined) => {
    if (g.error) return 'error';
    const v = value(g);
    return v === null || v === undefined ? '–' : fmt(v);
  };
  const rows: string[][] = [['', ...gens.map((g) => g.generation)]];
  rows.push(['listing lines', ...gens.map((g) => cell(g, (x) => x.counts?.listingLines))]);
  rows.push([
    'lines after mksysmap (.syms)',
    ...gens.map((g) => cell(g, (x) => x.counts?.symsLines ?? null)),
  ]);
  rows.push([
    'symbols kept after reading',
    ...gens.map((g) => cell(g, (x) => x.counts?.keptSymbols)),
  ]);
  rows.push([
    'in the table (num_syms)',
    ...gens.map((g) => cell(g, (x) => x.counts?.tableSymbols)),
  ]);
  for (const [key, label] of TABLE_SIZE_PARTS) {
    if (gens.every((g) => !g.sizes || g.sizes[key] === 0)) continue;
    rows.push([`  ${label}`, ...gens.map((g) => cell(g, (x) => x.sizes?.[key]))]);
  }
  if (gens.some((g) => g.tableObjectBytes !== null)) {
    rows.push([
      `table object (${t.input.arch}), file size`,
      ...gens.map((g) => cell(g, (x) => x.tableObjectBytes)),
    ]);
  }
  const out = [`The table each kallsyms generation builds from ${whose} (bytes)`];
  out.push(...table(rows, [40, 14, 14, 14]));
  for (const g of gens) {
    if (g.error) out.push(`  ${g.generation}: the kernel's tool would stop: ${g.error}`);
    for (const w of g.warnings.first) out.push(`  ${g.generation} warns: ${printable(w, 200)}`);
    if (g.warnings.count > g.warnings.first.length) {
      out.push(
        `  ${g.generation}: ${fmt(g.warnings.count - g.warnings.first.length)} more warnings`,
      );
    }
  }
  return out;
}

function ruleLines(t: TableDiagnosis): string[] {
  const out = ['Every symbol, by the rule that kept or dropped it'];
  // Generations with the same account are shown once.
  const shown = new Map<string, string[]>();
  for (const g of t.generations) {
    if (g.rules.length === 0) continue;
    const key = JSON.stringify(g.rules.map((r) => [r.rule, r.symbols]));
    shown.set(key, [...(shown.get(key) ?? []), g.generation]);
  }
  for (const [key, gens] of shown) {
    void key;
    const g = t.generations.find((x) => x.generation === gens[0])!;
    out.push(`  ${gens.join(', ')}:`);
    const rules = [...g.rules].sort(
      (a, b) => Number(b.inTable) - Number(a.inTable) || b.symbols - a.symbols,
    );
    for (const r of rules) {
      const examples =
        !r.inTable && r.examples.length > 0
          ? `  e.g. ${r.examples
              .slice(0, 3)
              .map((n) => printable(n, 40))
              .join(', ')}`
          : '';
      out.push(`    ${fmt(r.symbols).padStart(10)}  ${r.rule}${examples}`);
    }
  }
  return out;
}

function fateLine(group: LinkerSymbolGroup, generation: 'v5.8' | 'v5.9' | 'latest'): string {
  const fate = group.fate[generation];
  if (!fate)
    return `      ${(generation + ':').padEnd(8)}(its rules could not be applied: see the error above)`;
  const parts: string[] = [];
  if (fate.inTable > 0) {
    parts.push(
      fate.inTable === group.count
        ? `all ${fmt(fate.inTable)} go into the table`
        : `${fmt(fate.inTable)} go into the table`,
    );
  }
  for (const d of fate.droppedBy) {
    const verb =
      generation === 'latest' && d.rule.startsWith('mksysmap') ? 'hidden by' : 'dropped by';
    parts.push(`${fmt(d.symbols)} ${verb} ${d.rule}`);
  }
  return `      ${(generation + ':').padEnd(8)}${parts.join('; ')}`;
}

function linkerLines(t: TableDiagnosis, whose = ''): string[] {
  const r = t.linkerSymbols;
  const heading = `Linker-made symbols${whose}`;
  if (r.total === 0) {
    return [
      `${heading}: none (no ld.lld or GNU ld stub or thunk names; on x86 neither linker makes any)`,
    ];
  }
  const out = [`${heading}: ${fmt(r.total)}`];
  for (const g of r.groups) {
    out.push(
      `  ${g.kind.linker} ${g.kind.pattern}: ${fmt(g.count)} (${g.kind.arch} ${g.kind.what})`,
    );
    out.push(
      `      e.g. ${g.examples
        .slice(0, 3)
        .map((n) => printable(n, 60))
        .join(', ')}`,
    );
    for (const gen of ['latest', 'v5.9', 'v5.8'] as const) out.push(fateLine(g, gen));
  }
  if (t.input.kind === 'system-map') {
    out.push('  (a System.map: stubs that mksysmap hides are not in it, so they are not counted)');
  }
  return out;
}

function comparisonLines(c: ComparisonDiagnosis, names: [string, string]): string[] {
  const [first, second] = names.map((n) => printable(n, 60));
  const out: string[] = [];
  for (const m of c.systemMaps) {
    const check = m.check;
    out.push(
      `System.map check for ${m.generations.join(' and ')}: ` +
        (check.ok
          ? `passes (${fmt(check.trialLines)} lines, identical)`
          : `FAILS (${fmt(check.trialLines)} lines in ${first}, ${fmt(check.finalLines)} in ${second})`),
    );
    out.push(`  made by ${m.filter}`);
    if (!check.ok) {
      for (const line of (check.message ?? '').split('\n')) out.push(`  ${line}`);
      for (const d of check.differences) {
        out.push(
          `  line ${d.line}: first ${d.trial === null ? '(none)' : quoteLine(d.trial, 200)}  ` +
            `second ${d.final === null ? '(none)' : quoteLine(d.final, 200)}`,
        );
      }
    }
  }
  const s = c.symbols;
  out.push('');
  out.push(
    `Symbols (${s.compared}): ${fmt(s.inFirst)} → ${fmt(s.inSecond)}; ${fmt(s.added.count)} added, ` +
      `${fmt(s.removed.count)} removed, ${fmt(s.moved.count)} moved, ${fmt(s.unchanged)} unchanged`,
  );
  const list = (label: string, items: typeof s.added) => {
    if (items.count === 0) return;
    const more =
      items.count > items.first.length ? `, and ${fmt(items.count - items.first.length)} more` : '';
    out.push(
      `  ${label}: ${items.first
        .slice(0, 8)
        .map((x) => `${printable(x.name, 60)} ${x.address}`)
        .join(', ')}${items.count > 8 ? ` … (${fmt(items.count)} in all)` : more}`,
    );
  };
  list('added', s.added);
  list('removed', s.removed);
  if (s.moved.count > 0) {
    out.push(`  moved, in ${fmt(s.moved.runCount)} runs of neighbours that moved alike:`);
    for (const run of s.moved.runs.slice(0, 10)) {
      const span =
        run.symbols === 1
          ? printable(run.first.name, 50)
          : `${printable(run.first.name, 40)} … ${printable(run.last.name, 40)}`;
      out.push(
        `    ${signedHex(run.delta).padStart(12)}  ${fmt(run.symbols).padStart(8)} ` +
          `${run.symbols === 1 ? 'symbol ' : 'symbols'}  ` +
          `${run.section ?? ''}  from ${run.first.address}: ${span}`,
      );
    }
    if (s.moved.runCount > 10) out.push(`    … ${fmt(s.moved.runCount - 10)} more runs`);
  }
  if (c.sections && c.sections.length > 0) {
    out.push('');
    out.push('Sections that changed');
    for (const sec of c.sections) {
      out.push(
        `  ${printable(sec.name, 30).padEnd(20)} ${sec.firstAddress} → ${sec.secondAddress}` +
          `${sec.moved !== 0 ? ` (${signedHex(sec.moved)})` : ''}, ${fmt(sec.firstSize)} → ${fmt(sec.secondSize)} bytes` +
          `${sec.grew !== 0 ? ` (${signed(sec.grew)})` : ''}` +
          `${sec.paddingChange ? `, padding before it ${signed(sec.paddingChange)}` : ''}`,
      );
    }
  }
  out.push('');
  out.push('Likely cause');
  for (const cause of c.causes) out.push(`  - ${printable(cause.text, 600)}`);
  return out;
}

export function formatDiagnosis(d: Diagnosis): string {
  const out: string[] = [];
  if (d.inputs === 1) {
    const t = d.tables[0];
    out.push(
      ...describeInput(t.input),
      '',
      ...generationTable(t),
      '',
      ...ruleLines(t),
      '',
      ...linkerLines(t),
    );
  } else {
    for (const [i, t] of d.tables.entries()) {
      out.push(
        ...describeInput(t.input).map((l, k) =>
          k === 0 ? `${i === 0 ? 'first' : 'second'}  ${l}` : `       ${l}`,
        ),
      );
    }
    out.push('');
    for (const [i, t] of d.tables.entries()) {
      out.push(...generationTable(t, i === 0 ? 'the first' : 'the second'), '');
    }
    for (const [i, t] of d.tables.entries()) {
      out.push(...linkerLines(t, i === 0 ? ' in the first' : ' in the second'));
    }
    out.push('');
    out.push(...comparisonLines(d.comparison, [d.tables[0].input.name, d.tables[1].input.name]));
  }
  return out.join('\n') + '\n';
}
