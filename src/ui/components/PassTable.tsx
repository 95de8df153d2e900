/** The numbers of every pass: sortable by any column, exportable as CSV (table) and JSON (run). */
import { linkName } from '../../toolchain/kbuild/link-words.ts';
import { downloadText, passesToCsv, recordToJson } from '../export.ts';
import { PASS_COLUMNS } from '../pass-columns.ts';
import {
  selectChosenPass,
  selectPasses,
  selectPresetId,
  selectRecord,
  selectSort,
  selectSortedPasses,
  useActions,
  useApp,
} from '../store/index.ts';

export function PassTable() {
  const passes = useApp(selectPasses);
  const sorted = useApp(selectSortedPasses);
  const sort = useApp(selectSort);
  const record = useApp(selectRecord);
  const chosen = useApp(selectChosenPass);
  const presetId = useApp(selectPresetId);
  const { sortBy, choosePass } = useActions();
  const base = `kallsyms-lab-${presetId ?? 'custom'}`;

  return (
    <section className="pass-table" aria-labelledby="passes-heading" id="panel-table">
      <div className="section-head">
        <h2 id="passes-heading">Pass by pass</h2>
        <div className="buttons">
          <button
            type="button"
            disabled={passes.length === 0}
            onClick={() => downloadText(`${base}-passes.csv`, passesToCsv(passes), 'text/csv')}
          >
            Export CSV
          </button>
          <button
            type="button"
            disabled={record === null}
            onClick={() =>
              record && downloadText(`${base}-run.json`, recordToJson(record), 'application/json')
            }
          >
            Export JSON
          </button>
        </div>
      </div>
      <div className="table-scroll">
        <table>
          <caption>Passes</caption>
          <thead>
            <tr>
              {PASS_COLUMNS.map((c) => {
                const active = sort.column === c.column;
                return (
                  <th
                    key={c.column}
                    scope="col"
                    aria-sort={active ? sort.direction : undefined}
                    className={c.numeric ? 'num' : undefined}
                  >
                    <button type="button" className="sort" onClick={() => sortBy(c.column)}>
                      {c.title}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort.direction === 'ascending' ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {sorted.length === 0 ? (
              <tr>
                <td colSpan={PASS_COLUMNS.length} className="muted empty">
                  No passes yet.
                </td>
              </tr>
            ) : (
              sorted.map((p) => (
                <tr
                  key={p.pass}
                  className={chosen?.pass === p.pass ? 'chosen' : undefined}
                  aria-current={chosen?.pass === p.pass ? 'true' : undefined}
                >
                  {PASS_COLUMNS.map((c, i) => {
                    const value = c.value(p);
                    const text = value === null ? '–' : String(value);
                    if (i === 0) {
                      return (
                        <th key={c.column} scope="row" className="num">
                          <button
                            type="button"
                            className="link"
                            onClick={() => choosePass(p.pass)}
                            title={`Show ${linkName(p)} in the panels below`}
                          >
                            {text}
                          </button>
                        </th>
                      );
                    }
                    return (
                      <td key={c.column} className={c.numeric ? 'num' : undefined}>
                        {text}
                      </td>
                    );
                  })}
                </tr>
              ))
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}
