/**
 * The page's one role="status" element: what the run is doing, then its
 * verdict in words (starting with the words the checks look for), an icon
 * beside them; above it, when the form has changed since, that the result is
 * out of date and how.
 */
import type { ReactNode } from 'react';
import { linkName, linksSoFar } from '../../toolchain/kbuild/link-words.ts';
import type { Verdict } from '../../toolchain/kbuild/records.ts';
import { describeDifferences, type FieldDifference } from '../../toolchain/scenario/differences.ts';
import {
  selectCurrentRun,
  selectHeld,
  selectPendingRun,
  selectResultChanges,
  useApp,
  type CurrentRun,
} from '../store/index.ts';
import { Icon, type IconName } from './Icon.tsx';
import { CorpusProgressLine } from './CorpusFields.tsx';

export const VERDICT_ICON: Record<Verdict['kind'], IconName> = {
  converged: 'ok',
  inconsistent: 'fail',
  'not-converged': 'repeat',
  oscillating: 'wave',
  'link-failed': 'stop',
};

export function VerdictDetails({ verdict }: { verdict: Verdict }) {
  if (verdict.kind === 'inconsistent') {
    const { check } = verdict;
    return (
      <div className="verdict-details">
        {check.message ? (
          // The kernel's words, as scripts/link-vmlinux.sh prints them: its advice included,
          // which "What would change it" below puts to the test.
          <figure className="kernel-words">
            <figcaption>The kernel&rsquo;s message, verbatim:</figcaption>
            <pre className="kernel-message">{check.message}</pre>
          </figure>
        ) : null}
        {check.differences.length > 0 ? (
          <table className="map-diff">
            <caption>First differing System.map lines</caption>
            <thead>
              <tr>
                <th scope="col">Line</th>
                <th scope="col">Last trial</th>
                <th scope="col">vmlinux</th>
              </tr>
            </thead>
            <tbody>
              {check.differences.map((d) => (
                <tr key={d.line}>
                  <td>{d.line}</td>
                  <td>
                    <code>{d.trial ?? '(none)'}</code>
                  </td>
                  <td>
                    <code>{d.final ?? '(none)'}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        ) : null}
      </div>
    );
  }
  if (verdict.kind === 'link-failed') {
    // The summary above quotes the message's first line: show what it did not say, once.
    const rest = verdict.message.trim().split('\n').slice(1).join('\n').trim();
    if (!rest) return null;
    return (
      <div className="verdict-details">
        <pre className="tool-message">{rest}</pre>
      </div>
    );
  }
  return null;
}

/** Out of date: the result on screen ran another scenario than the form's, and how it differs. */
function OutOfDate({ run, changes }: { run: CurrentRun; changes: FieldDifference[] }) {
  if (changes.length === 0) return null;
  return (
    <p className="stale-note" id="result-out-of-date">
      <strong>Out of date:</strong> the form has changed since this run (
      {describeDifferences(changes)}). Run to see the scenario in the form
      {run.hash ? (
        <>
          , or <a href={`#${run.hash}`}>go back to the scenario it ran</a>
        </>
      ) : null}
      .
    </p>
  );
}

export function VerdictBanner() {
  const run = useApp(selectCurrentRun);
  const pending = useApp(selectPendingRun);
  const changes = useApp(selectResultChanges);
  const held = useApp(selectHeld);

  let kind = 'idle';
  let icon: IconName = 'info';
  let body: ReactNode;
  if (run === null) {
    body = held
      ? 'Not run yet: this link asks for more than the page runs by itself (see below).'
      : pending
        ? 'Waiting for the toolchain to be ready.'
        : 'No run yet: press Run to link the scenario, or Step to go one link at a time.';
  } else if (run.phase === 'done' && run.record) {
    const { verdict } = run.record;
    kind = verdict.kind;
    icon = VERDICT_ICON[verdict.kind];
    body = (
      <>
        <p className="verdict-summary">{verdict.summary}</p>
        <VerdictDetails verdict={verdict} />
      </>
    );
  } else if (run.phase === 'failed') {
    kind = 'error';
    icon = 'stop';
    body = `Run failed: ${run.error ?? 'unknown error'}`;
  } else if (run.phase === 'refused') {
    // The ceiling's own words: "Not run: …" before a link, "Stopped: …" after one.
    kind = 'error';
    icon = 'stop';
    body = run.error ?? 'Not run.';
  } else if (run.phase === 'stopped') {
    icon = 'stop';
    body = run.stopReason
      ? `Stopped after ${linksSoFar(run.passes)}: ${run.stopReason}. Run or Step starts the scenario in the form from its first link.`
      : `Stopped after ${linksSoFar(run.passes)}.`;
  } else if (run.phase === 'paused') {
    icon = 'pause';
    const last = run.passes.at(-1);
    body = `Paused after ${last ? `${linkName(last)} (${last.link.image})` : 'no link'}: press Step for the next link.`;
  } else {
    kind = 'running';
    icon = 'spinner';
    body = run.corpusProgress ? (
      <CorpusProgressLine />
    ) : (
      `Running: ${linksSoFar(run.passes)} so far…`
    );
  }
  const stale = run !== null && changes.length > 0;

  return (
    <div className={`verdict verdict-${kind}${stale ? ' verdict-stale' : ''}`} id="panel-verdict">
      <Icon name={icon} className={icon === 'spinner' ? 'spin' : undefined} />
      <div className="verdict-body">
        {stale ? <OutOfDate run={run} changes={changes} /> : null}
        <div
          role="status"
          className="verdict-text"
          aria-describedby={stale ? 'result-out-of-date' : undefined}
        >
          {body}
        </div>
      </div>
    </div>
  );
}
