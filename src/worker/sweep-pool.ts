/**
 * The page side of a sweep: a pool of toolchain workers, apart from the
 * page's main one, that run a sweep's steps at once and are terminated when
 * it ends. Each pool worker is given the main worker's compiled modules, so
 * it starts without compiling ld.lld again. Every result is checked with the
 * sweep schema on arrival.
 */
import { proxy, wrap, type Remote } from 'comlink';
import {
  sweepPoolSize,
  sweepRecord,
  sweepStepResultSchema,
  type SweepPlan,
  type SweepRecord,
  type SweepStepResult,
} from '../toolchain/sweep/index.ts';
import type { CompiledModules, ToolchainWorkerApi } from './api.ts';
import { RunCancelledError, WorkerFailedError, WorkerProtocolError, messageOf } from './errors.ts';
import { contextLocks, watchLifeline, type LifelineLocks } from './lifeline.ts';
import { checkFromWorker, checkInitInfo, checkLifeline } from './messages.ts';
import { createToolchainWorker } from './create-worker.ts';
import type { WorkerHandle } from './supervisor.ts';

export interface SweepPoolOptions {
  /** Workers to run at once (see `pageSweepPoolSize`). */
  size: number;
  /** The main worker's compiled modules: pool workers then skip compiling. */
  modules?: CompiledModules;
  createWorker?: () => WorkerHandle;
  /** Each result as it arrives (not in step order: workers finish when they finish). */
  onStep?: (result: SweepStepResult) => void;
  signal?: AbortSignal;
  /** Where the workers' lifelines are watched (lifeline.ts): `navigator.locks` by default. */
  locks?: LifelineLocks | null;
}

/**
 * Measured per worker in Chromium (renderer RSS, 2026-11-26): the kernel-like
 * corpus's loop peaks at a few hundred MB (ld.lld's heap is the bulk); a
 * kernel-sized generated corpus at over 1 GB. A conservative GiB either way.
 */
const BYTES_PER_WORKER = 2 ** 30;

/**
 * One worker per core, bounded by memory: `navigator.deviceMemory` (Chromium
 * only, and capped at 8) in GiB, half of it for the pool; 4 GiB where unknown.
 */
export function pageSweepPoolSize(steps: number, nav: Partial<Navigator> = navigator): number {
  const deviceGiB = (nav as { deviceMemory?: number }).deviceMemory ?? 4;
  return sweepPoolSize({
    cores: nav.hardwareConcurrency ?? 2,
    availableBytes: (deviceGiB / 2) * 2 ** 30,
    bytesPerWorker: BYTES_PER_WORKER,
    steps,
  });
}

interface PoolWorker {
  handle: WorkerHandle;
  remote: Remote<ToolchainWorkerApi>;
  /** Rejects when the worker dies. */
  gone: Promise<never>;
  /** Ends the watch of its lifeline: the pool is about to terminate it. */
  unwatch: AbortController;
}

function startWorker(create: () => WorkerHandle, locks: LifelineLocks | undefined): PoolWorker {
  const handle = create();
  let fail!: (error: Error) => void;
  const gone = new Promise<never>((_, reject) => (fail = reject));
  gone.catch(() => {});
  const unwatch = new AbortController();
  const remote = wrap<ToolchainWorkerApi>(handle);
  // A worker that ends without a word (self.close(), the browser) fires no event (lifeline.ts).
  if (locks) {
    void Promise.race([remote.lifeline(), gone])
      .then(async (raw) => {
        const name = checkLifeline(raw);
        if (name === null) return;
        await watchLifeline(locks, name, unwatch.signal);
        fail(
          new WorkerFailedError(
            'A sweep worker stopped without reporting an error (it closed itself, or the browser ended it).',
          ),
        );
      })
      .catch(() => {});
  }
  handle.addEventListener('error', (event) => {
    event.preventDefault?.();
    const message = (event as ErrorEvent).message?.replace(/^Uncaught\s+/, '');
    fail(
      new WorkerFailedError(
        `A sweep worker stopped${message ? `: ${message}` : ' (it may have run out of memory)'}.`,
      ),
    );
  });
  return { handle, remote, gone, unwatch };
}

