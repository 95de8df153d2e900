/**
 * The page side of the toolchain worker: creates it, keeps one run at a time
 * going through it, checks everything it sends, and replaces it when it dies
 * or when a run is cancelled. The page's store uses this; components never do.
 *
 * Queue: runs are served first come, first served, one at a time; a run
 * requested while another is running waits for it. To replace a run instead,
 * call `cancel()` first (Stop then Run), or abort the first run's `signal`.
 *
 * Cancel: the run is rejected with RunCancelledError at once (so is every
 * queued run), and the worker is told to stop at its next pass boundary.
 * ld.lld cannot be interrupted and the worker reads the message only between
 * links, so it gets STOP_GRACE_MS: a worker back by then is kept, warm, and
 * the next run starts on it; one still linking is terminated and replaced by
 * a new worker, which is given the compiled modules of the last one (see
 * toolchain-assets.ts), so it starts without compiling ld.lld. A run that is
 * only waiting (queued, or for the toolchain to get ready) is dropped without
 * touching the worker.
 *
 * Measured in Debian's Chromium on 2 cores on a loaded machine (load average
 * ~7, scratch/stop-probe.ts, before the grace period existed): control
 * returned 14-46 ms after Stop; a replacement worker given the compiled
 * modules was ready 320-620 ms after Stop (1.8-4.0 s when it compiled).
 *
 * Death: a worker can end without a word (`self.close()`, a browser ending
 * it): no event fires, its calls never settle. Each worker holds a
 * lifeline (a Web Lock, lifeline.ts) that the page waits on; where there
 * are no Web Locks, a heartbeat asks it whether it is alive. A worker that
 * was ready and ended (so, or by an error event) is replaced at once, like
 * Stop's, with the compiled modules of the last one; its pending runs are
 * rejected with words that say what happened, and `onWorkerLost` tells the
 * page.
 */
import { proxy, wrap, type Endpoint, type Remote } from 'comlink';
import type { CorpusProgress } from '../toolchain/corpus/obtain-corpus.ts';
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';
import type {
  CompiledModules,
  InitInfo,
  InitProgress,
  SupervisorStatus,
  ToolchainSupervisor,
  ToolchainWorkerApi,
} from './api.ts';
import { RunCancelledError, WorkerFailedError, WorkerProtocolError, messageOf } from './errors.ts';
import { createToolchainWorker } from './create-worker.ts';
import { contextLocks, watchLifeline, type LifelineLocks } from './lifeline.ts';
import {
  checkCompiledModules,
  checkCorpusProgress,
  checkInitInfo,
  checkToolchainVersion,
  checkInitProgress,
  checkLifeline,
  checkPassRecord,
  checkRunRecord,
} from './messages.ts';

/** A Worker, or anything that behaves like one (tests inject an in-process endpoint). */
export interface WorkerHandle extends Endpoint {
  terminate(): void;
}

export interface SupervisorOptions {
  /** Creates a worker running toolchain-worker.ts; called again after each cancel or death. */
  createWorker?: () => WorkerHandle;
  /** Start the worker and its init now (the page does: the download starts at load). Default true. */
  start?: boolean;
  /** A worker created earlier (the page creates one before anything else): the first one used. */
  firstWorker?: WorkerHandle;
  /**
   * How long a cancelled run's worker may take to stop by itself (at its next
   * pass boundary) before it is terminated. Default STOP_GRACE_MS.
   */
  stopGraceMs?: number;
  /**
   * Where the workers' lifelines are watched: `navigator.locks` by default,
   * where the page has it. Null: none (the heartbeat watches instead).
   */
  locks?: LifelineLocks | null;
  /** Where there is no lifeline: how often the worker is asked, and how long it may stay silent. */
  heartbeat?: { intervalMs: number; silentMs: number };
}

/**
 * The worker stops at the end of the pass in progress: a pass of the
 * kernel-like corpus measured 100-300 ms in Chromium on a loaded machine
 * (at 250 ms of grace most stops still ended in a restart), one of the
 * kernel-sized corpus ~1-1.5 s. A worker that stops in time is kept warm
 * (JIT, lazily compiled wasm, corpus in memory): its next run was ~2x faster
 * than a fresh worker's, which also has to start (0.3-0.6 s) first.
 */
export const STOP_GRACE_MS = 1000;

/**
 * The heartbeat, for pages without Web Locks (an insecure context). A
 * worker answers between links, never during one (ld.lld runs
 * synchronously), so silence must outlast the longest link: a pass of the
 * kernel-sized corpus measured ~1.5 s, and Stop stays at hand meanwhile.
 */
