/** The scenario slice: the scenario being edited, its preset, drafts and field errors. */
import {
  checkGeneratedParams,
  DEFAULT_GENERATED_PARAMS,
  GENERATED_PARAM_INFO,
  GENERATED_PARAM_KEYS,
  generatedCorpusId,
  isGeneratedParamKey,
  parseGeneratedCorpusId,
  type GeneratedCorpusParams,
  type GeneratedParamKey,
} from '../../toolchain/corpus/generated/params.ts';
import { DEFAULT_PRESET_ID, findPreset, PRESETS } from '../../toolchain/scenario/presets.ts';
import { scenarioSchema, type Scenario } from '../../toolchain/scenario/schema.ts';
import {
  parseAlign,
  parseBase,
  parseGapMiB,
  parseLinkerFlags,
  parseMaxPasses,
  type Parsed,
  sameValue,
} from '../format.ts';
import type {
  AppActions,
  AppDeps,
  AppState,
  CorpusField,
  DraftField,
  ScenarioSlice,
} from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

/** The default base of each arch, so that switching arch keeps a base that links. */
const DEFAULT_BASE: Record<Scenario['arch'], string> = {
  ppc64le: '0xc000000000000000',
  ppc64: '0xc000000000000000',
  ppc32: '0xc0000000',
};

export function defaultPreset(deps: Pick<AppDeps, 'defaultPresetId'>) {
  return findPreset(deps.defaultPresetId ?? DEFAULT_PRESET_ID) ?? PRESETS[0];
}

export function initialScenarioSlice(deps: Pick<AppDeps, 'defaultPresetId'>): ScenarioSlice {
  const preset = defaultPreset(deps);
  return {
    scenario: structuredClone(preset.scenario),
    presetId: preset.id,
    drafts: {},
    fieldErrors: {},
    permalinkError: null,
    linked: null,
    lastChange: { kind: 'start' },
    lastGeneratedCorpus: null,
  };
}

// ---- the generated corpus's knobs ----------------------------------------------

export const corpusField = (key: GeneratedParamKey): CorpusField => `corpus.${key}`;
export const isCorpusField = (field: DraftField): field is CorpusField =>
  field.startsWith('corpus.');

/** The knobs of a scenario's generated corpus; the generator's defaults for the kernel-like one. */
export function corpusParamsOf(corpus: string): GeneratedCorpusParams {
  const parsed = corpus.startsWith('generated-') ? parseGeneratedCorpusId(corpus) : null;
  return parsed?.ok ? parsed.params : { ...DEFAULT_GENERATED_PARAMS };
}

const PINNED_KNOBS = ['pinnedSpacing', 'pinnedCallsPerInit', 'pinnedAt'] as const;

/**
 * The form's corpus knobs checked together: what they give when every
 * knob's text (a draft, else the scenario's value) is read. Knobs depend on
 * each other (nearTargets goes with nearShare, the pinned ones with pinned),
 * so one edit is judged with the others' pending text.
 */
