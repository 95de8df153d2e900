import { CorpusError, type CorpusSource } from '../toolchain/corpus/load-corpus.ts';

/**
 * The compiled corpus as the page serves it (public/corpus/ at
 * `${BASE_URL}corpus/`), read with fetch. Errors name the file and what the
 * server said, because "Failed to fetch" alone does not tell a user which of
 * a hundred objects is missing.
 */
export function fetchCorpusSource(
  base: URL,
  fetchFn: (url: URL) => Promise<Response> = (url) => fetch(url),
): CorpusSource {
  return {
    async readFile(path) {
      const url = new URL(path, base);
      let response: Response;
      try {
        response = await fetchFn(url);
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
    },
  };
}
