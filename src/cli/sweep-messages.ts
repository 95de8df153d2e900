/** What the sweep command and its workers say to each other (structured-cloned, same process). */
import type { SweepStep } from '../toolchain/sweep/request.ts';
import type { SweepStepResult } from '../toolchain/sweep/result.ts';

export interface SweepWorkerData {
  toolchain: 'wasm' | 'native';
  /** The --max-image ceiling, in bytes. */
  maxImageBytes: number;
  /** native: the sweep's own temporary directory, removed by the sweep even if a worker is terminated. */
  tempDir?: string;
}

/** A step to run, or the end: the worker removes what its toolchain made and exits. */
export type SweepToWorker = { step: SweepStep } | { close: true };

export type SweepToMain =
  | { kind: 'done'; result: SweepStepResult }
  /** The step threw (not a failing verdict: those are results). */
  | { kind: 'failed'; index: number; name: string; message: string; stack?: string };
