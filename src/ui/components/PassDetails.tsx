/** The chosen pass in pictures: the image's layout, its stubs, and the call distances. */
import { Term } from '../learn/Term.tsx';
import { useDeferredValue, useId } from 'react';
import {
  selectCallSites,
  selectChosenPass,
  selectChosenPassNumber,
  selectPassBeforeChosen,
  selectPasses,
  useActions,
  useApp,
} from '../store/index.ts';
import { DistanceHistogram, LayoutMap, StubsPanel } from '../lazy-views.tsx';

export function PassDetails() {
  const id = useId();
  const passes = useApp(selectPasses);
  const current = useApp(selectChosenPass);
  const chosen = useApp(selectChosenPassNumber);
  // The pictures draw deferred values (see Chart in App.tsx): the heading and the
  // picker follow at once, the layout, stubs and distances in a render that can wait.
  const pass = useDeferredValue(current);
  const previous = useDeferredValue(useApp(selectPassBeforeChosen));
  const callSites = useDeferredValue(useApp(selectCallSites));
  const { choosePass } = useActions();
  if (!pass) return null;
  return (
    <section className="pass-details" aria-labelledby={`${id}-heading`}>
      <div className="section-head">
        <h2 id={`${id}-heading`}>
          {pass.step === 'vmlinux' ? (
            'The final link'
          ) : (
            <>
              <Term term="trial link">Trial link</Term> {pass.pass}
            </>
          )}
          : <code>{pass.link.image}</code>
        </h2>
        <label htmlFor={id}>Link shown</label>
        <select
          id={id}
          value={chosen === null ? '' : String(chosen)}
          onChange={(e) => choosePass(e.target.value === '' ? null : Number(e.target.value))}
        >
          <option value="">The latest</option>
          {passes.map((p) => (
            <option key={p.pass} value={p.pass}>
              {p.step === 'vmlinux' ? 'vmlinux' : `${p.pass}: ${p.link.image}`}
            </option>
          ))}
        </select>
      </div>
      <div className="detail-grid">
        <div className="detail-wide" id="panel-layout">
          <LayoutMap pass={pass} />
        </div>
        <div id="panel-stubs">
          <StubsPanel pass={pass} previous={previous} />
        </div>
        <div id="panel-distances">
          <DistanceHistogram pass={pass} callSites={callSites} />
        </div>
      </div>
    </section>
  );
}
