/**
 * What the diagnose worker does, apart from its globals: turns what the page
 * sends (a File, by handle, or pasted text) into the engine's sources and
 * diagnoses them, reporting progress. No DOM, no worker globals: Node tests
 * drive it in-process.
 */
import {
  blobSource,
  bytesSource,
  diagnose,
  type DiagnoseOptions,
  type DiagnoseProgress,
  type Diagnosis,
  type DiagnoseSource,
} from '../toolchain/diagnose/index.ts';

/** One input as the page sends it: a dropped or picked file, or pasted text. */
export type DiagnoseInputMessage = { name: string; blob: Blob } | { name: string; text: string };

export interface DiagnoseWorkerApi {
  /** Diagnoses one or two inputs; rejects with the engine's one-line message for bad input. */
  diagnose(
    inputs: DiagnoseInputMessage[],
    options: DiagnoseOptions,
    onProgress: (progress: DiagnoseProgress) => void,
  ): Promise<Diagnosis>;
}

/** At most this many progress reports a second reach the page (each is a render there). */
const PROGRESS_INTERVAL_MS = 50;

function sourceOf(input: DiagnoseInputMessage): DiagnoseSource {
  if ('blob' in input) return blobSource(String(input.name), input.blob);
  // Pasted text: its bytes as UTF-8 (a listing is ASCII; names keep their bytes).
  return bytesSource(String(input.name), new TextEncoder().encode(String(input.text)));
}

export function createDiagnoseService(): DiagnoseWorkerApi {
  return {
    async diagnose(inputs, options, onProgress) {
      if (!Array.isArray(inputs)) throw new Error('The page sent no inputs to diagnose.');
      let last = 0;
      const report = (progress: DiagnoseProgress, force = false) => {
        const now = performance.now();
        if (!force && now - last < PROGRESS_INTERVAL_MS) return;
        last = now;
        try {
          const pending = onProgress(progress) as unknown;
          if (pending instanceof Promise) pending.catch(() => {});
        } catch {
          // a page that went away must not stop the diagnosis
        }
      };
      const result = await diagnose(
        inputs.map(sourceOf),
        {
          filterLldStubs: options?.filterLldStubs === true,
          allSymbols: options?.allSymbols === true,
        },
        { onProgress: (p) => report(p, p.fraction >= 1) },
      );
      return result;
    },
  };
}
