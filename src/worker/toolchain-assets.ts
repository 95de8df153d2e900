/**
 * How the worker hands @yowasp/clang its files (llvm.core*.wasm and
 * llvm-resources.tar), so that a warm start and a re-created worker are fast.
 *
 * Measured in Debian's Chromium on 2 cores (scratch probes, 2026-11-26): a warm
 * visit spent ~0.9-1.1 s getting the 75 MB llvm.core.wasm out of the HTTP cache
 * and compiled, because the cache keeps it brotli-compressed (reading it back
 * costs ~0.5 s of decompression) and because the package wraps every response
 * in a progress stream, which also rules out V8's wasm code cache. So:
 *
 * - Cache Storage: files the server declares immutable (hashed names) are
 *   kept decompressed in a Cache Storage cache after the first download and
 *   read from there afterwards (stale names are dropped once init succeeds).
 * - Adopted modules: the page keeps the compiled WebAssembly.Module objects a
 *   worker made (they can be posted to another worker of the same page) and
 *   gives them to the next worker, which then skips compilation entirely:
 *   Stop-then-Run costs a worker start and an instantiation, not a compile.
 *
 * - No resources tar: the package also loads llvm-resources.tar (28 MB, 2466
 *   files: clang's headers and a WASI sysroot) and mounts it in every tool's
 *   file system, but ld.lld and llvm-nm read none of it. Given its size, the
 *   worker answers with an empty archive: reading and unpacking the tar beside
 *   the 75 MB compile made a warm start ~250 ms slower on 2 cores (marks
 *   probe, 7 warm visits each: median 0.99 s with it, 0.73 s without), and a
 *   first visit downloads 2.8 MB less.
 *
 * The package has no hook for any of this, so this wraps the worker's `fetch`
 * (the package reads `globalThis.fetch` once, when it is first imported) and
 * `WebAssembly.compileStreaming` (which it calls with our responses). Any
 * other request, and any failure of Cache Storage, takes the normal path.
 */

/** The subset of Cache Storage used here (tests pass an in-memory one). */
export interface AssetCacheStorage {
  open(name: string): Promise<{
    match(url: string): Promise<Response | undefined>;
    put(url: string, response: Response): Promise<void>;
    keys(): Promise<readonly { url: string }[]>;
    delete(url: string): Promise<boolean>;
  }>;
}

export interface ToolchainAssetScope {
  fetch: typeof fetch;
  WebAssembly: Pick<typeof WebAssembly, 'compileStreaming'>;
  /** Absent where Cache Storage is unavailable (an insecure origin, some private modes). */
  caches?: AssetCacheStorage;
}

export interface ToolchainAssetOptions {
  /**
   * The resources tar's size, decompressed: when given, the tar is never
   * fetched and an empty archive is served instead (the tools this project
   * runs read no file of it). The package still counts the size in its
   * download total (see `omittedBytes`).
   */
  omitResourcesTar?: { bytes: number };
}

export interface ToolchainAssets {
  /** The modules compiled (or adopted) so far, by URL: the page keeps them for the next worker. */
  compiledModules(): Record<string, WebAssembly.Module>;
  /** Modules a previous worker compiled: used instead of fetching and compiling those URLs. */
  adopt(modules: Record<string, WebAssembly.Module>): void;
  /** Drops cached files this worker did not use (those of an older build). */
  pruneCache(): Promise<void>;
  /** Where each asset came from this time, for measurements and tests. */
  sources(): Record<string, AssetSource>;
  /**
   * Bytes of the package's download total that never arrive, because the
   * resources tar is omitted: to subtract from its progress total.
   */
  omittedBytes(): number;
  /**
   * Where the compiled ld.lld came from, from the wasm modules only (the
   * resources tar is never handed over): adopted only when every module was.
   */
  toolchainFrom(): Exclude<AssetSource, 'omitted'> | undefined;
  /**
   * Bytes on the wire the wasm modules' network responses declared so far
   * (their Content-Length: brotli-compressed), for the download's progress.
   */
  declaredWireBytes(): number;
  /**
   * What this start downloaded, measured once the modules are compiled: the
   * bytes on the wire (Resource Timing's encodedBodySize, else the declared
   * Content-Length) and the decompressed bytes the modules were compiled
   * from (counted as they streamed). Null when no module came from the network.
   */
  download(): AssetDownload | null;
}

