/**
 * The page side of "Diagnose your build": a worker per diagnosis
 * (diagnose-worker.ts), its progress and result checked against the
 * diagnosis schema on arrival, ended when the diagnosis ends, fails or is
 * cancelled (Cancel terminates it: a listing being parsed does not stop to
 * read messages).
 */
import { proxy, wrap } from 'comlink';
import {
  diagnoseProgressSchema,
  diagnosisSchema,
  type DiagnoseOptions,
  type DiagnoseProgress,
  type Diagnosis,
} from '../toolchain/diagnose/index.ts';
import type { DiagnoseInputMessage, DiagnoseWorkerApi } from './diagnose-service.ts';
import { WorkerFailedError, messageOf } from './errors.ts';
import { checkFromWorker } from './messages.ts';
import type { WorkerHandle } from './supervisor.ts';

/** The real module worker; Vite bundles it from this exact `new Worker(new URL(...))` form. */
export function createDiagnoseWorker(): Worker {
  return new Worker(new URL('./diagnose-worker.ts', import.meta.url), {
    type: 'module',
    name: 'kallsyms-lab diagnose',
  });
}

export interface DiagnoseClientOptions {
  createWorker?: () => WorkerHandle;
}

export function createDiagnoser(options: DiagnoseClientOptions = {}) {
  return {
    async diagnose(
      inputs: DiagnoseInputMessage[],
      diagnoseOptions: DiagnoseOptions,
      hooks: { onProgress(progress: DiagnoseProgress): void; signal: AbortSignal },
    ): Promise<Diagnosis> {
      const { signal } = hooks;
      if (signal.aborted) throw new DOMException('The diagnosis was cancelled', 'AbortError');
      const handle = (options.createWorker ?? createDiagnoseWorker)();
      let fail!: (error: Error) => void;
      const ended = new Promise<never>((_, reject) => (fail = reject));
      ended.catch(() => {});
      const onAbort = () => fail(new DOMException('The diagnosis was cancelled', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      handle.addEventListener('error', (event) => {
        event.preventDefault?.();
        const message = (event as ErrorEvent).message?.replace(/^Uncaught\s+/, '');
        fail(
          new WorkerFailedError(
            `The diagnose worker stopped${message ? `: ${message}` : ' (it may have run out of memory)'}.`,
          ),
        );
      });
      const remote = wrap<DiagnoseWorkerApi>(handle);
      const onProgress = proxy((raw: unknown) => {
        // A malformed report is dropped; the result's own check says what is wrong.
        const parsed = diagnoseProgressSchema.safeParse(raw);
        if (parsed.success && !signal.aborted) hooks.onProgress(parsed.data);
      });
      try {
        const raw = await Promise.race([
          remote.diagnose(inputs, diagnoseOptions, onProgress),
          ended,
        ]);
        return checkFromWorker(diagnosisSchema, raw, 'a diagnosis');
      } catch (error) {
        if (
          error instanceof Error &&
          (error.name === 'AbortError' ||
            error.name === 'WorkerFailedError' ||
            error.name === 'WorkerProtocolError')
        )
          throw error;
        // The engine's one-line message for bad input, as it wrote it.
        throw new Error(messageOf(error), { cause: error });
      } finally {
        signal.removeEventListener('abort', onAbort);
        handle.terminate();
      }
    },
  };
}
