import { TARGETS, type ArchId } from '../arch/targets.ts';
import { generateCorpus } from './generated/generate.ts';
import {
  GENERATOR_LABEL,
  generatedCorpusId,
  parseGeneratedCorpusId,
  type GeneratedCorpusParams,
} from './generated/params.ts';
import { CorpusError, sha256Hex, type CorpusSource } from './corpus-source.ts';
import { loadCorpus, type CorpusObject, type LoadedCorpus } from './load-corpus.ts';
import { CORPUS_MANIFEST_VERSION, type CorpusManifest } from './manifest.ts';

/**
 * What a scenario's `corpus` string names: the committed kernel-like corpus,
 * or a corpus generated from the parameters in a `generated-v1…` id (see
 * generated/params.ts for why it is a string).
 */
export type CorpusSpec =
  { kind: 'kernel-like' } | { kind: 'generated'; params: GeneratedCorpusParams };

export function corpusSpec(corpus: string): CorpusSpec {
  if (corpus === 'kernel-like') return { kind: 'kernel-like' };
  const parsed = parseGeneratedCorpusId(corpus);
  if (!parsed.ok)
    throw new CorpusError(`unknown corpus "${corpus}": ${parsed.problems.join('; ')}`);
  return { kind: 'generated', params: parsed.params };
}

/**
 * The objects a scenario links: the committed corpus read from `source`
 * (checked against its manifest), or a generated corpus made here from the
 * parameters in the scenario's corpus id (the source is then not read).
 */
export async function obtainCorpus(
  scenario: { corpus: string; arch: ArchId },
  source: CorpusSource,
): Promise<LoadedCorpus> {
  const spec = corpusSpec(scenario.corpus);
  if (spec.kind === 'kernel-like') return loadCorpus(source, scenario.arch);
  return generatedCorpus(spec.params, scenario.arch);
}

/**
 * A generated corpus with a manifest synthesised for it: the generator's
 * label as compiler, the canonical corpus id as the architecture's only
 * flag (which `scenarioLoopConfig` checks against the scenario), its sha256
 * as the headers', and the sha256 of every object (recorded, not checked:
 * the bytes were made just now). Only the scenario's architecture has
 * objects.
 */
export async function generatedCorpus(
  params: GeneratedCorpusParams,
  arch: ArchId,
): Promise<LoadedCorpus> {
  const target = TARGETS[arch];
  const objects: CorpusObject[] = generateCorpus(params, target);
  const id = generatedCorpusId(params);
  const idSha = await sha256Hex(new TextEncoder().encode(id));
  const entries = await Promise.all(
    objects.map(async (o) => ({
      source: `${id}#${o.name.replace(/\.o$/, '.c')}`,
      object: o.name,
      sourceSha256: idSha,
      sha256: await sha256Hex(o.bytes),
      bytes: o.bytes.length,
    })),
  );
  const empty = (a: ArchId) => ({ triple: TARGETS[a].clangTriple, flags: [], objects: [] });
  const manifest: CorpusManifest = {
    version: CORPUS_MANIFEST_VERSION,
    compiler: GENERATOR_LABEL,
    headersSha256: idSha,
    archs: {
      ppc64le: empty('ppc64le'),
      ppc64: empty('ppc64'),
      ppc32: empty('ppc32'),
      [arch]: { triple: target.clangTriple, flags: [id], objects: entries },
    },
  };
  return { manifest, arch, objects };
}
