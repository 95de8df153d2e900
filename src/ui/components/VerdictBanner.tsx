/**
 * The page's one role="status" element: what the run is doing, then its
 * verdict in words (starting with the words the checks look for), an icon
 * beside them.
 */
import type { ReactNode } from 'react';
import type { Verdict } from '../../toolchain/kbuild/records.ts';
import { selectCurrentRun, selectPendingRun, useApp } from '../store/index.ts';
import { Icon, type IconName } from './Icon.tsx';

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
        {check.message ? <pre className="kernel-message">{check.message}</pre> : null}
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
    return (
      <div className="verdict-details">
        <p>
          {verdict.tool} failed at {verdict.step}:
        </p>
        <pre className="tool-message">{verdict.message}</pre>
      </div>
    );
  }
  return null;
}

export function VerdictBanner() {
  const run = useApp(selectCurrentRun);
  const pending = useApp(selectPendingRun);

  let kind = 'idle';
  let icon: IconName = 'info';
  let body: ReactNode;
  if (run === null) {
    body = pending
      ? 'Waiting for the toolchain to be ready.'
      : 'No run yet: press Run to link the scenario, or Step to go one pass at a time.';
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
  } else if (run.phase === 'stopped') {
    icon = 'stop';
    body = `Stopped after ${run.passes.length} ${run.passes.length === 1 ? 'pass' : 'passes'}.`;
  } else if (run.phase === 'paused') {
    icon = 'pause';
    const last = run.passes.at(-1);
    body = `Paused after pass ${last?.pass ?? 0}${last ? ` (${last.link.image})` : ''}: press Step for the next pass.`;
  } else {
    kind = 'running';
    icon = 'spinner';
    body = `Running: ${run.passes.length} ${run.passes.length === 1 ? 'pass' : 'passes'} linked so far…`;
  }

  return (
    <div className={`verdict verdict-${kind}`}>
      <Icon name={icon} className={icon === 'spinner' ? 'spin' : undefined} />
      <div role="status" className="verdict-text">
        {body}
      </div>
    </div>
  );
}
