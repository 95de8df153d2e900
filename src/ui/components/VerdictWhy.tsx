/**
 * Under the verdict: why the run ended so, in plain words from its pass
 * records (kbuild/verdict-why.ts), and what would change it: each one-change
 * alternative, run in the background on the sweep pool, with its real
 * outcome and a link that opens it. Both belong to the run on screen: when
 * the form changes they are dimmed with it (App's run-results), and the
 * alternatives still running stop, saying why (alternatives-slice.ts).
 */
import { TermParts } from '../learn/Term.tsx';
import { markTerms } from '../learn/terms.ts';
import {
  selectAlternatives,
  selectCurrentRun,
  selectVerdictWhy,
  useActions,
  useApp,
  type AlternativesSlice,
  type AlternativeTry,
} from '../store/index.ts';
import type { Verdict } from '../../toolchain/kbuild/records.ts';
import { outcomeHelps, outcomeWords } from '../verdict/outcome-words.ts';

function Outcome({
  item,
  shown,
  status,
}: {
  item: AlternativeTry;
  shown: Verdict['kind'];
  status: AlternativesSlice['status'];
}) {
  if (item.status === 'waiting')
    return (
      <span className="alt-outcome muted">
        {status === 'running' ? 'running…' : status === 'held' ? 'not tried yet' : 'not tried'}
      </span>
    );
  if (item.status === 'failed' || !item.result)
    return <span className="alt-outcome alt-failed">not run: {item.error ?? 'no outcome'}</span>;
  const helps = outcomeHelps(item.result, shown);
  return (
    <span className={`alt-outcome alt-${item.result.verdict}${helps ? ' alt-helps' : ''}`}>
      {outcomeWords(item.result, shown)}
    </span>
  );
}

function StatusLine({ alternatives }: { alternatives: AlternativesSlice }) {
  const { tryAlternatives } = useActions();
  const waiting = alternatives.items.filter((i) => i.status === 'waiting').length;
  switch (alternatives.status) {
    case 'running':
      return (
        <p className="muted">
          Trying {waiting} of {alternatives.items.length} in the background, each a real run…
        </p>
      );
    case 'held':
      return (
        <p>
          Trying these would cost more than the page runs by itself ({alternatives.over.join(', ')}
          ).{' '}
          <button type="button" onClick={tryAlternatives}>
            Try them
          </button>
        </p>
      );
    case 'stopped':
      return (
        <p className="muted">
          Stopped: {alternatives.stopReason ?? 'another run started'}.
          {waiting > 0 ? ' Run this scenario again to try the rest.' : ''}
        </p>
      );
    case 'failed':
      return <p className="alt-failed">Could not try them: {alternatives.error}</p>;
    default:
      return null;
  }
}

export function VerdictWhy() {
  const run = useApp(selectCurrentRun);
  const why = useApp(selectVerdictWhy);
  const alternatives = useApp(selectAlternatives);
  if (!run || run.phase !== 'done' || !run.record || !why) return null;
  const shown = run.record.verdict.kind;
  const more = why.sentences.length > why.brief.length;
  return (
    <section className="verdict-why" id="verdict-why" aria-labelledby="why-heading">
      <h2 id="why-heading">Why</h2>
      <div className="why-text">
        {/* Each term marked where the why first uses it, not in every sentence. */}
        {markTerms(why.brief).map((parts, i) => (
          <p key={i}>
            <TermParts parts={parts} />
          </p>
        ))}
      </div>
      {more ? (
        <details className="why-all">
          <summary>Every link, one by one</summary>
          {why.sentences.map((sentence, i) => (
            <p key={i}>{sentence}</p>
          ))}
        </details>
      ) : null}
      {alternatives && alternatives.items.length > 0 ? (
        <>
          <h3 id="alternatives-heading">What would change it</h3>
          <StatusLine alternatives={alternatives} />
          <ul className="alternatives" aria-labelledby="alternatives-heading">
            {alternatives.items.map((item) => (
              <li key={item.id} data-alternative={item.id}>
                <span className="alt-head">
                  {item.hash ? (
                    <a href={`#${item.hash}`} title="Open this scenario (and run it)">
                      {item.label}
                    </a>
                  ) : (
                    <span>{item.label}</span>
                  )}
                  : <Outcome item={item} shown={shown} status={alternatives.status} />
                </span>
                <span className="alt-reason muted">{item.reason}</span>
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  );
}
