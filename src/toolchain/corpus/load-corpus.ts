import type { ArchId } from '../arch/targets.ts';
import { CorpusError, sha256Hex, type CorpusSource } from './corpus-source.ts';
import { corpusManifestSchema, type CorpusManifest } from './manifest.ts';

export interface CorpusObject {
  /** Name given to the linker, e.g. "kernel/fork.o": stable across runs, so command lines can be re-run. */
  name: string;
  bytes: Uint8Array;
  /**
   * The bytes' SHA-256 in hex, where the loader already has it (checked
   * against the manifest, or computed as the corpus was made): a run's record
   * takes it instead of hashing every object again on every run.
   */
  sha256?: string;
}

export interface LoadedCorpus {
  manifest: CorpusManifest;
  arch: ArchId;
  /** In link order. */
  objects: CorpusObject[];
}

export async function loadManifest(source: CorpusSource): Promise<CorpusManifest> {
  const text = new TextDecoder().decode(await source.readFile('manifest.json'));
  const parsed = corpusManifestSchema.safeParse(JSON.parse(text));
  if (!parsed.success) {
    throw new CorpusError(
      `corpus/manifest.json does not match the expected shape: ${parsed.error.issues[0]?.message ?? 'unknown'} ` +
        `(at ${parsed.error.issues[0]?.path.join('.')}). Rebuild it with \`npm run corpus\`.`,
    );
  }
  return parsed.data;
}

/**
 * Loads every object of one architecture and checks each against the
 * manifest's checksum, so a stale or damaged file is named, not linked.
 */
export async function loadCorpus(source: CorpusSource, arch: ArchId): Promise<LoadedCorpus> {
  const manifest = await loadManifest(source);
  const entries = manifest.archs[arch].objects;
  const objects = await Promise.all(
    entries.map(async (entry) => {
      const bytes = await source.readFile(`${arch}/${entry.object}`, entry.sha256);
      const actual = await sha256Hex(bytes);
      if (actual !== entry.sha256) {
        throw new CorpusError(
          `corpus object ${arch}/${entry.object} has sha256 ${actual}, but the manifest says ${entry.sha256}. ` +
            'Rebuild the corpus with `npm run corpus`, or restore public/corpus from git.',
        );
      }
      return { name: entry.object, bytes, sha256: actual };
    }),
  );
  return { manifest, arch, objects };
}
