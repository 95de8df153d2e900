/**
 * The scenario's corpus: the committed kernel-like one, or one generated in
 * the worker from knobs (issue 13, point 2): function count, size and
 * spacing, name length, __init callers and their calls, the share of calls
 * aimed where the reach limit lands, a section pinned above init text. Each
 * knob is a field that keeps what was typed and says what is wrong (its
 * range, or the rule between knobs it breaks); a valid set of knobs is the
 * scenario's corpus id, so it is in the link. What a run of it costs is
 * shown before it runs, and a corpus over the page's ceiling is refused here
 * in the same words as Run would.
 */
import { useId } from 'react';
import {
  GENERATED_PARAM_INFO,
  type GeneratedParamInfo,
} from '../../toolchain/corpus/generated/params.ts';
import {
  selectCorpusKind,
  selectCorpusParams,
  selectCorpusProgress,
  selectScenarioCost,
  useActions,
  useApp,
} from '../store/index.ts';
import { describeCorpusProgress } from '../format.ts';
import { TextField } from './TextField.tsx';

const count = (n: number) => n.toLocaleString('en');

/** The knobs in the form, grouped as a reader thinks of them. */
const GROUPS: ReadonlyArray<{ title: string; keys: ReadonlyArray<GeneratedParamInfo['key']> }> = [
  {
    title: 'Functions',
    keys: ['symbols', 'objects', 'functionBody', 'functionAlign', 'nameLength'],
  },
  { title: '__init calls', keys: ['initFunctions', 'callsPerInit', 'nearTargets', 'nearShare'] },
  {
    title: 'Pinned section (.fixed.text above init text)',
    keys: ['pinned', 'pinnedSpacing', 'pinnedCallsPerInit', 'pinnedAt'],
  },
  { title: 'Draw', keys: ['seed'] },
];

function knobHint(info: GeneratedParamInfo): string {
  const range = `${count(info.min)}–${count(info.max)}`;
  const zero = info.defaultMeaning ? `; 0: ${info.defaultMeaning}` : '';
  const rule = info.rule ? `; ${info.rule}` : '';
  return `${info.description} (${range}${zero}${rule}).`;
}

export function CorpusProgressLine() {
  const progress = useApp(selectCorpusProgress);
  if (!progress) return null;
  return (
    <span className="corpus-progress">
      Running: {describeCorpusProgress(progress)}{' '}
      <progress
        aria-label="Generated corpus progress"
        max={Math.max(1, progress.total)}
        value={progress.done}
      />
    </span>
  );
}

function CorpusCost() {
  const { cost, overBudget, refusal } = useApp(selectScenarioCost);
  if (refusal)
    return (
      <p className="field-error corpus-cost" role="alert">
        {refusal}
      </p>
    );
  return (
    <p className="field-hint corpus-cost" aria-live="polite">
      {count(cost.symbols)} functions and {count(cost.calls)} init→core calls, made in the worker
      before the first link.
      {overBudget.length > 0
        ? ' A link to this scenario asks before it runs (it is larger than the page runs unasked).'
        : ''}
    </p>
  );
}

export function CorpusFields() {
  const kindId = useId();
  const kind = useApp(selectCorpusKind);
  const params = useApp(selectCorpusParams);
  const { setCorpusKind, resetCorpusKnobs } = useActions();
  const generated = kind === 'generated';
  const byKey = new Map(GENERATED_PARAM_INFO.map((i) => [i.key, i]));
  return (
    <fieldset className="corpus-fields" id="corpus">
      <legend>Corpus</legend>
      <div className="field">
        <label htmlFor={kindId}>Which corpus</label>
        <select
          id={kindId}
          value={kind}
          onChange={(e) => setCorpusKind(e.target.value as 'kernel-like' | 'generated')}
        >
          <option value="kernel-like">
            kernel-like: the committed corpus (about 2,800 functions)
          </option>
          <option value="generated">
            generated: a kernel-sized corpus shaped by the knobs below
          </option>
        </select>
      </div>
      {generated ? (
        <>
          <p className="field-hint">
            The loop comes down to one ratio: the table bytes each new stub adds, against the
            spacing of the call targets near the ±32 MiB limit. These knobs set both.
          </p>
          {GROUPS.map((group) => (
            <fieldset key={group.title} className="corpus-group">
              <legend>{group.title}</legend>
              {group.keys.map((key) => {
                const info = byKey.get(key)!;
                const off = key.startsWith('pinned') && key !== 'pinned' && params.pinned === 0;
                return (
                  <TextField
                    key={key}
                    field={`corpus.${key}`}
                    label={key}
                    inputMode="numeric"
                    disabled={off}
                    hint={off ? 'Only with a pinned section (pinned above 0).' : knobHint(info)}
                  />
                );
              })}
            </fieldset>
          ))}
          <div className="buttons">
            <button type="button" onClick={resetCorpusKnobs}>
              Reset the knobs to the generator’s defaults
            </button>
          </div>
          <CorpusCost />
        </>
      ) : null}
    </fieldset>
  );
}