function checkCorpusDrafts(
  scenario: Scenario,
  drafts: Partial<Record<DraftField, string>>,
  edited: CorpusField,
):
  | { ok: true; corpus: string; drafts: Partial<Record<DraftField, string>> }
  | { ok: false; errors: Partial<Record<DraftField, string>> } {
  const current = corpusParamsOf(scenario.corpus);
  const typed: Partial<GeneratedCorpusParams> = {};
  const errors: Partial<Record<DraftField, string>> = {};
  for (const info of GENERATED_PARAM_INFO) {
    const field = corpusField(info.key);
    const text = drafts[field];
    if (text === undefined) continue;
    const t = text.trim();
    if (!/^\d{1,10}$/.test(t)) {
      errors[field] =
        `Enter a whole number from ${info.min.toLocaleString('en')} to ${info.max.toLocaleString('en')}` +
        (t === ''
          ? ' (the field is empty).'
          : `, not "${t.length > 12 ? `${t.slice(0, 12)}…` : t}".`);
    } else typed[info.key] = Number(t);
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  // The pinned section's knobs only apply to a pinned section: without one they are the defaults.
  const next = { ...current, ...typed };
  const cleared = { ...drafts };
  if (next.pinned === 0)
    for (const k of PINNED_KNOBS) {
      next[k] = DEFAULT_GENERATED_PARAMS[k];
      delete cleared[corpusField(k)];
    }
  const checked = checkGeneratedParams(next);
  if (checked.ok) return { ok: true, corpus: generatedCorpusId(checked.params), drafts: cleared };
  // Each problem at the knob it names ("nearShare: …"); the edited knob says them all if none is its own.
  for (const problem of checked.problems) {
    const [key] = problem.split(':', 1);
    const field = isGeneratedParamKey(key) ? corpusField(key) : edited;
    errors[field] = errors[field] ? `${errors[field]} ${problem}.` : `${problem}.`;
  }
  if (!errors[edited]) errors[edited] = `Not applied yet: ${checked.problems.join('; ')}.`;
  return { ok: false, errors };
}

function withoutCorpusFields<V>(record: Partial<Record<DraftField, V>>) {
  const copy = { ...record };
  for (const key of GENERATED_PARAM_KEYS) delete copy[corpusField(key)];
  return copy;
}

/**
 * The preset a scenario (from a link) was most likely made from: the one
 * that differs in the fewest fields, if it differs in at most two. Its
 * explanation is shown, marked as changed when it is not an exact match.
 */
export function closestPreset(scenario: Scenario): string | null {
  let best: { id: string; differences: number } | null = null;
  for (const preset of PRESETS) {
    const keys = Object.keys(preset.scenario) as Array<keyof Scenario>;
    const differences = keys.filter(
      (k) => JSON.stringify(preset.scenario[k]) !== JSON.stringify(scenario[k]),
    ).length;
    if (!best || differences < best.differences) best = { id: preset.id, differences };
  }
  return best && best.differences <= 2 ? best.id : null;
}

function parseDraft(
  field: Exclude<DraftField, CorpusField>,
  text: string,
  scenario: Scenario,
): Parsed<Scenario> {
  const withLayout = (layout: Partial<Scenario['layout']>): Scenario => ({
    ...scenario,
    layout: { ...scenario.layout, ...layout },
  });
  const map = <T>(parsed: Parsed<T>, apply: (value: T) => Scenario): Parsed<Scenario> =>
    parsed.ok ? { ok: true, value: apply(parsed.value) } : parsed;
  switch (field) {
    case 'gapMiB':
      return map(parseGapMiB(text), (gap) => withLayout({ gap }));
    case 'align':
      return map(parseAlign(text), (align) => withLayout({ align }));
    case 'base':
      return map(parseBase(text), (base) => withLayout({ base }));
    case 'maxPasses':
      return map(parseMaxPasses(text), (maxPasses) => ({ ...scenario, maxPasses }));
    case 'extraLinkerFlags':
      return map(parseLinkerFlags(text), (extraLinkerFlags) => ({ ...scenario, extraLinkerFlags }));
    case 'linkerScript': {
      const checked = scenarioSchema.shape.linkerScript.safeParse(text);
      return checked.success
        ? { ok: true, value: { ...scenario, linkerScript: text } }
        : { ok: false, error: 'The linker script is too long (at most 200,000 characters).' };
    }
  }
}

function without<K extends string, V>(record: Partial<Record<K, V>>, key: K) {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

export function scenarioActions(
  set: Set,
  get: Get,
): Pick<
  AppActions,
  | 'choosePreset'
  | 'setArch'
  | 'setStrategy'
  | 'setGeneration'
  | 'setFlag'
  | 'editField'
  | 'setGapBytes'
  | 'setAlignExponent'
  | 'setMaxPasses'
  | 'resetLinkerScript'
  | 'dismissPermalinkError'
  | 'setCorpusKind'
  | 'resetCorpusKnobs'
> {
  /**
   * Applies a valid change; the field it came from no longer has a draft. A
   * change that leaves the scenario as it was is no change (no history entry,
   * nothing marked out of date).
   */
  const update = (scenario: Scenario, field?: DraftField) =>
    set((s) => ({
      ...(sameValue(scenario, s.scenario)
        ? {}
        : {
            scenario,
            lastChange: field ? { kind: 'typing' as const, field } : { kind: 'choice' as const },
          }),
      drafts: field ? without(s.drafts, field) : s.drafts,
      fieldErrors: field ? without(s.fieldErrors, field) : s.fieldErrors,
    }));

  return {
    choosePreset(id) {
      const preset = findPreset(id);
      if (!preset) return;
      set({
        scenario: structuredClone(preset.scenario),
        presetId: id,
        drafts: {},
        fieldErrors: {},
        linked: null,
        lastChange: { kind: 'preset' },
      });
    },
    setArch(arch) {
      const { scenario } = get();
      const base =
        scenario.layout.base === DEFAULT_BASE[scenario.arch]
          ? DEFAULT_BASE[arch]
          : scenario.layout.base;
      set((s) => ({
        scenario: { ...scenario, arch, layout: { ...scenario.layout, base } },
        lastChange: { kind: 'choice' },
        drafts: without(s.drafts, 'base'),
        fieldErrors: without(s.fieldErrors, 'base'),
      }));
    },
    setStrategy(strategy) {
      update({ ...get().scenario, strategy });
    },
    setGeneration(generation) {
      update({ ...get().scenario, generation });
    },
    setFlag(flag, value) {
      update({ ...get().scenario, [flag]: value });
    },
    editField(field, text) {
      if (isCorpusField(field)) {
        const { scenario, drafts, fieldErrors } = get();
        const withText = { ...drafts, [field]: text };
        const checked = checkCorpusDrafts(scenario, withText, field);
        if (checked.ok) {
          update({ ...scenario, corpus: checked.corpus }, field);
          // The knobs' text stays as typed while it means the values shown (as other fields').
          set((s) => ({
            drafts: { ...withoutCorpusFields(s.drafts), ...checked.drafts },
            fieldErrors: withoutCorpusFields(s.fieldErrors),
          }));
        } else {
          set({
            drafts: withText,
            fieldErrors: { ...withoutCorpusFields(fieldErrors), ...checked.errors },
          });
        }
        return;
      }
      const parsed = parseDraft(field, text, get().scenario);
      if (parsed.ok) {
        update(parsed.value, field);
        // A typed value may be written differently from how it is shown (0x10 vs 16): keep
        // the user's text while it means the value shown.
        set((s) => ({ drafts: { ...s.drafts, [field]: text } }));
      } else {
        set((s) => ({
          drafts: { ...s.drafts, [field]: text },
          fieldErrors: { ...s.fieldErrors, [field]: parsed.error },
        }));
      }
    },
    setGapBytes(bytes) {
      const { scenario } = get();
      update({ ...scenario, layout: { ...scenario.layout, gap: bytes } }, 'gapMiB');
    },
    setAlignExponent(exponent) {
      const { scenario } = get();
      update({ ...scenario, layout: { ...scenario.layout, align: 2 ** exponent } }, 'align');
    },
    setMaxPasses(maxPasses) {
      update({ ...get().scenario, maxPasses }, 'maxPasses');
    },
    resetLinkerScript() {
      update({ ...get().scenario, linkerScript: null }, 'linkerScript');
    },
    dismissPermalinkError() {
      set({ permalinkError: null });
    },
    setCorpusKind(kind) {
      const { scenario, lastGeneratedCorpus } = get();
      const generated = scenario.corpus !== 'kernel-like';
      if ((kind === 'generated') === generated) return;
      const corpus =
        kind === 'generated'
          ? (lastGeneratedCorpus ?? generatedCorpusId(DEFAULT_GENERATED_PARAMS))
          : 'kernel-like';
      set((s) => ({
        scenario: { ...scenario, corpus },
        lastChange: { kind: 'choice' },
        lastGeneratedCorpus: generated ? scenario.corpus : s.lastGeneratedCorpus,
        drafts: withoutCorpusFields(s.drafts),
        fieldErrors: withoutCorpusFields(s.fieldErrors),
      }));
    },
    resetCorpusKnobs() {
      const { scenario } = get();
      if (scenario.corpus === 'kernel-like') return;
      update({ ...scenario, corpus: generatedCorpusId(DEFAULT_GENERATED_PARAMS) });
      set((s) => ({
        drafts: withoutCorpusFields(s.drafts),
        fieldErrors: withoutCorpusFields(s.fieldErrors),
      }));
    },
  };
}
