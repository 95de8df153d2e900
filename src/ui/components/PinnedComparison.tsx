/** The pinned run's verdict beside the current one's (the chart overlays their curves). */
import {
  selectCurrentIsPinned,
  selectCurrentRun,
  selectPinned,
  useActions,
  useApp,
} from '../store/index.ts';
import { Icon } from './Icon.tsx';
import { VERDICT_ICON } from './VerdictBanner.tsx';

export function PinnedComparison() {
  const pinned = useApp(selectPinned);
  const current = useApp(selectCurrentRun);
  const samePin = useApp(selectCurrentIsPinned);
  const { unpin } = useActions();
  if (!pinned) return null;
  const verdict = current?.record?.verdict ?? null;
  return (
    <section className="comparison" aria-labelledby="comparison-heading">
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
                      : current.phase === 'failed'
                        ? `Run failed: ${current.error ?? ''}`
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