/** Runs every step of `plan` on a pool of fresh workers; rejects with RunCancelledError on abort. */
export async function runSweepInWorkers(
  plan: SweepPlan,
  options: SweepPoolOptions,
): Promise<SweepRecord> {
  const { signal } = options;
  if (signal?.aborted) throw new RunCancelledError('The sweep was stopped.');
  const started = performance.now();
  const size = Math.max(1, Math.min(options.size, plan.steps.length));
  const locks = options.locks === undefined ? contextLocks() : (options.locks ?? undefined);
  const workers = Array.from({ length: size }, () =>
    startWorker(options.createWorker ?? createToolchainWorker, locks),
  );
  let stop!: (error: Error) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const onAbort = () => stop(new RunCancelledError('The sweep was stopped.'));
  signal?.addEventListener('abort', onAbort, { once: true });

  const results: SweepStepResult[] = new Array(plan.steps.length);
  const starts: NonNullable<SweepRecord['workerStarts']> = [];
  let next = 0;
  async function serve(worker: PoolWorker): Promise<void> {
    const info = checkInitInfo(
      await Promise.race([
        worker.remote.init(
          proxy(() => {}),
          options.modules,
        ),
        worker.gone,
        stopped,
      ]),
    );
    starts.push({ ms: info.ms, source: info.toolchainFrom ?? 'unknown' });
    while (next < plan.steps.length) {
      const step = plan.steps[next++];
      const raw = await Promise.race([
        worker.remote.sweepStep({ index: step.index, value: step.value, scenario: step.scenario }),
        worker.gone,
        stopped,
      ]);
      const checked = checkFromWorker(sweepStepResultSchema, raw, 'a sweep step result');
      // The worker is asked for one value; a map's cell also has its row's (the plan's own).
      const result = step.value2 === undefined ? checked : { ...checked, value2: step.value2 };
      results[step.index] = result;
      options.onStep?.(result);
    }
  }

  try {
    await Promise.all(workers.map(serve));
  } catch (error) {
    if (
      error instanceof RunCancelledError ||
      error instanceof WorkerFailedError ||
      error instanceof WorkerProtocolError
    )
      throw error;
    throw new Error(`The sweep stopped: ${messageOf(error)}`, { cause: error });
  } finally {
    signal?.removeEventListener('abort', onAbort);
    // A sweep's workers hold a GiB each at most: gone as soon as it ends.
    for (const worker of workers) {
      worker.unwatch.abort();
      worker.handle.terminate();
    }
  }
  return sweepRecord(plan, results, {
    toolchain: 'wasm',
    jobs: size,
    totalMs: performance.now() - started,
    workerStarts: starts,
  });
}

/**
 * Workers for scenarios run in the background (a verdict's alternatives):
 * one fewer than the cores, at least one, and no more than the memory
 * allows, so that the page and its main worker keep a core.
 */
export function backgroundPoolSize(scenarios: number, nav: Partial<Navigator> = navigator): number {
  const cores = nav.hardwareConcurrency ?? 2;
  return Math.max(1, Math.min(pageSweepPoolSize(scenarios, nav), cores - 1));
}

export interface ScenariosInWorkersOptions extends Omit<SweepPoolOptions, 'onStep'> {
  /** A scenario's outcome, as it arrives. */
  onResult?: (index: number, result: SweepStepResult) => void;
  /** A scenario the worker refused or could not run (its message); the others go on. */
  onError?: (index: number, message: string) => void;
}

/**
 * Runs each scenario once on a pool of fresh workers (as a sweep runs its
 * steps, with the same checks on what comes back), for their outcomes only.
 * A scenario the worker rejects is reported and the rest go on; a worker
 * that dies, or `signal`, ends them all (RunCancelledError on abort).
 */
export async function runScenariosInWorkers(
  scenarios: readonly unknown[],
  options: ScenariosInWorkersOptions,
): Promise<void> {
  const { signal } = options;
  if (signal?.aborted) throw new RunCancelledError('The runs were stopped.');
  if (scenarios.length === 0) return;
  const size = Math.max(1, Math.min(options.size, scenarios.length));
  const locks = options.locks === undefined ? contextLocks() : (options.locks ?? undefined);
  const workers = Array.from({ length: size }, () =>
    startWorker(options.createWorker ?? createToolchainWorker, locks),
  );
  let stop!: (error: Error) => void;
  const stopped = new Promise<never>((_, reject) => (stop = reject));
  stopped.catch(() => {});
  const onAbort = () => stop(new RunCancelledError('The runs were stopped.'));
  signal?.addEventListener('abort', onAbort, { once: true });

  let next = 0;
  async function serve(worker: PoolWorker): Promise<void> {
    checkInitInfo(
      await Promise.race([
        worker.remote.init(
          proxy(() => {}),
          options.modules,
        ),
        worker.gone,
        stopped,
      ]),
    );
    while (next < scenarios.length) {
      const index = next++;
      let raw: unknown;
      try {
        raw = await Promise.race([
          worker.remote.sweepStep({ index, value: index, scenario: scenarios[index] }),
          worker.gone,
          stopped,
        ]);
      } catch (error) {
        // The worker's own refusal (a scenario over the page's ceiling): this one only.
        if (error instanceof RunCancelledError || error instanceof WorkerFailedError) throw error;
        options.onError?.(index, messageOf(error));
        continue;
      }
      options.onResult?.(index, checkFromWorker(sweepStepResultSchema, raw, 'a run outcome'));
    }
  }

  try {
    await Promise.all(workers.map(serve));
  } finally {
    signal?.removeEventListener('abort', onAbort);
    for (const worker of workers) {
      worker.unwatch.abort();
      worker.handle.terminate();
    }
  }
}
