/// <reference lib="webworker" />
/**
 * The site's service worker (built into `sw.js` by build/service-worker.ts,
 * which fills in the two constants below): after a first visit the page
 * loads, and runs, without the network.
 *
 * - Install: every file the page can request except the toolchain's wasm
 *   (the app shell, the lazily loaded chunks, the corpus of every
 *   architecture) goes into a cache named after this build. The toolchain
 *   worker keeps the wasm in Cache Storage itself, decompressed
 *   (src/worker/toolchain-assets.ts); caching it here too would store 75 MB
 *   twice.
 * - The page (navigations): from the network first, so a new build is
 *   taken on the next visit; from the cache when the network fails or does
 *   not answer within NAVIGATION_TIMEOUT_MS, marked so the page can say it
 *   runs offline.
 * - Hashed assets and corpus objects: from the cache (their names or the
 *   manifest's checksums pin their bytes), else the network. A request that
 *   asks the server (`no-cache`, `reload`), and the corpus manifest, go to
 *   the network first.
 * - Activate: takes over open pages and drops the caches of older builds.
 */
export {};
declare const self: ServiceWorkerGlobalScope;

/** Filled in at build time: the files to keep, relative to the worker's scope. */
declare const __PRECACHE__: readonly string[];
/** Filled in at build time: a digest of those files' contents. */
declare const __BUILD_ID__: string;

const BUILD = __BUILD_ID__;
const CACHE_PREFIX = 'kallsyms-lab-shell-';
const CACHE = CACHE_PREFIX + BUILD;
/** How long a navigation waits for the network before the page comes from the cache. */
const NAVIGATION_TIMEOUT_MS = 4000;
/** Put into a page served from the cache: the page reads it to say it runs offline. */
const OFFLINE_MARK = `<meta name="kallsyms-lab-offline" content="${BUILD}">`;

const scope = new URL(self.registration.scope);
const precached = new Set(__PRECACHE__.map((path) => new URL(path, scope).href));
const indexUrl = new URL('index.html', scope).href;

/**
 * InstallEvent.addRoutes (Chromium 123+): requests a route matches are
 * answered by the browser itself, without starting this worker. Hashed
 * assets go straight to this build's cache (the network when missing, as for
 * the wasm): on a warm start every script then loads without the worker
 * (whose start, and every request through it, made ready ~0.3 s later in an
 * interleaved A/B). Elsewhere the fetch handler below does the same work.
 */
interface RoutingInstallEvent extends ExtendableEvent {
  addRoutes?: (
    rules: Array<{ condition: { urlPattern: unknown }; source: { cacheName: string } }>,
  ) => Promise<void>;
}
declare const URLPattern: new (init: { pathname: string }) => unknown;

self.addEventListener('install', (event) => {
  event.waitUntil(
    (async () => {
      const routing = event as RoutingInstallEvent;
      if (typeof routing.addRoutes === 'function' && typeof URLPattern === 'function') {
        await routing
          .addRoutes([
            {
              condition: { urlPattern: new URLPattern({ pathname: `${scope.pathname}assets/*` }) },
              source: { cacheName: CACHE },
            },
          ])
          .catch(() => {}); // an older form of the API: the fetch handler serves them
      }
      const cache = await caches.open(CACHE);
      // Files under assets/ are named by their content: the HTTP cache's copy
      // (the page has just fetched most of them) is the one. The others
      // (index.html, the corpus) are asked of the server: a stale copy must
      // not become this build's.
      const hashed = new URL('assets/', scope).href;
      await cache.addAll(
        [...precached].map(
          (url) => new Request(url, { cache: url.startsWith(hashed) ? 'default' : 'no-cache' }),
        ),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      // The page's request starts while this worker starts, not after.
      await self.registration.navigationPreload?.enable().catch(() => {});
      for (const name of await caches.keys()) {
        if (name.startsWith(CACHE_PREFIX) && name !== CACHE) await caches.delete(name);
      }
      await self.clients.claim();
    })(),
  );
});

/** The page asks which build this worker holds. */
self.addEventListener('message', (event) => {
  if ((event.data as { type?: unknown } | null)?.type === 'build?') {
    event.source?.postMessage({ type: 'build', build: BUILD });
  }
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  url.hash = '';
  if (request.mode === 'navigate' && url.href.startsWith(scope.href)) {
    event.respondWith(navigation(request, event.preloadResponse));
    return;
  }
  url.search = '';
  if (!precached.has(url.href)) return; // the wasm, other sites: the browser's own way
  const asksServer = request.cache === 'no-cache' || request.cache === 'reload';
  event.respondWith(
    asksServer || url.pathname.endsWith('/manifest.json')
      ? networkFirst(request, url.href)
      : cacheFirst(request, url.href),
  );
});

async function navigation(request: Request, preload: Promise<unknown>): Promise<Response> {
  try {
    const network = preload.then((preloaded) =>
      preloaded instanceof Response ? preloaded : fetch(request),
    );
    return await withTimeout(network, NAVIGATION_TIMEOUT_MS);
  } catch (error) {
    const cached = await caches.match(indexUrl, { cacheName: CACHE });
    if (!cached) throw error;
    const html = (await cached.text()).replace('<head>', `<head>${OFFLINE_MARK}`);
    return new Response(html, { headers: cached.headers });
  }
}

async function cacheFirst(request: Request, url: string): Promise<Response> {
  const cached = await caches.match(url, { cacheName: CACHE });
  return cached ?? fetch(request);
}

async function networkFirst(request: Request, url: string): Promise<Response> {
  try {
    const response = await fetch(request);
    if (response.ok) {
      const copy = response.clone();
      void caches
        .open(CACHE)
        .then((cache) => cache.put(url, copy))
        .catch(() => {});
    }
    return response;
  } catch (error) {
    const cached = await caches.match(url, { cacheName: CACHE });
    if (!cached) throw error;
    return cached;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}
