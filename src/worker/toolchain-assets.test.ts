/**
 * The toolchain's files as the worker serves them to @yowasp/clang: kept
 * decompressed in Cache Storage after the first download, and replaced by
 * compiled modules a previous worker handed over. Real modules of the
 * package, the real compileStreaming; the network and Cache Storage are
 * in-memory (Node has no Cache Storage; the browser tests cover the real one).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ASSET_CACHE_NAME,
  installToolchainAssets,
  type AssetCacheStorage,
  type ToolchainAssetScope,
} from './toolchain-assets.ts';

const gen = join(dirname(createRequire(import.meta.url).resolve('@yowasp/clang')), '.');
const CORE3 = new Uint8Array(readFileSync(join(gen, 'llvm.core3.wasm')));
const CORE4 = new Uint8Array(readFileSync(join(gen, 'llvm.core4.wasm')));
const SITE = 'http://site.test/assets/';
const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A server of a few files: counts requests; `cacheControl` as a static host would send it. */
function network(cacheControl = IMMUTABLE) {
  const files = new Map<string, Uint8Array>([
    [`${SITE}llvm.core3-AbCd1234.wasm`, CORE3],
    [`${SITE}llvm.core4-EfGh5678.wasm`, CORE4],
    [`${SITE}llvm-resources-IjKl9012.tar`, new TextEncoder().encode('usr/include/...')],
    ['http://site.test/corpus/manifest.json', new TextEncoder().encode('{}')],
  ]);
  const requests: string[] = [];
  const fetch = (async (input: RequestInfo | URL) => {
    const url = String(input instanceof Request ? input.url : input);
    requests.push(url);
    const body = files.get(url);
    if (!body) return new Response('not found', { status: 404, statusText: 'Not Found' });
    return new Response(body.slice(), {
      headers: {
        'content-type': url.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream',
        'cache-control': cacheControl,
      },
    });
  }) as typeof globalThis.fetch;
  return { fetch, requests };
}

/** Cache Storage in memory: stores the bytes a response yields and its type, as the browser does. */
function memoryCaches(): AssetCacheStorage & { stored: Map<string, Map<string, Uint8Array>> } {
  const stored = new Map<string, Map<string, Uint8Array>>();
  const types = new Map<string, string>();
  return {
    stored,
    async open(name) {
      const entries = stored.get(name) ?? new Map<string, Uint8Array>();
      stored.set(name, entries);
      return {
        async match(url) {
          const bytes = entries.get(url);
          const headers = { 'content-type': types.get(url) ?? 'application/octet-stream' };
          return bytes ? new Response(bytes.slice(), { headers }) : undefined;
        },
        async put(url, response) {
          types.set(url, response.headers.get('content-type') ?? '');
          entries.set(url, new Uint8Array(await response.arrayBuffer()));
        },
        async keys() {
          return [...entries.keys()].map((url) => ({ url }));
        },
        async delete(url) {
          return entries.delete(url);
        },
      };
    },
  };
}

function scopeOf(net: ReturnType<typeof network>, caches?: AssetCacheStorage) {
  const scope: ToolchainAssetScope = {
    fetch: net.fetch,
    WebAssembly: { compileStreaming: WebAssembly.compileStreaming },
    caches,
  };
  return { scope, assets: installToolchainAssets(scope) };
}

/** What the package does: fetch, wrap the body in a progress stream, compileStreaming. */
async function compileAsThePackageDoes(scope: ToolchainAssetScope, url: string) {
  const response = await scope.fetch(new URL(url));
  const wrapped = new Response(response.body!.pipeThrough(new TransformStream()), response);
  return scope.WebAssembly.compileStreaming(wrapped);
}

