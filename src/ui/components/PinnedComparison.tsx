/** The pinned run's verdict beside the current one's (the chart overlays their curves). */
import { describeDifferences } from '../../toolchain/scenario/differences.ts';
import {
  selectCurrentIsPinned,
  selectCurrentRun,
  selectPinned,
  selectPinnedChanges,
  selectPinRun,
  useActions,
  useApp,
} from '../store/index.ts';
import { Icon } from './Icon.tsx';
import { VERDICT_ICON } from './VerdictBanner.tsx';

export function PinnedComparison() {
  const pinned = useApp(selectPinned);
  const pinRun = useApp(selectPinRun);
  const current = useApp(selectCurrentRun);
  const samePin = useApp(selectCurrentIsPinned);
  const changes = useApp(selectPinnedChanges);
  const { unpin } = useActions();
  if (!pinned && pinRun) {
    // A link's pinned scenario, linked after the link's own run.
    return (
      <section className="comparison" aria-labelledby="comparison-heading" id="panel-pinned">
        <div className="comparison-head">
          <h2 id="comparison-heading">Pinned run</h2>
          <button type="button" onClick={unpin}>
            Clear comparison
          </button>
        </div>
        <p className="run-label">{pinRun.label}</p>
        <p className={pinRun.status === 'failed' ? 'field-error' : 'muted'}>
          {pinRun.status === 'failed'
            ? `The link’s pinned scenario could not be run: ${pinRun.error ?? ''}`
            : 'Linking the link’s pinned scenario after this run…'}
        </p>
      </section>
    );
  }
  if (!pinned) return null;
  const verdict = current?.record?.verdict ?? null;
  return (
    <section className="comparison" aria-labelledby="comparison-heading" id="panel-pinned">
      <div className="comparison-head">
        <h2 id="comparison-heading">Pinned run</h2>
        {/* Not "Unpin": the checks find Pin by name, and a name containing it would match too. */}
        <button type="button" onClick={unpin}>
          Clear comparison
        </button>
      </div>
      <div className="comparison-grid">
        <div className={`comparison-card verdict-${pinned.record.verdict.kind}`}>
          <h3>Pinned</h3>
          <p className="run-label">{pinned.label}</p>
          <p>
            <Icon name={VERDICT_ICON[pinned.record.verdict.kind]} /> {pinned.record.verdict.summary}
          </p>
          <p className="muted">
            {changes.length > 0
              ? `Its scenario differs from the form in ${describeDifferences(changes)}.`
              : 'Its scenario is the one in the form.'}
            {pinned.hash ? (
              <>
                {' '}
                <a href={`#${pinned.hash}`}>Open its scenario</a>
              </>
            ) : null}
          </p>
        </div>
        <div className={`comparison-card${verdict ? ` verdict-${verdict.kind}` : ''}`}>
          <h3>Current</h3>
          {samePin ? (
            <p className="muted">This is the pinned run: change the scenario and run again.</p>
          ) : current ? (
            <>
              <p className="run-label">{current.label}</p>
              <p>
                {verdict ? (
                  <>
                    <Icon name={VERDICT_ICON[verdict.kind]} /> {verdict.summary}
                  </>
                ) : (
                  <span className="muted">
                    {current.phase === 'stopped'
                      ? 'Stopped.'
                      : current.phase === 'failed' || current.phase === 'refused'
                        ? (current.error ?? 'Run failed.')
                        : 'Running…'}
                  </span>
                )}
              </p>
            </>
          ) : (
            <p className="muted">No run yet.</p>
          )}
        </div>
      </div>
    </section>
  );
}
