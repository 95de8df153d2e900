/**
 * A diagnosis of the reader's own build, as the page shows it (the CLI's
 * text, src/cli/diagnose-text.ts, says the same): for each input what it is
 * and the table each kallsyms generation builds from it, every symbol under
 * the rule that kept or dropped it, and the linker-made symbols with what
 * each generation does with them; for two, the System.map check the kernel
 * makes, what moved and the likely cause. Names come from strangers' files:
 * each goes through `printable` (bounded, control bytes escaped).
 */
import {
  printable,
  type ComparisonDiagnosis,
  type Diagnosis,
  type GenerationReport,
  type InputFacts,
  type LinkerSymbolGroup,
  type TableDiagnosis,
} from '../../toolchain/diagnose/index.ts';
import { TABLE_SIZE_PARTS } from '../../toolchain/diagnose/size-parts.ts';
import { Term } from '../learn/Term.tsx';

const fmt = (n: number) => n.toLocaleString('en-US');
const signedHex = (n: number) => (n < 0 ? `-0x${(-n).toString(16)}` : `+0x${n.toString(16)}`);
const signed = (n: number) => (n > 0 ? `+${fmt(n)}` : fmt(n));

function InputLine({ facts }: { facts: InputFacts }) {
  const name = printable(facts.name, 120);
  if (facts.elf) {
    const e = facts.elf;
    return (
      <p>
        <code>{name}</code>: ELF{e.elfClass} {e.endian}-endian {e.machineName} {e.fileType}
        {e.arch ? ` (${e.arch})` : ''}, {fmt(facts.bytes)} bytes; {fmt(facts.bytesRead)} of them
        read (its headers and symbol tables). {fmt(facts.listingLines)} symbols as{' '}
        <code>llvm-nm -n</code> lists them; word size {facts.wordSize} ({facts.wordSizeFrom}).
      </p>
    );
  }
  return (
    <p>
      <code>{name}</code>:{' '}
      {facts.kind === 'system-map' ? (
        <>
          a <Term term="System.map">System.map</Term> (or a listing just like one)
        </>
      ) : (
        <>
          an <code>nm -n</code> listing
        </>
      )}
      , {fmt(facts.bytes)} bytes, {fmt(facts.listingLines)} lines, {fmt(facts.definedSymbols)} with
      an address; word size {facts.wordSize} ({facts.wordSizeFrom}).
      {facts.notes.map((note) => (
        <span key={note}> Note: {note}</span>
      ))}
    </p>
  );
}

