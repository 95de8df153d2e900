import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../toolchain/corpus/corpus-source.ts';
import { fetchCorpusSource } from './fetch-corpus-source.ts';

const base = new URL('https://example.test/kallsyms-lab/corpus/');

describe('the fetch corpus source', () => {
  it('reads files relative to the corpus folder', async () => {
    const asked: string[] = [];
    const source = fetchCorpusSource(base, async (url) => {
      asked.push(url.href);
      return new Response(new Uint8Array([1, 2, 3]), {
        headers: { 'content-type': 'application/octet-stream' },
      });
    });
    expect(await source.readFile('ppc64le/kernel/fork.o')).toEqual(new Uint8Array([1, 2, 3]));
    expect(asked).toEqual(['https://example.test/kallsyms-lab/corpus/ppc64le/kernel/fork.o']);
  });

  it('takes a cached object whose checksum is the manifest’s, without asking the server', async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const asked: Array<RequestCache | undefined> = [];
    const source = fetchCorpusSource(base, async (_url, init) => {
      asked.push(init?.cache);
      return new Response(bytes.slice(), {
        headers: { 'content-type': 'application/octet-stream' },
      });
    });
    expect(await source.readFile('ppc64le/kernel/fork.o', await sha256Hex(bytes))).toEqual(bytes);
    expect(asked).toEqual(['force-cache']);
  });

  it('asks the server again when the cached copy’s checksum is not the manifest’s', async () => {
    const fresh = new Uint8Array([4, 5, 6]);
    const asked: Array<RequestCache | undefined> = [];
    const source = fetchCorpusSource(base, async (_url, init) => {
      asked.push(init?.cache);
      const body = init?.cache === 'force-cache' ? new Uint8Array([1, 2, 3]) : fresh.slice();
      return new Response(body, { headers: { 'content-type': 'application/octet-stream' } });
    });
    expect(await source.readFile('ppc64le/kernel/fork.o', await sha256Hex(fresh))).toEqual(fresh);
    expect(asked).toEqual(['force-cache', 'no-cache']);
  });

  it('names the file and what the server said', async () => {
    const source = fetchCorpusSource(
      base,
      async () => new Response('', { status: 404, statusText: 'Not Found' }),
    );
    await expect(source.readFile('manifest.json')).rejects.toThrow(
      'could not fetch corpus/manifest.json: the server answered 404 Not Found',
    );
  });

  it('refuses the HTML page a dev server sends for a missing file', async () => {
    const source = fetchCorpusSource(
      base,
      async () => new Response('<!doctype html>', { headers: { 'content-type': 'text/html' } }),
    );
    await expect(source.readFile('ppc32/init/main.o')).rejects.toThrow(
      /corpus\/ppc32\/init\/main\.o: the server sent an HTML page instead/,
    );
  });

  it('says a network failure happened while fetching the file', async () => {
    const source = fetchCorpusSource(base, () => Promise.reject(new TypeError('Failed to fetch')));
    await expect(source.readFile('manifest.json')).rejects.toThrow(
      /^could not fetch corpus\/manifest\.json \(Failed to fetch\)/,
    );
  });
});
