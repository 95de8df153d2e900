/** The scenario slice: the scenario being edited, its preset, drafts and field errors. */
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
import type { AppActions, AppDeps, AppState, DraftField, ScenarioSlice } from './types.ts';

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
  };
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

function parseDraft(field: DraftField, text: string, scenario: Scenario): Parsed<Scenario> {
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
  };
}