export const HEARTBEAT = { intervalMs: 5_000, silentMs: 60_000 };

/**
 * A worker that keeps dying (say, the browser ends every new one) is replaced
 * at most this many times in a row with no run completed between; after
 * that, on the next call, as a failed start is.
 */
const MAX_RESTARTS_IN_A_ROW = 3;

export interface ToolchainSupervisorHandle extends ToolchainSupervisor {
  /** Readable reason of the last failure while `failed`, else null. */
  readonly detail: string | null;
  /** The current worker's latest init progress. */
  readonly progress: InitProgress | null;
  /** The current worker's init result, once ready. */
  readonly info: InitInfo | null;
  /** Runs waiting behind the current one. */
  readonly queued: number;
  /** The toolchain modules a ready worker compiled (for sweep workers to reuse), once known. */
  readonly compiledModules: CompiledModules | undefined;
  /** Terminates the worker and rejects every pending call; the supervisor is unusable after. */
  dispose(): void;
}

/** One worker's life: from creation to termination. */
interface Generation {
  handle: WorkerHandle;
  remote: Remote<ToolchainWorkerApi>;
  /** Its init; rejects when it fails or the worker dies. */
  ready: Promise<InitInfo>;
  info: InitInfo | null;
  progress: InitProgress | null;
  progressListeners: Set<(progress: InitProgress) => void>;
  /** Rejects (with why) when the worker is gone: every call to it is raced against this. */
  gone: Promise<never>;
  dead: boolean;
  kill(reason: Error): void;
  /** Set while a cancelled run is being stopped in it: runs wait for this before starting. */
  draining: Promise<void> | null;
  /** Aborted when the worker is gone: its lifeline's watch and its heartbeat end. */
  watch: AbortController;
}

interface Job {
  scenario: unknown;
  onPass?: (pass: PassRecord) => void | Promise<void>;
  onCorpusProgress?: (progress: CorpusProgress) => void;
  resolve(record: RunRecord): void;
  reject(error: unknown): void;
  settled: boolean;
  /** Sent to the worker: cancelling it now means terminating the worker. */
  started: boolean;
  generation: Generation | null;
  /** The worker's own answer to the run, settled or not (for a graceful stop to wait for). */
  inWorker: Promise<unknown> | null;
  /** Resolves when the job is settled: a pass the worker waits on (Step) is let go. */
  done: Promise<void>;
  markDone(): void;
  cleanup(): void;
}

/** How a worker ended, as said after "The toolchain worker …" (see `workerEnded`). */
export const CLOSED_WITHOUT_ERROR =
  'stopped without reporting an error (it closed itself, or the browser ended it)';
export const stoppedAnswering = (ms: number) =>
  `stopped answering (no reply for ${Math.round(ms / 1000)} s)`;

function describeWorkerError(event: Event, started: boolean): string {
  const message = (event as ErrorEvent).message?.replace(/^Uncaught\s+/, '') ?? '';
  if (!started) {
    return (
      'The toolchain worker could not be started' +
      (message
        ? `: ${message}`
        : ' (its script failed to load: check the connection, or reload if the site was just updated)') +
      '.'
    );
  }
  return `stopped unexpectedly${message ? `: ${message}` : ' (it may have run out of memory)'}`;
}

