import { linkName } from '../../toolchain/kbuild/link-words.ts';
import { useId, useState } from 'react';
import type { PassRecord } from '../../toolchain/kbuild/records.ts';
import { formatCount, formatDelta, plural } from './format.ts';
import './views.css';

export interface StubsPanelProps {
  pass: PassRecord;
  previous: PassRecord | null;
  /** How many names each list shows before a "Show all" button (default 200). */
  limit?: number;
}

type Stub = PassRecord['stubs']['added'][number];

/** What each stub kind is, in a few words (ld.lld's names first, then GNU ld's). */
export const STUB_KIND_NOTES: Record<string, string> = {
  long_branch: 'ld.lld PPC64 long-branch stub (__long_branch_*)',
  plt: 'ld.lld PPC64 PLT call stub (__plt_*)',
  toc_save: 'ld.lld PPC64 TOC-saving stub (__toc_save_*)',
  gep_setup: 'ld.lld PPC64 global-entry setup stub (__gep_setup_*)',
  LongThunk: 'ld.lld PPC32 long-branch thunk (__LongThunk_*)',
  gnu_long_branch: 'GNU ld long-branch stub (*.long_branch.*)',
  gnu_plt_branch: 'GNU ld PLT-branch stub (*.plt_branch.*)',
};

export interface KindRow {
  kind: string;
  total: number;
  before: number | null;
  added: number;
  removed: number;
}

/** Counts per kind: in this image, in the one before, and added/removed since. */
export function stubKindRows(pass: PassRecord, previous: PassRecord | null): KindRow[] {
  const kinds = new Set<string>([
    ...Object.keys(pass.stubs.byKind),
    ...Object.keys(previous?.stubs.byKind ?? {}),
    ...pass.stubs.added.map((s) => s.kind),
    ...pass.stubs.removed.map((s) => s.kind),
  ]);
  const count = (list: Stub[], kind: string) => list.filter((s) => s.kind === kind).length;
  const byKind = (p: PassRecord, kind: string) =>
    (p.stubs.byKind as Record<string, number | undefined>)[kind] ?? 0;
  return [...kinds].sort().map((kind) => ({
    kind,
    total: byKind(pass, kind),
    before: previous ? byKind(previous, kind) : null,
    added: count(pass.stubs.added, kind),
    removed: count(pass.stubs.removed, kind),
  }));
}

/** Case-insensitive substring match on the name or the kind. */
export function filterStubs(list: readonly Stub[], query: string): Stub[] {
  const q = query.trim().toLowerCase();
  if (!q) return [...list];
  return list.filter((s) => s.name.toLowerCase().includes(q) || s.kind.toLowerCase().includes(q));
}

function StubList({
  title,
  list,
  total,
  limit,
  variant,
}: {
  title: string;
  list: Stub[];
  total: number;
  limit: number;
  variant: 'added' | 'removed';
}) {
  const [showAll, setShowAll] = useState(false);
  const headingId = useId();
  const shown = showAll ? list : list.slice(0, limit);
  return (
    <section className={`kv-stub-list kv-stub-list-${variant}`} aria-labelledby={headingId}>
      <h4 id={headingId}>
        {variant === 'added' ? '+ ' : '− '}
        {title}{' '}
        <span className="kv-muted">
          (
          {list.length === total
            ? formatCount(total)
            : `${formatCount(list.length)} of ${formatCount(total)}`}
          )
        </span>
      </h4>
      {list.length === 0 ? (
        <p className="kv-muted">{total === 0 ? 'None.' : 'None match the filter.'}</p>
      ) : (
        <ul className="kv-stub-names" data-list={variant}>
          {shown.map((s, i) => (
            <li key={`${i}:${s.name}`} data-kind={s.kind}>
              <code className="kv-stub-name">{s.name}</code>{' '}
              <span className="kv-badge">{s.kind}</span>
            </li>
          ))}
        </ul>
      )}
      {list.length > limit && (
        <button
          type="button"
          className="kv-button"
          onClick={() => setShowAll((v) => !v)}
          aria-expanded={showAll}
        >
          {showAll ? `Show first ${formatCount(limit)}` : `Show all ${formatCount(list.length)}`}
        </button>
      )}
    </section>
  );
}

export function StubsPanel({ pass, previous, limit = 200 }: StubsPanelProps) {
  const [query, setQuery] = useState('');
  const filterId = useId();
  const rows = stubKindRows(pass, previous);
  const added = filterStubs(pass.stubs.added, query);
  const removed = filterStubs(pass.stubs.removed, query);
  const since = previous ? `since ${linkName(previous)}` : 'the first image: every stub is new';
  const name = linkName(pass);

  return (
    <section className="kv-view kv-stubs" aria-label={`Linker stubs in ${name}`}>
      <p className="kv-stubs-summary">
        {`${pass.link.image}: ${plural(pass.stubs.total, 'stub')}`}
        {previous && ` (${formatDelta(pass.stubs.total - previous.stubs.total)})`}
        {`; ${formatCount(pass.stubs.added.length)} added, ${formatCount(pass.stubs.removed.length)} removed, ${since}.`}
      </p>
      {rows.length > 0 && (
        <table className="kv-table kv-stub-kinds">
          <caption>Stubs by kind</caption>
          <thead>
            <tr>
              <th scope="col">kind</th>
              <th scope="col">in this image</th>
              {previous && <th scope="col">before</th>}
              <th scope="col">added</th>
              <th scope="col">removed</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.kind}>
                <th scope="row">
                  <span className="kv-badge" title={STUB_KIND_NOTES[r.kind]}>
                    {r.kind}
                  </span>
                </th>
                <td className="kv-num">{formatCount(r.total)}</td>
                {previous && <td className="kv-num">{formatCount(r.before ?? 0)}</td>}
                <td className="kv-num">{r.added ? `+${formatCount(r.added)}` : '0'}</td>
                <td className="kv-num">{r.removed ? `−${formatCount(r.removed)}` : '0'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pass.stubs.added.length + pass.stubs.removed.length > 0 && (
        <p className="kv-filter">
          <label htmlFor={filterId}>Filter stubs</label>{' '}
          <input
            id={filterId}
            type="search"
            value={query}
            placeholder="name or kind"
            onChange={(e) => setQuery(e.currentTarget.value)}
          />
        </p>
      )}
      <div className="kv-stub-columns">
        <StubList
          title="added"
          list={added}
          total={pass.stubs.added.length}
          limit={limit}
          variant="added"
        />
        <StubList
          title="removed"
          list={removed}
          total={pass.stubs.removed.length}
          limit={limit}
          variant="removed"
        />
      </div>
    </section>
  );
}
