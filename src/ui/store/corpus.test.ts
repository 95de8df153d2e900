/**
 * The scenario form's corpus section (issue 13, point 2): a generated
 * corpus's knobs as fields. A valid knob changes the scenario's corpus id
 * (so the link); a bad one keeps its text, says what is wrong in words and
 * changes nothing; choosing the kernel-like corpus and back brings the knobs
 * back; a run of a generated corpus shows the worker's progress until its
 * first link.
 */
import { describe, expect, it } from 'vitest';
import { parseGeneratedCorpusId } from '../../toolchain/corpus/generated/params.ts';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import * as sel from './selectors.ts';
import { fakeCodec, makePass } from './testing/fakes.ts';
import { ready, setup, tick } from './testing/setup.ts';

const knobs = (corpus: string) => {
  const parsed = parseGeneratedCorpusId(corpus);
  if (!parsed.ok) throw new Error(corpus);
  return parsed.params;
};

describe('the corpus section', () => {
  it('sets a knob in the corpus id, and keeps a bad value as typed with what to type instead', () => {
    const { get, actions, page } = setup();
    actions.choosePreset('pinned-oscillates');
    const before = get().scenario;
    expect(sel.selectCorpusKind(get())).toBe('generated');
    expect(sel.selectFieldText('corpus.nameLength')(get())).toBe('0');

    actions.editField('corpus.nameLength', '24');
    expect(knobs(get().scenario.corpus)).toMatchObject({ nameLength: 24, pinned: 400 });
    expect(get().lastChange).toEqual({ kind: 'typing', field: 'corpus.nameLength' });
    const linked = fakeCodec.decode(page.hash);
    expect(linked.ok && linked.scenario.corpus).toBe(get().scenario.corpus);

    const changed = get().scenario;
    actions.editField('corpus.nameLength', 'long');
    expect(get().scenario).toBe(changed);
    expect(sel.selectFieldText('corpus.nameLength')(get())).toBe('long');
    expect(sel.selectFieldError('corpus.nameLength')(get())).toBe(
      'Enter a whole number from 0 to 100, not "long".',
    );
    actions.editField('corpus.nameLength', '');
    expect(sel.selectFieldError('corpus.nameLength')(get())).toMatch(/\(the field is empty\)\.$/);
    // A value in range that breaks a knob's own rule is named at the knob, in the generator's words.
    actions.editField('corpus.nameLength', '5');
    expect(sel.selectFieldError('corpus.nameLength')(get())).toMatch(/nameLength/);
    expect(get().scenario).toBe(changed);
    actions.editField('corpus.nameLength', '8');
    expect(sel.selectFieldError('corpus.nameLength')(get())).toBeNull();
    expect(knobs(get().scenario.corpus).nameLength).toBe(8);
    expect(before.corpus).not.toBe(get().scenario.corpus);
  });

  it('judges knobs together: a rule between two knobs waits for the other one', () => {
    const { get, actions } = setup();
    actions.choosePreset('pinned-oscillates');
    const start = get().scenario;
    actions.editField('corpus.nearTargets', '100');
    // nearTargets goes with nearShare: not applied until both say so.
    expect(get().scenario).toBe(start);
    expect(sel.selectFieldError('corpus.nearTargets')(get())).toMatch(/nearShare|nearTargets/);
    actions.editField('corpus.nearShare', '40');
    expect(knobs(get().scenario.corpus)).toMatchObject({ nearTargets: 100, nearShare: 40 });
    expect(sel.selectFieldError('corpus.nearTargets')(get())).toBeNull();
    expect(sel.selectFieldError('corpus.nearShare')(get())).toBeNull();
  });

  it('switches to the kernel-like corpus and back without losing the knobs; resets them', () => {
    const { get, actions } = setup();
    actions.choosePreset('pinned-oscillates');
    actions.editField('corpus.functionAlign', '32');
    const shaped = get().scenario.corpus;
    actions.setCorpusKind('kernel-like');
    expect(get().scenario.corpus).toBe('kernel-like');
    expect(sel.selectCorpusKind(get())).toBe('kernel-like');
    actions.setCorpusKind('generated');
    expect(get().scenario.corpus).toBe(shaped);
    actions.resetCorpusKnobs();
    expect(get().scenario.corpus).toBe('generated-v1');
    // The generator's defaults: 150,000 functions, over what a link runs unasked.
    expect(sel.selectScenarioCost(get()).overBudget.length).toBeGreaterThan(0);
    expect(sel.selectScenarioCost(get()).refusal).toBeNull();
    // A corpus over the page's ceiling is refused in words before any run.
    actions.editField('corpus.symbols', '400000');
    actions.editField('corpus.initFunctions', '100000');
    actions.editField('corpus.callsPerInit', '8');
    expect(sel.selectScenarioCost(get()).refusal).toMatch(/^Not run: .*init→core calls/);
  });

  it('shows the worker making the corpus until the first link', async () => {
    const { get, actions, supervisor } = await ready();
    actions.choosePreset('pinned-oscillates');
    actions.run();
    const job = supervisor.runs.at(-1)!;
    expect(job.scenario).toEqual(findPreset('pinned-oscillates')!.scenario);
    job.options?.onCorpusProgress?.({ stage: 'write', done: 3, total: 16 });
    expect(sel.selectCorpusProgress(get())).toEqual({ stage: 'write', done: 3, total: 16 });
    await job.onPass(makePass(1));
    await tick();
    expect(sel.selectCorpusProgress(get())).toBeNull();
    // A late report (the worker's messages are throttled) does not bring it back.
    job.options?.onCorpusProgress?.({ stage: 'checksum', done: 16, total: 16 });
    expect(sel.selectCorpusProgress(get())).toBeNull();
  });
});
