/**
 * The engine's entry points the toolchain service uses: the link loop,
 * kallsyms, the ELF reader and writer, the corpus generator. Most of the
 * worker's code, so toolchain-service.ts imports this on first use rather
 * than at worker start (see `loadEngine` there).
 */
import { DEFAULT_PRESET_ID, findPreset } from '../toolchain/scenario/presets.ts';

export { obtainCorpus } from '../toolchain/corpus/obtain-corpus.ts';
export { runLinkLoop } from '../toolchain/kbuild/run-loop.ts';
export {
  estimateRunCost,
  PAGE_CEILING,
  pageCeilingRefusal,
  RunCeilingError,
  withinAutoRunBudget,
} from '../toolchain/scenario/cost.ts';
export { scenarioLoopConfig } from '../toolchain/scenario/loop-config.ts';
export { parseScenario } from '../toolchain/scenario/schema.ts';
export { sweepStepResult } from '../toolchain/sweep/index.ts';

/** The page's scenario unless a link names another: its corpus is read while the toolchain compiles. */
export const defaultScenario = findPreset(DEFAULT_PRESET_ID)!.scenario;
