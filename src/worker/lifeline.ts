/**
 * A worker's lifeline: how the page learns that a worker has ended when
 * nothing tells it. In Debian's Chromium 156 a worker that calls
 * `self.close()`, or that is terminated by a handle the supervisor does not
 * own, fires no event on its Worker object ('error' and 'messageerror' stay
 * silent, MessagePort 'close' does not fire): its pending calls just never
 * settle. A Web Lock does tell: the worker takes a lock of its own unique
 * name and never lets it go; the browser releases it when the worker ends,
 * however it ends, and the page, queued for the same lock, is granted it.
 * Measured in Chromium 156 (probes driving a worker by CDP): granted right
 * after `self.close()`, ~40 ms after an idle worker is terminated, ~2 s
 * after a worker stuck in a long synchronous call is (Blink's forced
 * termination delay).
 *
 * Web Locks exist only in secure contexts (https, localhost); elsewhere the
 * supervisor falls back to a heartbeat.
 */

/** What of `navigator.locks` this needs (tests give an in-process one). */
export interface LifelineLocks {
  request(
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown>;
}

/** `navigator.locks` where the context has it (secure contexts), else undefined. */
export function contextLocks(): LifelineLocks | undefined {
  return (globalThis.navigator as { locks?: LifelineLocks } | undefined)?.locks;
}

/** A name no other worker of any tab of this origin holds (locks are shared per origin). */
function uniqueName(): string {
  const id =
    typeof crypto !== 'undefined' && 'randomUUID' in crypto
      ? crypto.randomUUID()
      : `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return `kallsyms-lab worker ${id}`;
}

/**
 * In the worker: takes a lock of a new unique name and holds it for the
 * worker's whole life. Resolves with the name once it is held, or null
 * where there are no Web Locks (or, impossibly, the name was taken).
 */
export function holdLifeline(locks: LifelineLocks | undefined): Promise<string | null> {
  if (!locks) return Promise.resolve(null);
  const name = uniqueName();
  return new Promise<string | null>((resolve) => {
    locks
      .request(name, { ifAvailable: true }, (lock) => {
        if (lock === null) {
          resolve(null);
          return;
        }
        resolve(name);
        return new Promise<never>(() => {}); // held until the worker ends
      })
      .catch(() => resolve(null));
  });
}

/**
 * On the page: resolves when the lock `name` is released, that is when the
 * worker holding it has ended. Rejects (AbortError) when `signal` aborts
 * first: the page ended the worker itself, or stopped caring.
 */
export async function watchLifeline(
  locks: LifelineLocks,
  name: string,
  signal: AbortSignal,
): Promise<void> {
  // The callback returns at once: the page only wanted to know it could take it.
  await locks.request(name, { signal }, () => undefined);
}
