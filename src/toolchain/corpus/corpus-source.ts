/**
 * Where the compiled corpus comes from, and what reading it can fail with.
 * Kept apart from load-corpus.ts (the manifest's schema) so that the
 * worker can fetch files before it loads zod and the engine.
 */

/**
 * Where the compiled corpus comes from: files under public/corpus/ in Node,
 * `fetch` of /corpus/ on the page. Paths are relative to that folder.
 */
export interface CorpusSource {
  /**
   * `expectedSha256`, when given, is the manifest's checksum of the file: a
   * source may then answer from a cache without asking the server, as long
   * as the bytes have that checksum (loadCorpus checks them again).
   */
  readFile(path: string, expectedSha256?: string): Promise<Uint8Array>;
}

export class CorpusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CorpusError';
  }
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}
