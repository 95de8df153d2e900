/**
 * The one typed API the toolchain worker exposes (through comlink) and the
 * page-side supervisor wraps. Everything that crosses the boundary is
 * checked against a schema on arrival (see messages.ts, where InitProgress
 * and InitInfo are defined zod-first).
 */
import type { CorpusProgress } from '../toolchain/corpus/obtain-corpus.ts';
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';
import type { SweepStepResult, SweepValue } from '../toolchain/sweep/index.ts';
import type { InitInfo, InitProgress } from './messages.ts';

export type { InitInfo, InitProgress } from './messages.ts';

/** WebAssembly modules by the URL they were compiled from. */
export type CompiledModules = Record<string, WebAssembly.Module>;

export interface ToolchainWorkerApi {
  /**
   * Fetches and compiles the toolchain and the corpus manifest; idempotent.
   * `modules` are compiled modules a previous worker of this page made (from
   * `compiledModules`): given them, the worker skips fetching and compiling.
   */
  init(onProgress: (progress: InitProgress) => void, modules?: CompiledModules): Promise<InitInfo>;
  /**
   * The toolchain's compiled modules by URL, for the page to give the next
   * worker; empty where modules are not shared (Node).
   */
  compiledModules(): Promise<CompiledModules> | CompiledModules;
  /**
   * The linker's own version with the package's, e.g. "ld.lld 22.1.0
   * (WebAssembly, from @yowasp/clang 22.0.0-git20542-10)", from `ld.lld --version`
   * (run once). Not part of init: running a tool instantiates the 75 MB
   * module, which a warm start measured 45-110 ms waiting for.
   */
  toolchainVersion(): Promise<string>;
  /**
   * Runs a scenario's whole link loop. `scenario` is validated in the worker
   * (an invalid one rejects with the schema's message). Each pass is
   * streamed to `onPass` as soon as it is measured, and the loop waits for
   * the promise `onPass` returns before its next link (Step mode resolves it
   * when the user asks for the next pass). Resolves with the whole record;
   * the browser worker leaves its `passes` empty, as every one was streamed
   * already (for a kernel-sized corpus they are megabytes), and the
   * supervisor puts the streamed ones back.
   */
  /**
   * Readies the worker for `scenario` while the user reads the page: loads
   * its corpus and runs its loop once, discarding the result, so the first
   * run does not pay for lazy compilation. A run of the same scenario asked
   * meanwhile takes this loop over (gets its passes so far, then the rest,
   * and its record) instead of waiting for it; a run of another scenario
   * stops it at its next pass. Never rejects.
   */
  prepare(scenario: unknown): Promise<void>;
  /**
   * Runs one step of a sweep (its scenario is validated here) and answers
   * only the step's few numbers, not the whole run record.
   */
  sweepStep(step: {
    index: number;
    value: SweepValue;
    scenario: unknown;
  }): Promise<SweepStepResult>;
  run(
    scenario: unknown,
    onPass: (pass: PassRecord) => void | Promise<void>,
    /** How far a generated corpus is made, before the first link (not called for the committed one). */
    onCorpusProgress?: (progress: CorpusProgress) => void,
  ): Promise<RunRecord>;
  /**
   * Stops the run in progress (and any warm-up) at its next pass boundary:
   * it rejects with an AbortError. The message is only read between links
   * (ld.lld runs synchronously), so the page gives it a grace period and
   * terminates the worker when a link outlasts it.
   */
  cancelRun(): void;
  /**
   * The name of the Web Lock the worker holds for as long as it lives (see
   * lifeline.ts), once it holds it; null where there are no Web Locks (an
   * insecure context, Node). Cheap: the page also uses it as a heartbeat.
   */
  lifeline(): Promise<string | null>;
}

/**
 * The toolchain as the page sees it (supervisor.ts):
 * - starting: the worker is being created and has not reported yet;
 * - downloading: it is fetching/compiling the toolchain or reading the corpus manifest;
 * - ready: it can run now;
 * - running: a run is in progress (more may be queued behind it);
 * - failed: the worker died or could not start the toolchain (`detail` says why);
 *   the next call creates a new worker.
 */
export type SupervisorStatus = 'starting' | 'downloading' | 'ready' | 'running' | 'failed';

/** What the page's store needs from the supervisor (tests give it a fake). */
export interface ToolchainSupervisor {
  readonly status: SupervisorStatus;
  /**
   * Called on every change of status; `detail` is the readable reason when
   * `failed`, else undefined. Returns the unsubscribe function.
   */
  subscribe(listener: (status: SupervisorStatus, detail?: string) => void): () => void;
  /** Resolves when the current worker's toolchain is ready; `onProgress` sees its progress. */
  init(onProgress?: (progress: InitProgress) => void): Promise<InitInfo>;
  /** The ready worker's `ld.lld --version` line (see ToolchainWorkerApi.toolchainVersion). */
  toolchainVersion(): Promise<string>;
  /**
   * Queues a run (one at a time, first come first served). Rejects with
   * RunCancelledError when cancelled, WorkerFailedError when the worker dies,
   * WorkerProtocolError when it sends something malformed, and an Error with
   * the worker's message otherwise (e.g. an invalid scenario).
   */
  run(
    scenario: unknown,
    onPass?: (pass: PassRecord) => void | Promise<void>,
    options?: {
      signal?: AbortSignal;
      /** How far the worker has made a generated corpus, checked on arrival (throttled there). */
      onCorpusProgress?: (progress: CorpusProgress) => void;
    },
  ): Promise<RunRecord>;
  /**
   * Lets the current worker ready itself for `scenario` (its corpus, a first
   * link) once it is ready, if nothing else is asked of it; runs asked
   * meanwhile wait for it. Fire and forget: a failure only loses the head start.
   */
  prepare(scenario: unknown): void;
  /** Cancels the running run (at once: its worker is terminated) and every queued one. */
  cancel(): void;
  /**
   * Called when a worker that was ready ended without being asked to (it
   * closed itself, the browser ended it, it crashed, or it stopped
   * answering) and a new one was started in its place; `message` says so in
   * words for the page. Returns the unsubscribe function.
   */
  onWorkerLost(listener: (message: string) => void): () => void;
}