export interface AssetDownload {
  wireBytes: number;
  bytes: number;
}

export type AssetSource = 'adopted' | 'cache-storage' | 'network' | 'omitted';

export const ASSET_CACHE_NAME = 'kallsyms-lab-toolchain';
/** Marks our responses so that compileStreaming knows which URL (and module) one is for. */
const ASSET_HEADER = 'x-kallsyms-lab-asset';

function isToolchainAsset(url: URL): boolean {
  return /\/llvm[^/]*\.(wasm|tar)$/.test(url.pathname);
}

/** A tar archive with no entries: its end marker, two zero blocks. */
const EMPTY_TAR_BYTES = 1024;

function requestUrl(input: RequestInfo | URL): URL | null {
  try {
    if (input instanceof URL) return input;
    return new URL(typeof input === 'string' ? input : input.url);
  } catch {
    return null;
  }
}

function marked(body: BodyInit | null, url: string, contentType: string): Response {
  return new Response(body, {
    headers: { 'content-type': contentType, [ASSET_HEADER]: url },
  });
}

function contentTypeOf(url: URL): string {
  return url.pathname.endsWith('.wasm') ? 'application/wasm' : 'application/x-tar';
}

/** Wraps `scope.fetch` and `scope.WebAssembly.compileStreaming`; call before importing the package. */
export function installToolchainAssets(
  scope: ToolchainAssetScope,
  options: ToolchainAssetOptions = {},
): ToolchainAssets {
  const networkFetch = scope.fetch.bind(globalThis);
  const compileStreaming = scope.WebAssembly.compileStreaming.bind(scope.WebAssembly);
  const modules = new Map<string, WebAssembly.Module>();
  const adopted = new Map<string, WebAssembly.Module>();
  const used = new Set<string>();
  const sources = new Map<string, AssetSource>();
  /**
   * The response a module is compiled from, by URL: the one with the URL (from
   * Cache Storage or the network), not the package's progress-wrapped copy,
   * so that V8 can keep and reuse its optimised code for it (code caching is
   * keyed on the response's URL; a constructed Response has none).
   */
  const compileFrom = new Map<string, Response>();
  /** Per module fetched from the network: Content-Length, and the decompressed bytes read. */
  const declared = new Map<string, number>();
  const unpacked = new Map<string, number>();
  let cache: ReturnType<AssetCacheStorage['open']> | null = null;

  function openCache(): ReturnType<AssetCacheStorage['open']> | null {
    if (!scope.caches) return null;
    cache ??= scope.caches.open(ASSET_CACHE_NAME);
    return cache;
  }

  async function fromCacheStorage(url: string): Promise<Response | null> {
    try {
      const open = openCache();
      const hit = open && (await (await open).match(url));
      return hit && hit.body ? hit : null;
    } catch {
      return null; // a broken or full cache only costs the download
    }
  }

  async function assetFetch(url: URL, init?: RequestInit): Promise<Response> {
    const key = url.href;
    used.add(key);
    const type = contentTypeOf(url);
    if (options.omitResourcesTar && type !== 'application/wasm') {
      sources.set(key, 'omitted');
      return marked(new Uint8Array(EMPTY_TAR_BYTES), key, type);
    }
    if (adopted.has(key)) {
      sources.set(key, 'adopted');
      return marked(new Uint8Array(0), key, type);
    }
    const cached = await fromCacheStorage(key);
    performance.mark(`kallsyms-lab: opened ${url.pathname.split('/').pop()}`);
    if (cached) {
      sources.set(key, 'cache-storage');
      if (type !== 'application/wasm') return marked(cached.body, key, type);
      compileFrom.set(key, cached);
      return marked(new Uint8Array(0), key, type);
    }
    const response = await networkFetch(url, init);
    sources.set(key, 'network');
    if (!response.ok || !response.body) return response; // the package reports the failure
    const length = Number(response.headers.get('content-length') ?? NaN);
    if (type === 'application/wasm' && Number.isSafeInteger(length)) declared.set(key, length);
    const immutable = /\bimmutable\b/.test(response.headers.get('cache-control') ?? '');
    const open = immutable ? openCache() : null;
    if (open) {
      // Stored decompressed, from a second reading of the same download.
      const copy = response.clone();
      void open.then((c) => c.put(key, copy)).catch(() => {});
    }
    if (type !== 'application/wasm') return marked(response.body, key, type);
    // The package reads a copy, for its progress; the module is compiled from this one.
    compileFrom.set(key, response);
    return marked(response.clone().body, key, type);
  }

  (scope as { fetch: typeof fetch }).fetch = ((input: RequestInfo | URL, init?: RequestInit) => {
    const url = requestUrl(input);
    return url && isToolchainAsset(url) ? assetFetch(url, init) : networkFetch(input, init);
  }) as typeof fetch;

  (
    scope.WebAssembly as { compileStreaming: typeof WebAssembly.compileStreaming }
  ).compileStreaming = async (source) => {
    const response = await source;
    const key = response.headers.get(ASSET_HEADER);
    const ready = key ? adopted.get(key) : undefined;
    if (key && ready) {
      await response.body?.cancel();
      modules.set(key, ready);
      return ready;
    }
    const original = key ? compileFrom.get(key) : undefined;
    if (key && original) {
      compileFrom.delete(key);
      // Read the package's copy alongside, so that its progress still moves
      // (and count its bytes: the module's size, decompressed).
      let bytes = 0;
      const count = new WritableStream<Uint8Array>({
        write: (chunk) => void (bytes += chunk.length),
      });
      const progress = response.body
        ?.pipeTo(count)
        .then(() => void unpacked.set(key, bytes))
        .catch(() => {});
      const [module] = await Promise.all([compileStreaming(original), progress]);
      modules.set(key, module);
      performance.mark(`kallsyms-lab: compiled ${new URL(key).pathname.split('/').pop()}`);
      return module;
    }
    const module = await compileStreaming(response);
    if (key) modules.set(key, module);
    return module;
  };

  return {
    compiledModules: () => Object.fromEntries(modules),
    adopt(given) {
      for (const [url, module] of Object.entries(given)) adopted.set(url, module);
    },
    sources: () => Object.fromEntries(sources),
    // The package asks for the tar on every start, from its first progress
    // report on, and counts the empty archive's bytes instead: done still
    // meets the corrected total.
    omittedBytes: () =>
      options.omitResourcesTar ? options.omitResourcesTar.bytes - EMPTY_TAR_BYTES : 0,
    declaredWireBytes: () => [...declared.values()].reduce((sum, n) => sum + n, 0),
    download() {
      const fetched = [...sources]
        .filter(([url, source]) => source === 'network' && url.endsWith('.wasm'))
        .map(([url]) => url);
      if (fetched.length === 0) return null;
      let wireBytes = 0;
      let bytes = 0;
      for (const url of fetched) {
        // The browser's own count, once the body has arrived: nothing crossed
        // the wire when the HTTP cache answered (transferSize 0).
        const timing = performance.getEntriesByName(url, 'resource').at(-1) as
          PerformanceResourceTiming | undefined;
        if (timing) wireBytes += timing.transferSize > 0 ? timing.encodedBodySize : 0;
        else wireBytes += declared.get(url) ?? 0;
        bytes += unpacked.get(url) ?? 0;
      }
      return { wireBytes, bytes };
    },
    toolchainFrom() {
      const from = [...sources].filter(([url]) => url.endsWith('.wasm')).map(([, s]) => s);
      if (from.length === 0) return undefined;
      if (from.every((s) => s === 'adopted')) return 'adopted';
      return from.includes('network') ? 'network' : 'cache-storage';
    },
    async pruneCache() {
      try {
        const open = openCache();
        if (!open) return;
        const c = await open;
        for (const request of await c.keys()) {
          if (!used.has(request.url)) await c.delete(request.url);
        }
      } catch {
        /* pruning is housekeeping; a failure loses nothing */
      }
    },
  };
}
