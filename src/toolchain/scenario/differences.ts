/**
 * Which fields of two scenarios differ, in words: what the page says when a
 * result no longer belongs to the scenario in the form ("out of date: gap
 * 31.6875 → 32 MiB") and when a link's scenario is a preset with changes.
 */
import { GENERATED_PARAM_KEYS, parseGeneratedCorpusId } from '../corpus/generated/params.ts';
import type { Scenario } from './schema.ts';

export type ScenarioField =
  | 'corpus'
  | 'arch'
  | 'base'
  | 'align'
  | 'gap'
  | 'linkerScript'
  | 'generation'
  | 'baseRelative'
  | 'allSymbols'
  | 'filterLldStubs'
  | 'strategy'
  | 'extraPass'
  | 'maxPasses'
  | 'extraLinkerFlags';

export interface FieldDifference {
  field: ScenarioField;
  /** The field's name as the form labels it, e.g. "gap". */
  label: string;
  /** Each side's value as the form shows it, e.g. "31.6875 MiB". */
  from: string;
  to: string;
}

const MIB = 1024 * 1024;
const onOff = (value: boolean) => (value ? 'on' : 'off');

/** Each field: its label and how to read its value from a scenario, in form order. */
const FIELDS: ReadonlyArray<{
  field: ScenarioField;
  label: string;
  show: (s: Scenario) => string;
}> = [
  {
    field: 'corpus',
    label: 'corpus',
    show: (s) => (s.corpus.startsWith('generated-') ? 'generated' : s.corpus),
  },
  { field: 'arch', label: 'architecture', show: (s) => s.arch },
  { field: 'gap', label: 'gap', show: (s) => `${s.layout.gap / MIB} MiB` },
  { field: 'align', label: 'alignment', show: (s) => `${s.layout.align} bytes` },
  { field: 'base', label: 'base address', show: (s) => s.layout.base.toLowerCase() },
  {
    field: 'extraLinkerFlags',
    label: 'extra ld.lld flags',
    show: (s) => (s.extraLinkerFlags.length ? s.extraLinkerFlags.join(' ') : 'none'),
  },
  { field: 'strategy', label: 'strategy', show: (s) => s.strategy },
  { field: 'generation', label: 'kallsyms generation', show: (s) => s.generation },
  { field: 'extraPass', label: 'KALLSYMS_EXTRA_PASS', show: (s) => onOff(s.extraPass) },
  { field: 'maxPasses', label: 'max passes', show: (s) => String(s.maxPasses) },
  { field: 'filterLldStubs', label: 'ld.lld stub filter', show: (s) => onOff(s.filterLldStubs) },
  { field: 'baseRelative', label: 'base-relative offsets', show: (s) => onOff(s.baseRelative) },
  { field: 'allSymbols', label: 'all symbols', show: (s) => onOff(s.allSymbols) },
  {
    field: 'linkerScript',
    label: 'linker script',
    show: (s) => (s.linkerScript === null ? 'the template' : 'a script of its own'),
  },
];

/** The fields in which `to` differs from `from`, in the form's order; `ignore` leaves some out. */
export function scenarioDifferences(
  from: Scenario,
  to: Scenario,
  ignore: readonly ScenarioField[] = [],
): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const { field, label, show } of FIELDS) {
    if (ignore.includes(field)) continue;
    if (field === 'corpus' && from.corpus !== to.corpus) {
      const knobs = corpusKnobDifferences(from.corpus, to.corpus);
      if (knobs) {
        differences.push(...knobs);
        continue;
      }
    }
    const same =
      field === 'linkerScript' ? from.linkerScript === to.linkerScript : show(from) === show(to);
    if (same) continue;
    const [a, b] = [show(from), show(to)];
    // Two scripts of their own that differ read alike: say that it was edited.
    differences.push({ field, label, from: a, to: a === b ? 'edited' : b });
  }
  return differences;
}

/**
 * Two generated corpora differ in their knobs: one difference each
 * ("corpus nameLength 0 → 20"), not two ids side by side. Null when either
 * is not a generated corpus id.
 */
function corpusKnobDifferences(from: string, to: string): FieldDifference[] | null {
  const a = parseGeneratedCorpusId(from);
  const b = parseGeneratedCorpusId(to);
  if (!a.ok || !b.ok) return null;
  return GENERATED_PARAM_KEYS.filter((k) => a.params[k] !== b.params[k]).map((k) => ({
    field: 'corpus',
    label: `corpus ${k}`,
    from: String(a.params[k]),
    to: String(b.params[k]),
  }));
}

/** "gap 31.6875 MiB → 32 MiB; strategy v5.9 → latest" (at most `max` fields, then "and 2 more"). */
export function describeDifferences(differences: readonly FieldDifference[], max = 3): string {
  const shown = differences
    .slice(0, max)
    .map((d) => (d.to === 'edited' ? `${d.label} edited` : `${d.label} ${d.from} → ${d.to}`));
  const more = differences.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/** "gap and strategy", for a sentence that names fields only. */
export function listFields(differences: readonly FieldDifference[]): string {
  const labels = differences.map((d) => d.label);
  if (labels.length <= 1) return labels.join('');
  return `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}`;
}
