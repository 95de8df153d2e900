/**
 * The page's side of working offline: registers the service worker
 * (src/offline/service-worker.ts) once the page has loaded, and says in a
 * word where the page stands, for a status line:
 *
 * - `saving`: the first visit, while this build's files are being kept;
 * - `ready`: this build is kept: the page also loads without the network;
 * - `updated`: a newer build was kept during this visit (the page came from
 *   the network, so it is already the new one);
 * - `offline`: this page came from the kept copy, the network did not answer;
 * - `unavailable`: no service worker here (a dev server, a private window,
 *   an insecure origin), or registering failed.
 */

export type OfflineState = 'saving' | 'ready' | 'updated' | 'offline' | 'unavailable';

export interface OfflineStatus {
  state: OfflineState;
  /** The kept build's id (a digest of its files), once known. */
  build: string | null;
  /** Why registering failed, for `unavailable`. */
  detail: string | null;
}

type Listener = () => void;

/** One per page: starts on first use, registers once. */
let current: OfflineStatus = { state: 'unavailable', build: null, detail: null };
let started = false;
const listeners = new Set<Listener>();

function set(next: Partial<OfflineStatus>): void {
  const merged = { ...current, ...next };
  if (
    merged.state === current.state &&
    merged.build === current.build &&
    merged.detail === current.detail
  )
    return;
  current = merged;
  for (const listener of [...listeners]) listener();
}

/** The page carries this mark when the service worker served it from the kept copy. */
function servedOffline(): string | null {
  return (
    document.querySelector('meta[name="kallsyms-lab-offline"]')?.getAttribute('content') ?? null
  );
}

function start(): void {
  const offlineBuild = servedOffline();
  if (offlineBuild !== null) {
    set({ state: 'offline', build: offlineBuild, detail: null });
  }
  // Not on the dev server (whose modules hot-reload and which has no sw.js),
  // nor where the browser has no service workers: nothing to say then.
  if (import.meta.hot || !('serviceWorker' in navigator)) {
    if (offlineBuild === null) set({ state: 'unavailable', build: null, detail: null });
    return;
  }
  const container = navigator.serviceWorker;
  const hadController = container.controller !== null;
  if (offlineBuild === null) set({ state: hadController ? 'ready' : 'saving', build: null });
  container.addEventListener('message', (event: MessageEvent) => {
    const data = event.data as { type?: unknown; build?: unknown } | null;
    if (data?.type === 'build' && typeof data.build === 'string') set({ build: data.build });
  });
  const askBuild = () => container.controller?.postMessage({ type: 'build?' });
  container.addEventListener('controllerchange', () => {
    // A worker took over: this build's files are kept now (or a newer build's).
    if (current.state !== 'offline') set({ state: hadController ? 'updated' : 'ready' });
    askBuild();
  });
  askBuild();
  const register = () =>
    container
      .register(`${import.meta.env.BASE_URL}sw.js`, {
        scope: import.meta.env.BASE_URL,
        updateViaCache: 'none',
      })
      .catch((error: unknown) => {
        if (current.state === 'offline') return; // the kept copy still runs
        set({
          state: 'unavailable',
          detail: error instanceof Error ? error.message : String(error),
        });
      });
  // Not during the start: the toolchain's compile needs the machine then.
  if (document.readyState === 'complete') setTimeout(register, 1000);
  else window.addEventListener('load', () => setTimeout(register, 1000), { once: true });
}

export function subscribeOfflineStatus(listener: Listener): () => void {
  listeners.add(listener);
  if (!started) {
    started = true;
    start();
  }
  return () => listeners.delete(listener);
}

/** The same object until the status changes (React's useSyncExternalStore relies on it). */
export function offlineStatus(): OfflineStatus {
  return current;
}
