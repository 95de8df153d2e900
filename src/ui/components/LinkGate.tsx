/**
 * A link that asks for more than the page runs by itself (scenario/cost.ts):
 * its scenario is in the form, and this says what it would cost, with a
 * button to run it, instead of running it (issue 10, point 12).
 */
import { formatSize } from '../../toolchain/scenario/cost.ts';
import { describeScenario } from '../format.ts';
import { selectHeld, selectPresetId, useActions, useApp } from '../store/index.ts';

export function LinkGate() {
  const held = useApp(selectHeld);
  const presetId = useApp(selectPresetId);
  const { runHeld, dismissHeld } = useActions();
  if (!held) return null;
  const { cost, view } = held;
  const extras = [
    view?.pin ? 'a pinned scenario' : null,
    view?.sweep ? `a sweep of ${view.sweep.steps} steps` : null,
  ].filter(Boolean);
  return (
    <section className="link-gate" aria-labelledby="link-gate-heading" id="link-gate">
      <h2 id="link-gate-heading">This link asks for a large run: it was not started</h2>
      <p>A link runs by itself only when it is small. This one asks for {held.over.join(', ')}.</p>
      <p className="run-label">
        {describeScenario(held.scenario, presetId)}
        {extras.length ? ` · with ${extras.join(' and ')}` : ''}
      </p>
      <ul className="link-gate-cost">
        <li>
          Largest image:{' '}
          {cost.imageBytes === null
            ? 'cannot be told before linking'
            : `up to ${formatSize(cost.imageBytes)}`}
        </li>
        <li>Functions: {cost.symbols.toLocaleString('en')}</li>
        <li>init→core calls measured per link: {cost.calls.toLocaleString('en')}</li>
        <li>Links: up to {cost.links.toLocaleString('en')}</li>
      </ul>
      <div className="buttons">
        <button type="button" className="primary" onClick={runHeld}>
          Run this link
        </button>
        <button type="button" onClick={dismissHeld}>
          Not now
        </button>
      </div>
    </section>
  );
}