function GenerationTable({ table, caption }: { table: TableDiagnosis; caption: string }) {
  const gens = table.generations;
  const cell = (g: GenerationReport, value: (g: GenerationReport) => number | null | undefined) => {
    if (g.error) return 'error';
    const v = value(g);
    return v === null || v === undefined ? '–' : fmt(v);
  };
  const rows: Array<[string, (g: GenerationReport) => number | null | undefined]> = [
    ['listing lines', (g) => g.counts?.listingLines],
    ['lines after mksysmap (.syms)', (g) => g.counts?.symsLines ?? null],
    ['symbols kept after reading', (g) => g.counts?.keptSymbols],
    ['in the table (num_syms)', (g) => g.counts?.tableSymbols],
    ...TABLE_SIZE_PARTS.filter(([key]) => gens.some((g) => g.sizes && g.sizes[key] !== 0)).map(
      ([key, label]): [string, (g: GenerationReport) => number | null | undefined] => [
        label,
        (g) => g.sizes?.[key],
      ],
    ),
  ];
  if (gens.some((g) => g.tableObjectBytes !== null))
    rows.push([`table object (${table.input.arch}), file size`, (g) => g.tableObjectBytes]);
  return (
    <div className="table-scroll">
      <table className="diag-table" data-table="generations">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">bytes / symbols</th>
            {gens.map((g) => (
              <th scope="col" key={g.generation}>
                {g.generation}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              {gens.map((g) => (
                <td key={g.generation} className="num">
                  {cell(g, value)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {gens.map((g) => (
        <div key={g.generation}>
          {g.error ? (
            <p className="diag-error">
              {g.generation}: the kernel&rsquo;s tool would stop: {printable(g.error, 300)}
            </p>
          ) : null}
          {g.warnings.first.map((w, i) => (
            <p key={i} className="muted">
              {g.generation} warns: {printable(w, 200)}
            </p>
          ))}
        </div>
      ))}
    </div>
  );
}

function Rules({ table }: { table: TableDiagnosis }) {
  // Generations with the same account are shown once.
  const shown = new Map<string, string[]>();
  for (const g of table.generations) {
    if (g.rules.length === 0) continue;
    const key = JSON.stringify(g.rules.map((r) => [r.rule, r.symbols]));
    shown.set(key, [...(shown.get(key) ?? []), g.generation]);
  }
  return (
    <details className="diag-rules">
      <summary>Every symbol, by the rule that kept or dropped it</summary>
      {[...shown.values()].map((gens) => {
        const g = table.generations.find((x) => x.generation === gens[0])!;
        const rules = [...g.rules].sort(
          (a, b) => Number(b.inTable) - Number(a.inTable) || b.symbols - a.symbols,
        );
        return (
          <div key={gens.join()}>
            <h5>{gens.join(', ')}</h5>
            <ul>
              {rules.map((r) => (
                <li key={r.rule}>
                  <span className="num">{fmt(r.symbols)}</span>{' '}
                  {r.inTable ? 'kept by' : 'dropped by'} <code>{printable(r.rule, 120)}</code>
                  {!r.inTable && r.examples.length > 0
                    ? `, e.g. ${r.examples
                        .slice(0, 3)
                        .map((n) => printable(n, 40))
                        .join(', ')}`
                    : ''}
                </li>
              ))}
            </ul>
          </div>
        );
      })}
    </details>
  );
}

function fateWords(group: LinkerSymbolGroup, generation: 'v5.8' | 'v5.9' | 'latest'): string {
  const fate = group.fate[generation];
  if (!fate) return 'its rules could not be applied (see the error above)';
  const parts: string[] = [];
  if (fate.inTable > 0)
    parts.push(
      fate.inTable === group.count
        ? `all ${fmt(fate.inTable)} go into the table`
        : `${fmt(fate.inTable)} go into the table`,
    );
  for (const d of fate.droppedBy) {
    const verb =
      generation === 'latest' && d.rule.startsWith('mksysmap') ? 'hidden by' : 'dropped by';
    parts.push(`${fmt(d.symbols)} ${verb} ${d.rule}`);
  }
  return parts.join('; ');
}

function LinkerSymbols({ table }: { table: TableDiagnosis }) {
  const r = table.linkerSymbols;
  if (r.total === 0)
    return (
      <p data-linker-symbols="0">
        Linker-made symbols: none (no ld.lld or GNU ld <Term term="stub">stub</Term> or thunk names;
        on x86 neither linker makes any).
      </p>
    );
  return (
    <div data-linker-symbols={r.total}>
      <p>
        Linker-made symbols (<Term term="stubs">stubs</Term> and thunks): {fmt(r.total)}
      </p>
      <ul className="diag-linker">
        {r.groups.map((g) => (
          <li key={g.kind.id}>
            <strong>
              {g.kind.linker} <code>{g.kind.pattern}</code>
            </strong>
            : {fmt(g.count)} ({g.kind.arch} {g.kind.what}), e.g.{' '}
            {g.examples
              .slice(0, 3)
              .map((n) => printable(n, 60))
              .join(', ')}
            <ul>
              {(['latest', 'v5.9', 'v5.8'] as const).map((gen) => (
                <li key={gen}>
                  {gen}: {fateWords(g, gen)}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {table.input.kind === 'system-map' ? (
        <p className="muted">
          A System.map: the stubs that mksysmap hides are not in it, so they are not counted.
        </p>
      ) : null}
    </div>
  );
}

function Comparison({ c, names }: { c: ComparisonDiagnosis; names: [string, string] }) {
  const [first, second] = names.map((n) => printable(n, 60));
  const s = c.symbols;
  return (
    <section className="diag-compare" aria-labelledby="diag-compare-heading">
      <h3 id="diag-compare-heading">What differs</h3>
      <h4>Likely cause</h4>
      <ul className="diag-causes">
        {c.causes.map((cause, i) => (
          <li key={i} data-cause={cause.kind}>
            {printable(cause.text, 600)}
          </li>
        ))}
      </ul>
      {c.systemMaps.map((m) => (
        <div
          key={m.generations.join()}
          className="diag-check"
          data-generations={m.generations.join(',')}
        >
          <h4>
            <Term term="System.map">System.map</Term> check for {m.generations.join(' and ')}:{' '}
            {m.check.ok
              ? `passes (${fmt(m.check.trialLines)} lines, identical)`
              : `fails (${fmt(m.check.trialLines)} lines in ${first}, ${fmt(m.check.finalLines)} in ${second})`}
          </h4>
          <p className="muted">Made by {m.filter}.</p>
          {!m.check.ok && m.check.message ? (
            <figure className="kernel-words">
              <figcaption>The kernel&rsquo;s message, verbatim:</figcaption>
              <pre className="kernel-message">{m.check.message}</pre>
            </figure>
          ) : null}
          {m.check.differences.length > 0 ? (
            <div className="table-scroll">
              <table className="map-diff diag-map-diff">
                <caption>First differing System.map lines</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">{first}</th>
                    <th scope="col">{second}</th>
                  </tr>
                </thead>
                <tbody>
                  {m.check.differences.map((d) => (
                    <tr key={d.line}>
                      <td>{d.line}</td>
                      <td>
                        <code>{d.trial === null ? '(none)' : printable(d.trial, 200)}</code>
                      </td>
                      <td>
                        <code>{d.final === null ? '(none)' : printable(d.final, 200)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          ) : null}
        </div>
      ))}
      <h4>Symbols</h4>
      <p data-symbols>
        {s.compared}: {fmt(s.inFirst)} → {fmt(s.inSecond)}; {fmt(s.added.count)} added,{' '}
        {fmt(s.removed.count)} removed, {fmt(s.moved.count)} moved, {fmt(s.unchanged)} unchanged.
      </p>
      {(
        [
          ['added', s.added],
          ['removed', s.removed],
        ] as const
      ).map(([label, items]) =>
        items.count > 0 ? (
          <p key={label} className="diag-names">
            {label}:{' '}
            {items.first
              .slice(0, 8)
              .map((x) => `${printable(x.name, 60)} ${x.address}`)
              .join(', ')}
            {items.count > 8 ? ` … (${fmt(items.count)} in all)` : ''}
          </p>
        ) : null,
      )}
      {s.moved.count > 0 ? (
        <div className="table-scroll">
          <table className="diag-table">
            <caption>Moved, in {fmt(s.moved.runCount)} runs of neighbours that moved alike</caption>
            <thead>
              <tr>
                <th scope="col">by</th>
                <th scope="col">symbols</th>
                <th scope="col">section</th>
                <th scope="col">from</th>
              </tr>
            </thead>
            <tbody>
              {s.moved.runs.slice(0, 10).map((run) => (
                <tr key={run.first.address + run.first.name}>
                  <td className="num">{signedHex(run.delta)}</td>
                  <td className="num">{fmt(run.symbols)}</td>
                  <td>{run.section ?? ''}</td>
                  <td>
                    <code>
                      {run.first.address}{' '}
                      {run.symbols === 1
                        ? printable(run.first.name, 50)
                        : `${printable(run.first.name, 40)} … ${printable(run.last.name, 40)}`}
                    </code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {c.sections && c.sections.length > 0 ? (
        <>
          <h4>Sections that changed</h4>
          <ul>
            {c.sections.map((sec) => (
              <li key={sec.name}>
                <code>{printable(sec.name, 30)}</code> {sec.firstAddress} → {sec.secondAddress}
                {sec.moved !== 0 ? ` (${signedHex(sec.moved)})` : ''}, {fmt(sec.firstSize)} →{' '}
                {fmt(sec.secondSize)} bytes{sec.grew !== 0 ? ` (${signed(sec.grew)})` : ''}
                {sec.paddingChange ? `, padding before it ${signed(sec.paddingChange)}` : ''}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}

function OneTable({ table, whose }: { table: TableDiagnosis; whose: string }) {
  return (
    <section className="diag-input" aria-label={`The ${whose} input`}>
      <InputLine facts={table.input} />
      <GenerationTable
        table={table}
        caption={`The table each kallsyms generation builds from ${whose === 'only' ? 'it' : `the ${whose}`}`}
      />
      <Rules table={table} />
      <LinkerSymbols table={table} />
    </section>
  );
}

export function DiagnosisView({ diagnosis }: { diagnosis: Diagnosis }) {
  if (diagnosis.inputs === 1) return <OneTable table={diagnosis.tables[0]} whose="only" />;
  return (
    <>
      <Comparison
        c={diagnosis.comparison}
        names={[diagnosis.tables[0].input.name, diagnosis.tables[1].input.name]}
      />
      <h3>Each input</h3>
      <OneTable table={diagnosis.tables[0]} whose="first" />
      <OneTable table={diagnosis.tables[1]} whose="second" />
    </>
  );
}
