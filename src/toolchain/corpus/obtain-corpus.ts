import { TARGETS, type ArchId } from '../arch/targets.ts';
import { generateCorpus, type GenerateProgress } from './generated/generate.ts';
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
 * How far making a generated corpus has got: the generator's plan and
 * objects (generate.ts), then the checksum of each object for its manifest.
 */
export interface CorpusProgress {
  stage: GenerateProgress['stage'] | 'checksum';
  done: number;
  total: number;
}

export type CorpusProgressHook = (progress: CorpusProgress) => void;

/**
 * The objects a scenario links: the committed corpus read from `source`
 * (checked against its manifest), or a generated corpus made here from the
 * parameters in the scenario's corpus id (the source is then not read),
 * reporting its progress to `onProgress`.
 */
export async function obtainCorpus(
  scenario: { corpus: string; arch: ArchId },
  source: CorpusSource,
  onProgress?: CorpusProgressHook,
): Promise<LoadedCorpus> {
  const spec = corpusSpec(scenario.corpus);
  if (spec.kind === 'kernel-like') return loadCorpus(source, scenario.arch);
  return generatedCorpus(spec.params, scenario.arch, onProgress);
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
  onProgress?: CorpusProgressHook,
): Promise<LoadedCorpus> {
  const target = TARGETS[arch];
  const objects: CorpusObject[] = generateCorpus(params, target, onProgress);
  const id = generatedCorpusId(params);
  const idSha = await sha256Hex(new TextEncoder().encode(id));
  let summed = 0;
  onProgress?.({ stage: 'checksum', done: 0, total: objects.length });
  const entries = await Promise.all(
    objects.map(async (o) => {
      const sha256 = await sha256Hex(o.bytes);
      o.sha256 = sha256;
      onProgress?.({ stage: 'checksum', done: ++summed, total: objects.length });
      return {
        source: `${id}#${o.name.replace(/\.o$/, '.c')}`,
        object: o.name,
        sourceSha256: idSha,
        sha256,
        bytes: o.bytes.length,
      };
    }),
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
