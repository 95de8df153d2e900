/**
 * A worker for supervisor tests: the API runs in-process behind a real
 * MessageChannel and real comlink, so what the supervisor receives has been
 * through structured cloning exactly as from a Web Worker.
 */
import { expose } from 'comlink';
import type { WorkerHandle } from '../supervisor.ts';

export class FakeWorker implements WorkerHandle {
  terminated = false;
  private readonly page: MessagePort;
  private readonly inside: MessagePort;
  /** 'error' and 'messageerror' are the Worker object's own events, not its port's. */
  private readonly events = new EventTarget();
  /** Called when the worker ends, however it ends (a browser then releases its Web Locks). */
  private readonly onEnd: () => void;

  /** `api`: what the worker exposes (the toolchain service, or a scripted stand-in). */
  constructor(api: object, options: { onEnd?: () => void } = {}) {
    const { port1, port2 } = new MessageChannel();
    this.inside = port1;
    this.page = port2;
    this.onEnd = options.onEnd ?? (() => {});
    expose(api, port1);
  }

  postMessage(message: unknown, transfer: Transferable[] = []): void {
    if (!this.terminated) this.page.postMessage(message, transfer);
  }

  addEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    (type === 'message' ? this.page : this.events).addEventListener(type, listener);
  }

  removeEventListener(type: string, listener: EventListenerOrEventListenerObject): void {
    (type === 'message' ? this.page : this.events).removeEventListener(type, listener);
  }

  start(): void {
    this.page.start();
  }

  /** Like Worker.terminate: nothing more arrives; the in-process API may run on, unheard. */
  terminate(): void {
    this.terminated = true;
    this.page.close();
    this.inside.close();
    this.onEnd();
  }

  /**
   * What `self.close()` in a browser worker does (or a browser ending it):
   * the worker is gone and no event says so; only its Web Locks are released.
   */
  close(): void {
    this.inside.close();
    this.onEnd();
  }

  /** A worker that is alive but no longer answers (a thread stuck in a call that never returns). */
  freeze(): void {
    this.inside.close();
  }

  /** What a browser does when the worker's script fails to load (no message) or throws. */
  die(message?: string): void {
    const event = new Event('error', { cancelable: true });
    if (message !== undefined) Object.assign(event, { message });
    this.events.dispatchEvent(event);
  }

  sendUnreadableMessage(): void {
    this.events.dispatchEvent(new Event('messageerror'));
  }
}
