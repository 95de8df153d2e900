/** "What just happened": the last pass (or the chosen one), in the kernel script's words. */
import { describeGrowth } from '../../toolchain/kbuild/growth-words.ts';
import { linkName } from '../../toolchain/kbuild/link-words.ts';
import {
  selectChosenPass,
  selectChosenPassNumber,
  selectCurrentRun,
  selectStepMode,
  useApp,
} from '../store/index.ts';

const REASON_WORDS: Record<string, string> = {
  first: 'first trial',
  'with-first-table': 'trial with the first table',
  'sizes-differ': 'sizes differ',
  'extra-pass': 'KALLSYMS_EXTRA_PASS',
  'not-identical': 'not identical yet',
  final: 'final link',
};

export function StepExplanation() {
  const run = useApp(selectCurrentRun);
  const pass = useApp(selectChosenPass);
  const chosen = useApp(selectChosenPassNumber);
  const stepping = useApp(selectStepMode);
  if (!run) return null;
  const active = run.phase === 'running' || run.phase === 'paused';
  if (!pass && !active) return null;
  const heading =
    chosen !== null && pass && pass.pass !== run.passes.at(-1)?.pass
      ? `What happened at ${linkName(pass)}`
      : 'What just happened';
  return (
    <section
      className={`explanation${stepping ? ' explanation-stepping' : ''}`}
      id="panel-explanation"
      aria-labelledby="explanation-heading"
      aria-live="polite"
    >
      <h2 id="explanation-heading">{heading}</h2>
      {pass ? (
        <>
          <p className="explanation-step">
            {pass.step === 'vmlinux' ? 'The final link' : `Trial link ${pass.pass}`}:{' '}
            <code>{pass.link.image}</code>{' '}
            <span className="tag">{REASON_WORDS[pass.reason] ?? pass.reason}</span>
            {pass.linkedWith ? (
              <>
                {' '}
                linked with <code>{pass.linkedWith}</code>
              </>
            ) : null}
          </p>
          <p>{pass.explanation}</p>
          <p className="muted">
            {pass.stubs.total} stubs ({pass.stubs.added.length} new, {pass.stubs.removed.length}{' '}
            gone); {pass.reach.outOfReach} of {pass.reach.calls} init→core calls out of reach
            {pass.tableObject
              ? `; table object ${pass.tableObject.bytes.toLocaleString('en')} bytes, ${pass.tableObject.counts.tableSymbols.toLocaleString('en')} symbols`
              : ''}
            .
          </p>
          {pass.growth ? (
            <p className="growth-line" id="panel-growth" data-prediction={pass.growth.prediction}>
              <strong>Growth ratio:</strong> {describeGrowth(pass.growth)}
            </p>
          ) : null}
        </>
      ) : (
        <p>Linking the first image…</p>
      )}
    </section>
  );
}
