/**
 * A worker for supervisor tests: the API runs in-process behind a real
 * MessageChannel and real comlink, so what the supervisor receives has been
 * through structured cloning exactly as from a Web Worker.
 */
import { expose } from 'comlink';
import type { ToolchainWorkerApi } from '../api.ts';
import type { WorkerHandle } from '../supervisor.ts';

export class FakeWorker implements WorkerHandle {
  terminated = false;
  private readonly page: MessagePort;
  private readonly inside: MessagePort;
  /** 'error' and 'messageerror' are the Worker object's own events, not its port's. */
  private readonly events = new EventTarget();

  constructor(api: ToolchainWorkerApi) {
    const { port1, port2 } = new MessageChannel();
    this.inside = port1;
    this.page = port2;
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
