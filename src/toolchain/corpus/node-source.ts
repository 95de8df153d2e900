import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CorpusSource } from './corpus-source.ts';

/** The committed corpus, as the CLI and the tests read it. */
export const DEFAULT_CORPUS_DIR = fileURLToPath(
  new URL('../../../public/corpus/', import.meta.url),
);

export function nodeCorpusSource(dir: string = DEFAULT_CORPUS_DIR): CorpusSource {
  return {
    async readFile(path) {
      return new Uint8Array(await readFile(join(dir, path)));
    },
  };
}
