/**
 * `--corpus-param NAME=VALUE` (run and sweep): the generated corpus's knobs
 * on the command line. They change the scenario's corpus id, so the run
 * record, a scenario file written from it and a permalink all name the
 * corpus that was linked. A scenario on the committed kernel-like corpus
 * switches to the generated one, with the defaults for every knob not given.
 */
import {
  DEFAULT_GENERATED_PARAMS,
  GENERATED_PARAM_INFO,
  GENERATED_PARAM_KEYS,
  generatedCorpusId,
  isGeneratedParamKey,
  parseGeneratedCorpusId,
} from '../toolchain/corpus/generated/params.ts';
import { ScenarioError, type Scenario } from '../toolchain/scenario/schema.ts';
import { UsageError } from './exit-codes.ts';

export const CORPUS_PARAM_USAGE = `  --corpus-param NAME=VALUE a generated corpus's parameter (repeat for more; see: kallsyms-lab presets --params)`;

/** The scenario with its corpus made from the given knobs (not yet validated as a whole). */
export function applyCorpusParams(
  scenario: Scenario,
  given: readonly string[] | undefined,
): Scenario {
  if (!given || given.length === 0) return scenario;
  const values: Record<string, number> = {};
  for (const item of given) {
    const eq = item.indexOf('=');
    const name = eq < 0 ? item : item.slice(0, eq);
    const text = eq < 0 ? '' : item.slice(eq + 1);
    if (eq < 0)
      throw new UsageError(
        `--corpus-param ${item}: write NAME=VALUE, e.g. --corpus-param nameLength=40.`,
      );
    if (!isGeneratedParamKey(name))
      throw new UsageError(
        `--corpus-param ${item}: unknown parameter "${name.slice(0, 24)}"; use one of ${GENERATED_PARAM_KEYS.join(', ')}.`,
      );
    if (Object.hasOwn(values, name))
      throw new UsageError(`--corpus-param ${name} is given twice: give each parameter once.`);
    if (!/^\d{1,10}$/.test(text))
      throw new UsageError(
        `--corpus-param ${item}: ${name} takes a whole number (decimal digits), e.g. ${name}=${exampleOf(name)}.`,
      );
    values[name] = Number(text);
  }
  const current = parseGeneratedCorpusId(scenario.corpus);
  const base = current.ok ? current.params : DEFAULT_GENERATED_PARAMS;
  const id = generatedCorpusId({ ...base, ...values });
  // Checked here so that the message names the flag rather than the scenario's corpus field.
  const parsed = parseGeneratedCorpusId(id);
  if (!parsed.ok) throw new ScenarioError(parsed.problems, 'corpus after --corpus-param');
  return { ...scenario, corpus: id };
}

function exampleOf(name: string): number {
  const info = GENERATED_PARAM_INFO.find((i) => i.key === name);
  return info ? Math.max(info.min, Math.min(info.max, DEFAULT_GENERATED_PARAMS[info.key] || 8)) : 1;
}
