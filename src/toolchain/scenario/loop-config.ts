import { TARGETS } from '../arch/targets.ts';
import { GENERATOR_LABEL, generatedCorpusId } from '../corpus/generated/params.ts';
import type { LoadedCorpus } from '../corpus/load-corpus.ts';
import { corpusSpec } from '../corpus/obtain-corpus.ts';
import { renderLinkerScript } from '../kbuild/linker-script.ts';
import type { LoopConfig } from '../kbuild/run-loop.ts';
import { assertRunnable, type Scenario } from './schema.ts';

/**
 * The linker script a scenario links with: its own, or the template with its
 * layout (and, for a generated corpus with pinned functions, their section
 * at its fixed address).
 */
export function scenarioLinkerScript(scenario: Scenario): string {
  if (scenario.linkerScript !== null) return scenario.linkerScript;
  const spec = corpusSpec(scenario.corpus);
  const pinned =
    spec.kind === 'generated' && spec.params.pinned > 0 ? { at: spec.params.pinnedAt } : null;
  return renderLinkerScript(
    TARGETS[scenario.arch],
    {
      base: BigInt(scenario.layout.base),
      align: scenario.layout.align,
      gap: scenario.layout.gap,
    },
    pinned,
  );
}

/**
 * The loop's configuration for a scenario and its loaded corpus. Throws
 * ScenarioError, before any link, when the scenario's own script cannot run
 * (empty, or without a symbol the loop needs).
 */
export function scenarioLoopConfig(scenario: Scenario, corpus: LoadedCorpus): LoopConfig {
  assertRunnable(scenario);
  if (corpus.arch !== scenario.arch) {
    throw new Error(`corpus loaded for ${corpus.arch}, scenario wants ${scenario.arch}`);
  }
  const given = corpusIdOf(corpus);
  if (given !== scenario.corpus) {
    throw new Error(
      `the scenario wants the corpus "${scenario.corpus}", but "${given}" was loaded: ` +
        'get the objects with obtainCorpus(scenario, source)',
    );
  }
  return {
    target: TARGETS[scenario.arch],
    objects: corpus.objects,
    corpusCompiler: corpus.manifest.compiler,
    linkerScript: scenarioLinkerScript(scenario),
    extraLinkerFlags: scenario.extraLinkerFlags,
    strategy: scenario.strategy,
    generation: scenario.generation,
    baseRelative: scenario.generation === 'latest' ? true : scenario.baseRelative,
    allSymbols: scenario.allSymbols,
    filterLldStubs: scenario.filterLldStubs,
    extraPass: scenario.extraPass,
    maxPasses: scenario.maxPasses,
    // Byte-identical to llvm-nm -n (src/toolchain/elf/nm-listing.presets.test.ts
    // checks every preset both ways) and a tool run per pass cheaper.
    listing: 'elf',
  };
}

/** Which corpus id a loaded corpus is (obtainCorpus records a generated one's id in its manifest). */
function corpusIdOf(corpus: LoadedCorpus): string {
  if (corpus.manifest.compiler !== GENERATOR_LABEL) return 'kernel-like';
  const id = corpus.manifest.archs[corpus.arch].flags[0] ?? '';
  const spec = corpusSpec(id);
  return spec.kind === 'generated' ? generatedCorpusId(spec.params) : id;
}