export function createToolchainSupervisor(
  options: SupervisorOptions = {},
): ToolchainSupervisorHandle {
  const createWorker = options.createWorker ?? createToolchainWorker;
  let firstWorker = options.firstWorker;
  const statusListeners = new Set<(status: SupervisorStatus, detail?: string) => void>();
  const lostListeners = new Set<(message: string) => void>();
  const locks = options.locks === undefined ? contextLocks() : (options.locks ?? undefined);
  const heartbeat = options.heartbeat ?? HEARTBEAT;
  /** Workers replaced after dying since a run last completed (MAX_RESTARTS_IN_A_ROW). */
  let restartsInARow = 0;
  let generation: Generation | null = null;
  let failure: string | null = null;
  let disposed = false;
  let status: SupervisorStatus = 'starting';
  let queue: Job[] = [];
  let current: Job | null = null;
  /** The compiled toolchain modules of the last worker that got ready: the next one reuses them. */
  let compiledModules: CompiledModules | undefined;

  function computeStatus(): SupervisorStatus {
    if (!generation) return failure !== null ? 'failed' : 'starting';
    if (!generation.info) return generation.progress ? 'downloading' : 'starting';
    return current || queue.length ? 'running' : 'ready';
  }

  function updateStatus(): void {
    const next = computeStatus();
    if (next === status) return;
    status = next;
    const detail = next === 'failed' ? (failure ?? undefined) : undefined;
    for (const listener of [...statusListeners]) {
      try {
        listener(next, detail);
      } catch (error) {
        // One faulty subscriber must not stop the others, nor the supervisor.
        console.error('toolchain status listener failed', error);
      }
    }
  }

  /** The worker died or its toolchain failed to start: everything pending learns why. */
  function fail(gen: Generation, error: Error): void {
    if (gen.dead) return;
    gen.kill(error);
    if (generation === gen) {
      generation = null;
      failure = error.message;
    }
    for (const job of queue) settle(job, error);
    queue = [];
    updateStatus();
  }

  /**
   * A worker ended, or stopped answering, without being asked to (`how`
   * says how, after "The toolchain worker"). One that was ready is replaced
   * at once (with the compiled modules it left) and the page is told; one
   * still starting fails as a start that failed does.
   */
  function workerEnded(gen: Generation, how: string): void {
    if (gen.dead || disposed) return;
    if (gen.info === null) {
      fail(gen, new WorkerFailedError(`The toolchain worker could not be started: it ${how}.`));
      return;
    }
    const restart = restartsInARow < MAX_RESTARTS_IN_A_ROW;
    const message =
      `The toolchain worker ${how}. ` +
      (restart
        ? 'A new one has been started in its place.'
        : 'It will be restarted for the next run.');
    fail(gen, new WorkerFailedError(message));
    if (!restart) return;
    restartsInARow++;
    startGeneration();
    for (const listener of [...lostListeners]) {
      try {
        listener(message);
      } catch (error) {
        console.error('worker-lost listener failed', error);
      }
    }
  }

  /**
   * Watches a worker for an end nothing reports: through its lifeline where
   * there are Web Locks, else (and until the lifeline is known) by asking it
   * every `heartbeat.intervalMs` and giving up after `heartbeat.silentMs` of
   * silence (any message from it counts as an answer).
   */
  function watchWorker(gen: Generation): void {
    const { signal } = gen.watch;
    let heard = performance.now();
    let asking = false;
    const onMessage = () => (heard = performance.now());
    gen.handle.addEventListener('message', onMessage);
    const timer = setInterval(() => {
      const silent = performance.now() - heard;
      if (silent >= heartbeat.silentMs) {
        stopHeartbeat();
        workerEnded(gen, stoppedAnswering(silent));
        return;
      }
      if (asking) return;
      asking = true;
      const answered = () => {
        asking = false;
        heard = performance.now();
      };
      // An answer of any kind (even an error from an older worker) means it is alive.
      Promise.race([gen.remote.lifeline(), gen.gone]).then(answered, () => {
        if (!gen.dead) answered();
      });
    }, heartbeat.intervalMs);
    const stopHeartbeat = () => {
      clearInterval(timer);
      gen.handle.removeEventListener('message', onMessage);
    };
    signal.addEventListener('abort', stopHeartbeat, { once: true });

    if (!locks) return;
    void Promise.race([gen.remote.lifeline(), gen.gone])
      .then(async (raw) => {
        const name = checkLifeline(raw);
        if (name === null || gen.dead) return; // no Web Locks in the worker: the heartbeat stays
        stopHeartbeat();
        await watchLifeline(locks, name, signal);
        workerEnded(gen, CLOSED_WITHOUT_ERROR);
      })
      .catch(() => {
        /* aborted (the page ended it), or a worker without a lifeline: the heartbeat stays */
      });
  }

  function startGeneration(): Generation {
    const handle = firstWorker ?? createWorker();
    firstWorker = undefined;
    const remote = wrap<ToolchainWorkerApi>(handle);
    let rejectGone!: (reason: Error) => void;
    const gone = new Promise<never>((_, reject) => (rejectGone = reject));
    gone.catch(() => {}); // observed through races; never unhandled on its own
    const gen: Generation = {
      handle,
      remote,
      ready: undefined as unknown as Promise<InitInfo>,
      info: null,
      progress: null,
      progressListeners: new Set(),
      gone,
      dead: false,
      draining: null,
      watch: new AbortController(),
      kill(reason) {
        if (gen.dead) return;
        gen.dead = true;
        gen.watch.abort();
        handle.removeEventListener('error', onError);
        handle.removeEventListener('messageerror', onMessageError);
        handle.terminate();
        rejectGone(reason);
      },
    };
    const onError = (event: Event) => {
      event.preventDefault?.(); // reported here, in words; not also as an uncaught error
      if (gen.info === null) fail(gen, new WorkerFailedError(describeWorkerError(event, false)));
      else workerEnded(gen, describeWorkerError(event, true));
    };
    const onMessageError = () =>
      fail(
        gen,
        new WorkerFailedError('The toolchain worker sent a message the page could not read.'),
      );
    handle.addEventListener('error', onError);
    handle.addEventListener('messageerror', onMessageError);
    watchWorker(gen);

    const onProgress = (raw: unknown) => {
      if (gen.dead) return;
      let progress: InitProgress;
      try {
        progress = checkInitProgress(raw);
      } catch (error) {
        fail(gen, error as WorkerProtocolError);
        return;
      }
      gen.progress = progress;
      for (const listener of [...gen.progressListeners]) listener(progress);
      updateStatus();
    };
    gen.ready = (async () => {
      try {
        const raw = await Promise.race([remote.init(proxy(onProgress), compiledModules), gone]);
        gen.info = checkInitInfo(raw);
        if (!compiledModules) void keepCompiledModules(gen);
      } catch (error) {
        // Init failed inside a live worker (e.g. a download failed), the worker
        // died, or it answered nonsense: retire it, so the next call starts clean.
        // Errors from the worker arrive as plain Errors; ours carry their own names.
        const reason =
          error instanceof Error && error.name !== 'Error'
            ? error
            : new WorkerFailedError(messageOf(error), { cause: error });
        fail(gen, reason);
        throw reason;
      }
      updateStatus();
      return gen.info;
    })();
    gen.ready.catch(() => {}); // callers observe it; a page that never asks must not see it as unhandled
    generation = gen;
    failure = null;
    updateStatus();
    return gen;
  }

  /** Asks a ready worker for its compiled modules; without them the next worker compiles again. */
  async function keepCompiledModules(gen: Generation): Promise<void> {
    try {
      const modules = checkCompiledModules(
        await Promise.race([gen.remote.compiledModules(), gen.gone]),
      );
      if (Object.keys(modules).length > 0) compiledModules = modules;
    } catch {
      /* an older worker or a dead one: the next worker compiles, as the first did */
    }
  }

  function ensureGeneration(): Generation {
    if (disposed) throw new Error('The toolchain supervisor has been shut down.');
    return generation && !generation.dead ? generation : startGeneration();
  }

  /**
   * Ends a job: the next one starts and the status is up to date before the
   * caller's promise settles, so a caller awaiting it sees `ready`.
   */
  function settle(job: Job, error: unknown): void;
  function settle(job: Job, error: null, record: RunRecord): void;
  function settle(job: Job, error: unknown, record?: RunRecord): void {
    if (job.settled) return;
    job.settled = true;
    job.markDone();
    job.cleanup();
    if (current === job) {
      current = null;
      pump();
    }
    updateStatus();
    if (error === null) {
      restartsInARow = 0; // a worker that runs to the end is no crash loop
      job.resolve(record!);
    } else job.reject(error);
  }

  async function execute(job: Job): Promise<void> {
    let gen: Generation;
    try {
      // A worker still stopping a cancelled run is either back soon or replaced.
      for (;;) {
        gen = ensureGeneration();
        job.generation = gen;
        await gen.ready;
        if (!gen.draining) break;
        await gen.draining;
        if (job.settled) return;
      }
    } catch (error) {
      settle(job, error);
      return;
    }
    if (job.settled) return; // cancelled while waiting for the toolchain
    let protocolError: WorkerProtocolError | null = null;
    const streamed: PassRecord[] = [];
    const onPass = proxy(async (raw: unknown) => {
      if (job.settled) return; // a late pass of a run already cancelled
      let pass: PassRecord;
      try {
        pass = checkPassRecord(raw);
        streamed.push(pass);
      } catch (error) {
        protocolError = error as WorkerProtocolError;
        throw error; // stops the loop in the worker
      }
      // Step mode holds the worker here; a cancelled job lets it go on (to its abort).
      await Promise.race([job.onPass?.(pass), job.done]);
    });
    // Checked on arrival like every message; progress only informs, so a report that does not
    // match is dropped rather than failing the run (the passes and record are checked as ever).
    const onCorpusProgress = job.onCorpusProgress
      ? proxy((raw: unknown) => {
          if (job.settled) return;
          let progress: CorpusProgress;
          try {
            progress = checkCorpusProgress(raw);
          } catch {
            return;
          }
          job.onCorpusProgress!(progress);
        })
      : undefined;
    job.started = true;
    try {
      const inWorker = gen.remote.run(job.scenario, onPass, onCorpusProgress);
      job.inWorker = inWorker.catch(() => {});
      const raw = await Promise.race([inWorker, gen.gone]);
      const record = checkRunRecord(raw);
      // The browser worker does not send the streamed passes twice (api.ts).
      settle(job, null, record.passes.length ? record : { ...record, passes: streamed });
    } catch (error) {
      settle(job, protocolError ?? error);
    }
  }

  function pump(): void {
    if (disposed || current || queue.length === 0) return;
    const job = queue.shift()!;
    current = job;
    void execute(job).finally(() =>
      settle(job, new Error('The run ended without a result (a bug in the supervisor).')),
    );
  }

  function cancelJob(job: Job, reason: Error): void {
    if (job.settled) return;
    const waiting = queue.indexOf(job);
    if (waiting >= 0) queue.splice(waiting, 1);
    if (job === current && job.started && job.generation && !job.generation.dead) {
      stopInWorker(job.generation, job);
    }
    settle(job, reason);
  }

  /**
   * Asks the worker to stop the run at its next pass boundary, and gives it
   * `stopGraceMs`; a worker still busy then (a long link: ld.lld cannot be
   * interrupted) is terminated and replaced, as a dead one would be.
   */
  function stopInWorker(gen: Generation, job: Job): void {
    const grace = options.stopGraceMs ?? STOP_GRACE_MS;
    gen.remote.cancelRun().catch(() => {});
    gen.draining = (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const stoppedInTime = await Promise.race([
        (job.inWorker ?? Promise.resolve()).then(() => true),
        gen.gone.then(
          () => true,
          () => true,
        ),
        new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), grace))),
      ]);
      clearTimeout(timer);
      if (!stoppedInTime && !gen.dead) {
        gen.kill(new RunCancelledError());
        if (generation === gen) generation = null;
        if (!disposed) startGeneration();
      }
    })().finally(() => {
      gen.draining = null;
      updateStatus();
    });
  }

  const supervisor: ToolchainSupervisorHandle = {
    get status() {
      return status;
    },
    get detail() {
      return status === 'failed' ? failure : null;
    },
    get progress() {
      return generation?.progress ?? null;
    },
    get info() {
      return generation?.info ?? null;
    },
    get queued() {
      return queue.length;
    },
    get compiledModules() {
      return compiledModules;
    },

    subscribe(listener) {
      statusListeners.add(listener);
      return () => statusListeners.delete(listener);
    },

    onWorkerLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },

    init(onProgress) {
      let gen: Generation;
      try {
        gen = ensureGeneration();
      } catch (error) {
        return Promise.reject(error);
      }
      if (!onProgress) return gen.ready;
      gen.progressListeners.add(onProgress);
      if (gen.progress) onProgress(gen.progress);
      return gen.ready.finally(() => gen.progressListeners.delete(onProgress));
    },

    async toolchainVersion() {
      const gen = ensureGeneration();
      await gen.ready;
      return checkToolchainVersion(await Promise.race([gen.remote.toolchainVersion(), gen.gone]));
    },

    run(scenario, onPass, runOptions = {}) {
      if (disposed)
        return Promise.reject(new Error('The toolchain supervisor has been shut down.'));
      const { signal, onCorpusProgress } = runOptions;
      if (signal?.aborted) return Promise.reject(new RunCancelledError());
      return new Promise<RunRecord>((resolve, reject) => {
        const onAbort = () => cancelJob(job, new RunCancelledError());
        const job: Job = {
          scenario,
          onPass,
          onCorpusProgress,
          resolve,
          reject,
          settled: false,
          started: false,
          generation: null,
          inWorker: null,
          done: undefined as unknown as Promise<void>,
          markDone: () => {},
          cleanup: () => signal?.removeEventListener('abort', onAbort),
        };
        job.done = new Promise<void>((resolve) => (job.markDone = resolve));
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(job);
        pump();
        updateStatus();
      });
    },

    prepare(scenario) {
      const gen = generation;
      if (!gen || gen.dead) return;
      void gen.ready
        .then(() => {
          if (gen.dead || current || queue.length) return; // a run warms the worker itself
          return Promise.race([gen.remote.prepare(scenario), gen.gone]);
        })
        .catch(() => {});
    },

    cancel() {
      const reason = new RunCancelledError();
      for (const job of [...queue]) cancelJob(job, reason);
      if (current) cancelJob(current, reason);
    },

    dispose() {
      if (disposed) return;
      disposed = true;
      const reason = new RunCancelledError('The toolchain supervisor was shut down.');
      for (const job of [...queue]) cancelJob(job, reason);
      if (current) settle(current, reason);
      generation?.kill(reason);
      generation = null;
      statusListeners.clear();
      lostListeners.clear();
    },
  };

  if (options.start ?? true) startGeneration();
  return supervisor;
}
