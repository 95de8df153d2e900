/**
 * Web Locks for Node tests (Node 20 has no `navigator.locks`): exclusive
 * locks by name, granted first come first served, with `ifAvailable` and
 * `signal` as the browser has them. Each context (a page, a worker) holds
 * its own locks, and `end()` releases them as the browser does when a
 * worker ends.
 */
import type { LifelineLocks } from '../lifeline.ts';

interface Waiter {
  context: object;
  grant(): void;
}

export class InProcessLocks {
  private readonly held = new Map<string, object>();
  private readonly waiting = new Map<string, Waiter[]>();

  /** A browsing context or worker: its own view of the lock manager. */
  context(): LifelineLocks & { end(): void } {
    const context = {};
    return {
      request: (name, options, callback) => this.request(context, name, options, callback),
      end: () => {
        for (const [name, owner] of [...this.held]) if (owner === context) this.release(name);
      },
    };
  }

  private request(
    context: object,
    name: string,
    options: { signal?: AbortSignal; ifAvailable?: boolean },
    callback: (lock: unknown) => unknown,
  ): Promise<unknown> {
    const { signal, ifAvailable } = options;
    if (signal?.aborted) return Promise.reject(new DOMException('Aborted', 'AbortError'));
    if (this.held.has(name) && ifAvailable) return Promise.resolve(callback(null));
    return new Promise((resolve, reject) => {
      const run = () => {
        this.held.set(name, context);
        Promise.resolve()
          .then(() => callback({ name, mode: 'exclusive' }))
          .then(
            (value) => {
              if (this.held.get(name) === context) this.release(name);
              resolve(value);
            },
            (error: unknown) => {
              if (this.held.get(name) === context) this.release(name);
              reject(error);
            },
          );
      };
      if (!this.held.has(name)) {
        run();
        return;
      }
      const waiter: Waiter = { context, grant: run };
      const queue = this.waiting.get(name) ?? [];
      queue.push(waiter);
      this.waiting.set(name, queue);
      signal?.addEventListener(
        'abort',
        () => {
          const list = this.waiting.get(name) ?? [];
          const at = list.indexOf(waiter);
          if (at < 0) return; // already granted: too late to abort
          list.splice(at, 1);
          reject(new DOMException('Aborted', 'AbortError'));
        },
        { once: true },
      );
    });
  }

  private release(name: string): void {
    this.held.delete(name);
    const next = this.waiting.get(name)?.shift();
    next?.grant();
  }
}