const exportsOf = (module: WebAssembly.Module) => WebAssembly.Module.exports(module);
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('the toolchain assets of the worker', () => {
  it('downloads on first use, compiles, and keeps the decompressed bytes in Cache Storage', async () => {
    const net = network();
    const caches = memoryCaches();
    const { scope, assets } = scopeOf(net, caches);
    const module = await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(exportsOf(module)).toEqual(exportsOf(new WebAssembly.Module(CORE4)));
    expect(net.requests).toEqual([`${SITE}llvm.core4-EfGh5678.wasm`]);
    expect(assets.sources()).toEqual({ [`${SITE}llvm.core4-EfGh5678.wasm`]: 'network' });
    expect(assets.toolchainFrom()).toBe('network');
    expect(Object.keys(assets.compiledModules())).toEqual([`${SITE}llvm.core4-EfGh5678.wasm`]);
    await settle();
    expect(caches.stored.get(ASSET_CACHE_NAME)?.get(`${SITE}llvm.core4-EfGh5678.wasm`)).toEqual(
      CORE4,
    );
  });

  it('measures a download: the bytes the responses declared on the wire, and the module’s bytes unpacked', async () => {
    const net = network();
    // As a server of brotli files answers: Content-Length is the compressed size.
    const compressed = 1234;
    const plain = net.fetch;
    net.fetch = (async (input: RequestInfo | URL) => {
      const response = await plain(input);
      const headers = new Headers(response.headers);
      headers.set('content-length', String(compressed));
      return new Response(response.body, { status: response.status, headers });
    }) as typeof fetch;
    const caches = memoryCaches();
    const { scope, assets } = scopeOf(net, caches);
    expect(assets.download()).toBeNull();
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(assets.declaredWireBytes()).toBe(compressed);
    // Node keeps no Resource Timing for this fetch: the declared size stands for the wire's.
    expect(assets.download()).toEqual({ wireBytes: compressed, bytes: CORE4.length });
    // A later start from Cache Storage downloads nothing.
    await settle();
    const later = scopeOf(net, caches);
    await compileAsThePackageDoes(later.scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(later.assets.toolchainFrom()).toBe('cache-storage');
    expect(later.assets.download()).toBeNull();
  });

  it('reads a later start’s files from Cache Storage, without the network', async () => {
    const caches = memoryCaches();
    const first = scopeOf(network(), caches);
    await compileAsThePackageDoes(first.scope, `${SITE}llvm.core3-AbCd1234.wasm`);
    await settle();

    const net = network();
    const { scope, assets } = scopeOf(net, caches);
    const module = await compileAsThePackageDoes(scope, `${SITE}llvm.core3-AbCd1234.wasm`);
    expect(net.requests).toEqual([]);
    expect(assets.sources()).toEqual({ [`${SITE}llvm.core3-AbCd1234.wasm`]: 'cache-storage' });
    expect(assets.toolchainFrom()).toBe('cache-storage');
    expect(exportsOf(module)).toEqual(exportsOf(new WebAssembly.Module(CORE3)));
  });

  it('compiles the response that has the URL (V8 keys its code cache on it), not the package’s wrapped copy', async () => {
    const net = network();
    const given: Response[] = [];
    const sent: Response[] = [];
    const scope: ToolchainAssetScope = {
      fetch: (async (input: RequestInfo | URL) => {
        const response = await net.fetch(input);
        sent.push(response);
        return response;
      }) as typeof fetch,
      WebAssembly: {
        compileStreaming: async (source) => {
          given.push(await source);
          return WebAssembly.compileStreaming(source);
        },
      },
      caches: memoryCaches(),
    };
    installToolchainAssets(scope);
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(given).toHaveLength(1);
    expect(given[0]).toBe(sent[0]);
  });

  it('uses adopted modules as they are: no download, no cache read, no compile', async () => {
    const previous = new WebAssembly.Module(CORE4);
    const net = network();
    const caches = memoryCaches();
    const { scope, assets } = scopeOf(net, caches);
    assets.adopt({ [`${SITE}llvm.core4-EfGh5678.wasm`]: previous });
    const module = await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(module).toBe(previous);
    expect(net.requests).toEqual([]);
    expect(caches.stored.size).toBe(0);
    expect(assets.sources()).toEqual({ [`${SITE}llvm.core4-EfGh5678.wasm`]: 'adopted' });
    // The tar is always read, never handed over: it does not make the toolchain "from cache".
    await scope.fetch(new URL(`${SITE}llvm-resources-IjKl9012.tar`));
    expect(assets.toolchainFrom()).toBe('adopted');
    expect(assets.compiledModules()).toEqual({ [`${SITE}llvm.core4-EfGh5678.wasm`]: previous });
  });

  it('answers the resources tar with an empty archive when told to omit it: no download, no cache, and the total loses its size', async () => {
    const net = network();
    const caches = memoryCaches();
    const scope: ToolchainAssetScope = {
      fetch: net.fetch,
      WebAssembly: { compileStreaming: WebAssembly.compileStreaming },
      caches,
    };
    const tarBytes = 29_665_280;
    const assets = installToolchainAssets(scope, { omitResourcesTar: { bytes: tarBytes } });
    const tar = await scope.fetch(new URL(`${SITE}llvm-resources-IjKl9012.tar`));
    // Two zero blocks: the end marker of a tar with no entries.
    expect(new Uint8Array(await tar.arrayBuffer())).toEqual(new Uint8Array(1024));
    expect(net.requests).toEqual([]);
    await settle();
    expect(caches.stored.get(ASSET_CACHE_NAME)?.size ?? 0).toBe(0);
    expect(assets.sources()).toEqual({ [`${SITE}llvm-resources-IjKl9012.tar`]: 'omitted' });
    // The package counts the 1024 bytes it got: done still reaches the corrected total.
    expect(assets.omittedBytes()).toBe(tarBytes - 1024);
    // The wasm modules are fetched as before.
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(net.requests).toEqual([`${SITE}llvm.core4-EfGh5678.wasm`]);
    expect(assets.toolchainFrom()).toBe('network');
  });

  it('omits nothing unless told to', async () => {
    const net = network();
    const { scope, assets } = scopeOf(net, memoryCaches());
    const tar = await scope.fetch(new URL(`${SITE}llvm-resources-IjKl9012.tar`));
    expect(await tar.text()).toBe('usr/include/...');
    expect(assets.omittedBytes()).toBe(0);
  });

  it('does not keep files the server does not declare immutable (a dev server’s unhashed names)', async () => {
    const caches = memoryCaches();
    const { scope } = scopeOf(network('no-cache'), caches);
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    await settle();
    expect(caches.stored.get(ASSET_CACHE_NAME)?.size ?? 0).toBe(0);
  });

  it('passes other requests, and failed downloads, through unchanged', async () => {
    const net = network();
    const { scope } = scopeOf(net, memoryCaches());
    const manifest = await scope.fetch('http://site.test/corpus/manifest.json');
    expect(await manifest.text()).toBe('{}');
    const missing = await scope.fetch(new URL(`${SITE}llvm.core9-Zzzz0000.wasm`));
    expect([missing.status, missing.statusText]).toEqual([404, 'Not Found']);
  });

  it('falls back to the network when Cache Storage fails, and still compiles', async () => {
    const net = network();
    const broken: AssetCacheStorage = {
      open: () => Promise.reject(new DOMException('quota exceeded', 'QuotaExceededError')),
    };
    const { scope } = scopeOf(net, broken);
    const module = await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(exportsOf(module)).toEqual(exportsOf(new WebAssembly.Module(CORE4)));
    expect(net.requests).toHaveLength(1);
  });

  it('works without Cache Storage at all (an insecure origin)', async () => {
    const net = network();
    const { scope } = scopeOf(net);
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    expect(net.requests).toHaveLength(2);
  });

  it('prunes cached files of an older build that this start did not use', async () => {
    const caches = memoryCaches();
    const entries = await caches.open(ASSET_CACHE_NAME);
    await entries.put(
      `${SITE}llvm.core4-OLDHASH0.wasm`,
      new Response(CORE4.slice(), { headers: { 'content-type': 'application/wasm' } }),
    );
    const { scope, assets } = scopeOf(network(), caches);
    await compileAsThePackageDoes(scope, `${SITE}llvm.core4-EfGh5678.wasm`);
    await settle();
    await assets.pruneCache();
    expect([...caches.stored.get(ASSET_CACHE_NAME)!.keys()]).toEqual([
      `${SITE}llvm.core4-EfGh5678.wasm`,
    ]);
  });
});
