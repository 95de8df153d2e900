import { z } from 'zod';
import { ARCH_IDS, type ArchId } from '../arch/targets.ts';

/** Bumped only when the manifest's shape changes meaning. */
export const CORPUS_MANIFEST_VERSION = 1;

const objectEntry = z.object({
  /** C source, relative to corpus/src. */
  source: z.string(),
  /** Object, relative to public/corpus/<arch>/. */
  object: z.string(),
  sourceSha256: z.string().regex(/^[0-9a-f]{64}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().positive(),
});

const archEntry = z.object({
  triple: z.string(),
  flags: z.array(z.string()),
  /** In link order: the order every link uses. */
  objects: z.array(objectEntry).min(1),
});

export const corpusManifestSchema = z.object({
  version: z.literal(CORPUS_MANIFEST_VERSION),
  compiler: z.string(),
  headersSha256: z.string().regex(/^[0-9a-f]{64}$/),
  archs: z.object(
    Object.fromEntries(ARCH_IDS.map((id) => [id, archEntry])) as Record<ArchId, typeof archEntry>,
  ),
});

export type CorpusManifest = z.infer<typeof corpusManifestSchema>;
export type CorpusObjectEntry = z.infer<typeof objectEntry>;
