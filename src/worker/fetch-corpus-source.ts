import { CorpusError, sha256Hex, type CorpusSource } from '../toolchain/corpus/corpus-source.ts';

/**
 * The compiled corpus as the page serves it (public/corpus/ at
 * `${BASE_URL}corpus/`), read with fetch. Errors name the file and what the
 * server said, because "Failed to fetch" alone does not tell a user which of
 * a hundred objects is missing.
 */
export function fetchCorpusSource(
  base: URL,
  fetchFn: (url: URL, init?: RequestInit) => Promise<Response> = (url, init) => fetch(url, init),
): CorpusSource {
  async function read(path: string, cache?: RequestCache): Promise<Uint8Array> {
    const url = new URL(path, base);
    let response: Response;
    try {
      response = await fetchFn(url, cache ? { cache } : undefined);
    } catch (error) {
      throw new CorpusError(
        `could not fetch corpus/${path} (${error instanceof Error ? error.message : String(error)}); check the connection and reload`,
      );
    }
    if (!response.ok) {
      throw new CorpusError(
        `could not fetch corpus/${path}: the server answered ${response.status} ${response.statusText}`.trimEnd(),
      );
    }
    // A dev server's SPA fallback answers a missing file with index.html and 200.
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) {
      throw new CorpusError(
        `could not fetch corpus/${path}: the server sent an HTML page instead (is public/corpus/ deployed?)`,
      );
    }
    return new Uint8Array(await response.arrayBuffer());
  }
  return {
    async readFile(path, expectedSha256) {
      if (expectedSha256 === undefined) return read(path);
      // The manifest (always revalidated) names each object's checksum: a cached
      // copy with that checksum is the current one, so ask the server only when
      // there is none or it differs (67 revalidations per visit saved).
      const cached = await read(path, 'force-cache').catch(() => null);
      if (cached && (await sha256Hex(cached)) === expectedSha256) return cached;
      return read(path, 'no-cache');
    },
  };
}
