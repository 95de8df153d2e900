/**
 * The one typed API the toolchain worker exposes (through comlink) and the
 * page-side supervisor wraps. Everything that crosses the boundary is
 * checked against a schema on arrival (see messages.ts).
 */
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';

/** Download/compile progress of the toolchain, as fetchProgress reports it. */
export interface InitProgress {
  phase: 'download' | 'compile' | 'corpus' | 'ready';
  /** Bytes fetched so far and in all (the wasm modules and resources tar together). */
  doneBytes: number;
  totalBytes: number;
  /** What is being fetched now, for the progress label. */
  label: string;
}

export interface InitInfo {
  /** e.g. "LLD 22.1.0 (WebAssembly, @yowasp/clang 22.0.0-git20542-10)" */
  toolchainVersion: string;
  /** Time from the start of init to ready, in ms. */
  ms: number;
}

export interface ToolchainWorkerApi {
  /** Fetches and compiles the toolchain and the corpus manifest; idempotent. */
  init(onProgress: (progress: InitProgress) => void): Promise<InitInfo>;
  /**
   * Runs a scenario's whole link loop. `scenario` is validated in the worker
   * (an invalid one rejects with the schema's message). Each pass is
   * streamed to `onPass` as soon as it is measured, and the loop waits for
   * the promise `onPass` returns before its next link (Step mode resolves it
   * when the user asks for the next pass). Resolves with the whole record.
   */
  run(scenario: unknown, onPass: (pass: PassRecord) => void | Promise<void>): Promise<RunRecord>;
}

/** What the page knows about its toolchain worker. */
export type SupervisorStatus = 'starting' | 'downloading' | 'ready' | 'running' | 'failed';

/**
 * The page-side owner of the worker (src/worker/supervisor.ts implements it
 * as `createToolchainSupervisor()`); only the store talks to it.
 */
export interface ToolchainSupervisor {
  readonly status: SupervisorStatus;
  /** Status changes, with a readable detail for `failed`; returns an unsubscribe function. */
  subscribe(listener: (status: SupervisorStatus, detail?: string) => void): () => void;
  init(onProgress: (progress: InitProgress) => void): Promise<InitInfo>;
  run(scenario: unknown, onPass: (pass: PassRecord) => void | Promise<void>): Promise<RunRecord>;
  /** Stops the current run at once (terminates the worker), rejects pending calls, re-creates it. */
  cancel(): void;
}
