/**
 * The supervisor against in-process workers (real comlink over a
 * MessageChannel), each scripted by the test: queueing, cancellation,
 * death and recovery (an error event, a worker that ends without a word,
 * one that stops answering), and schema checks of what the worker sends.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';
import type { InitInfo, InitProgress, SupervisorStatus, ToolchainWorkerApi } from './api.ts';
import { RunCancelledError, WorkerFailedError, WorkerProtocolError } from './errors.ts';
import { holdLifeline, type LifelineLocks } from './lifeline.ts';
import { createToolchainSupervisor, type ToolchainSupervisorHandle } from './supervisor.ts';
import { FakeWorker } from './testing/fake-worker.ts';
import { InProcessLocks } from './testing/locks.ts';
import { passRecord, runRecord } from './testing/records.ts';

const INFO: InitInfo = { toolchainVersion: 'LLD 22.1.0 (WebAssembly, test)', ms: 5 };

/** The smallest valid module ("\0asm", version 1): a real WebAssembly.Module to pass around. */
const EMPTY_MODULE = new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]));

interface PendingRun {
  scenario: unknown;
  /** The supervisor's onPass, as the worker holds it (a comlink proxy). */
  onPass: (pass: unknown) => Promise<void>;
  /** Its corpus progress listener, when the page gave one (a comlink proxy). */
  onCorpusProgress?: (progress: unknown) => Promise<void>;
  resolve(record: unknown): void;
  reject(error: unknown): void;
}

/** The worker's API, with each call held until the test decides its outcome. */
class ScriptedToolchain implements ToolchainWorkerApi {
  /** The worker's own view of the Web Locks (none: an insecure context). */
  constructor(private readonly locks?: LifelineLocks) {}

  private held: Promise<string | null> | null = null;
  lifelineCalls = 0;
  /** As the real worker: takes its lock once, and answers its name every time. */
  lifeline(): Promise<string | null> {
    this.lifelineCalls++;
    return (this.held ??= holdLifeline(this.locks));
  }

  runs: PendingRun[] = [];
  /** The compiled modules each init call was given. */
  givenModules: unknown[] = [];
  /** What compiledModules() answers. */
  modules: unknown = { 'http://site/assets/llvm.core.wasm': EMPTY_MODULE };
  /** Replace to script init (e.g. a failure, or a report the schema rejects). */
  initScript = async (onProgress: (p: unknown) => unknown): Promise<unknown> => {
    await onProgress({ phase: 'download', doneBytes: 50, totalBytes: 100, label: 'Downloading' });
    await onProgress({ phase: 'ready', doneBytes: 100, totalBytes: 100, label: 'Ready' });
    return INFO;
  };

  prepared: unknown[] = [];
  cancelRuns = 0;
  /** Set true to stop like the real worker: the pending run rejects with an AbortError. */
  honoursCancel = false;
  cancelRun(): void {
    this.cancelRuns++;
    if (!this.honoursCancel) return; // a long link: the page must terminate the worker
    for (const run of this.runs)
      run.reject(new DOMException('The run was cancelled.', 'AbortError'));
  }

  sweepStep(): Promise<never> {
    return Promise.reject(new Error('not used by the supervisor'));
  }

  async prepare(scenario: unknown): Promise<void> {
    this.prepared.push(scenario);
  }

  compiledModules(): Record<string, WebAssembly.Module> {
    return this.modules as Record<string, WebAssembly.Module>;
  }

  /** What toolchainVersion() answers (anything, to test the schema check). */
  version: unknown = 'LLD 22.1.0 (WebAssembly, test)';
  async toolchainVersion(): Promise<string> {
    return this.version as string;
  }

  init(onProgress: (progress: InitProgress) => void, modules?: unknown): Promise<InitInfo> {
    this.givenModules.push(modules);
    return this.initScript(onProgress as (p: unknown) => unknown) as Promise<InitInfo>;
  }

  run(
    scenario: unknown,
    onPass: (pass: PassRecord) => void | Promise<void>,
    onCorpusProgress?: (progress: never) => void,
  ): Promise<RunRecord> {
    return new Promise((resolve, reject) => {
      this.runs.push({
        scenario,
        onPass: async (pass) => onPass(pass as PassRecord),
        onCorpusProgress: onCorpusProgress && (async (p) => onCorpusProgress(p as never)),
        resolve: resolve as (record: unknown) => void,
        reject,
      });
    });
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 1));

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await tick();
  }
  throw new Error(`timed out waiting for ${what}`);
}

let supervisor: ToolchainSupervisorHandle | null = null;
afterEach(() => supervisor?.dispose());

function setUp(
  script?: (api: ScriptedToolchain, index: number) => void,
  stopGraceMs = 20,
  watch: { webLocks?: boolean; heartbeat?: { intervalMs: number; silentMs: number } } = {},
) {
  const apis: ScriptedToolchain[] = [];
  const workers: FakeWorker[] = [];
  const statuses: Array<[SupervisorStatus, string | undefined]> = [];
  const lost: string[] = [];
  // One lock manager, as an origin has: a view for the page, one per worker.
  const locks = watch.webLocks === false ? null : new InProcessLocks();
  supervisor = createToolchainSupervisor({
    stopGraceMs,
    locks: locks?.context() ?? null,
    heartbeat: watch.heartbeat,
    createWorker() {
      const context = locks?.context();
      const api = new ScriptedToolchain(context);
      script?.(api, apis.length);
      apis.push(api);
      const worker = new FakeWorker(api, { onEnd: () => context?.end() });
      workers.push(worker);
      return worker;
    },
  });
  supervisor.subscribe((status, detail) => statuses.push([status, detail]));
  supervisor.onWorkerLost((message) => lost.push(message));
  const s = supervisor;
  /** The n-th run the worker of index `w` received. */
  const runOf = async (w: number, n: number) => {
    await until(() => apis[w]?.runs.length > n, `run ${n} in worker ${w}`);
    return apis[w].runs[n];
  };
  return { supervisor: s, apis, workers, statuses, lost, runOf };
}

/** A run as the page's store makes it, recording what reached its onPass. */
function startRun(s: ToolchainSupervisorHandle, scenario: unknown = 'scenario') {
  const passes: number[] = [];
  const outcome: { record?: RunRecord; error?: unknown } = {};
  const promise = s.run(scenario, (pass) => void passes.push(pass.pass));
  promise.then(
    (record) => (outcome.record = record),
    (error: unknown) => (outcome.error = error),
  );
  return { promise, passes, outcome };
}

describe('the toolchain supervisor', () => {
  it('starts its worker at once, forwards checked init progress, and becomes ready', async () => {
    const { supervisor, workers, statuses } = setUp();
    expect(workers).toHaveLength(1);
    expect(supervisor.status).toBe('starting');
    const progress: InitProgress[] = [];
    const info = await supervisor.init((p) => progress.push(p));
    expect(info).toEqual(INFO);
    expect(progress.map((p) => p.phase)).toContain('ready');
    expect(statuses.map(([s]) => s)).toEqual(['downloading', 'ready']);
    expect(supervisor.info).toEqual(INFO);
    // Idempotent, and no second worker.
    expect(await supervisor.init()).toEqual(INFO);
    expect(workers).toHaveLength(1);
  });

  it('puts the streamed passes back into a record the worker sent without them', async () => {
    const { supervisor, runOf } = setUp();
    const running = supervisor.run('a', () => {});
    const run = await runOf(0, 0);
    await run.onPass(passRecord(1));
    await run.onPass(passRecord(2, 'vmlinux'));
    const full = runRecord([passRecord(1), passRecord(2, 'vmlinux')]);
    run.resolve({ ...full, passes: [] });
    expect(await running).toEqual(full);
  });

  it('streams each checked pass to onPass, awaiting it, and resolves with the record', async () => {
    const { supervisor, runOf } = setUp();
    let release: () => void = () => {};
    const seen: number[] = [];
    const running = supervisor.run({ arch: 'ppc64le' }, (pass) => {
      seen.push(pass.pass);
      return new Promise<void>((resolve) => (release = resolve));
    });
    const run = await runOf(0, 0);
    expect(run.scenario).toEqual({ arch: 'ppc64le' });
    expect(supervisor.status).toBe('running');
    let delivered = false;
    const first = run.onPass(passRecord(1)).then(() => (delivered = true));
    await until(() => seen.length === 1, 'the first pass');
    await tick();
    expect(delivered).toBe(false); // the worker waits while the page holds the step
    release();
    await first;
    const record = runRecord([passRecord(1), passRecord(2, 'vmlinux')]);
    run.resolve(record);
    expect(await running).toEqual(record);
    expect(supervisor.status).toBe('ready');
  });

  it('forwards checked corpus progress to the run that asked, and drops a report that does not match', async () => {
    const { supervisor, runOf } = setUp();
    const heard: unknown[] = [];
    const running = supervisor.run('generated', () => {}, {
      onCorpusProgress: (p) => heard.push(p),
    });
    const run = await runOf(0, 0);
    await run.onCorpusProgress!({ stage: 'write', done: 20, total: 400 });
    await run.onCorpusProgress!({ stage: 'write', done: 'lots', total: 400 });
    await run.onCorpusProgress!({ stage: 'checksum', done: 400, total: 400 });
    const record = runRecord([passRecord(1), passRecord(2, 'vmlinux')]);
    run.resolve(record);
    expect(await running).toEqual(record);
    expect(heard).toEqual([
      { stage: 'write', done: 20, total: 400 },
      { stage: 'checksum', done: 400, total: 400 },
    ]);
    // A run that asks for none gives the worker none.
    const plain = supervisor.run('b', () => {});
    expect((await runOf(0, 1)).onCorpusProgress).toBeUndefined();
    (await runOf(0, 1)).resolve(record);
    await plain;
  });

  it('runs one scenario at a time, in the order asked', async () => {
    const { supervisor, apis, runOf } = setUp();
    const a = startRun(supervisor, 'a');
    const b = startRun(supervisor, 'b');
    const runA = await runOf(0, 0);
    await tick();
    expect(apis[0].runs).toHaveLength(1);
    expect(supervisor.queued).toBe(1);
    runA.resolve(runRecord([passRecord(1)]));
    await a.promise;
    const runB = await runOf(0, 1);
    expect(runB.scenario).toBe('b');
    runB.resolve(runRecord([passRecord(1)]));
    await b.promise;
    expect(supervisor.status).toBe('ready');
  });

  it('cancels at once; a worker still linking after the grace period is terminated and re-created ready', async () => {
    const { supervisor, workers, runOf, statuses, apis } = setUp();
    const a = startRun(supervisor, 'a');
    const b = startRun(supervisor, 'b');
    const runA = await runOf(0, 0);
    await runA.onPass(passRecord(1));
    expect(a.passes).toEqual([1]);

    const before = statuses.length;
    supervisor.cancel();
    await tick();
    // The callers know at once; the worker was asked to stop, and did not.
    expect(a.outcome.error).toBeInstanceOf(RunCancelledError);
    expect(b.outcome.error).toBeInstanceOf(RunCancelledError);
    // The request to stop crosses the (message) channel: it arrives, once.
    await until(() => apis[0].cancelRuns > 0, 'the worker asked to stop');
    expect(apis[0].cancelRuns).toBe(1);
    await until(() => workers[0].terminated, 'the worker terminated after the grace period');
    // A new worker is started (and initialised) without waiting for another call.
    expect(workers).toHaveLength(2);
    await supervisor.init();
    // Ready (Run may be pressed) while the old worker gets its grace period, then the new one.
    expect(statuses.slice(before).map(([s]) => s)).toEqual([
      'ready',
      'starting',
      'downloading',
      'ready',
    ]);

    // The old worker's late messages reach nobody.
    await runA.onPass(passRecord(2)).catch(() => {});
    expect(a.passes).toEqual([1]);

    const c = startRun(supervisor, 'c');
    const runC = await runOf(1, 0);
    runC.resolve(runRecord([passRecord(1)]));
    await expect(c.promise).resolves.toMatchObject({ format: 1 });
  });

  it('keeps a worker that stops within the grace period, and runs the next run on it, warm', async () => {
    const { supervisor, workers, runOf, apis } = setUp((api) => (api.honoursCancel = true), 5_000);
    const a = startRun(supervisor, 'a');
    await runOf(0, 0);
    supervisor.cancel();
    const b = startRun(supervisor, 'b'); // Stop, then Run at once
    await tick();
    expect(a.outcome.error).toBeInstanceOf(RunCancelledError);
    const runB = await runOf(0, 1);
    expect(runB.scenario).toBe('b');
    runB.resolve(runRecord([passRecord(1)]));
    await expect(b.promise).resolves.toMatchObject({ format: 1 });
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
    expect(apis[0].cancelRuns).toBe(1);
  });

  it('lets go of a pass the worker waits on (Step) when its run is cancelled', async () => {
    const { supervisor, runOf } = setUp((api) => (api.honoursCancel = true), 5_000);
    let paused = false;
    const held = supervisor.run('a', () => {
      paused = true;
      return new Promise<void>(() => {}); // the user never presses Step again
    });
    held.catch(() => {});
    const run = await runOf(0, 0);
    const delivered = run.onPass(passRecord(1));
    await until(() => paused, 'the pass delivered');
    supervisor.cancel();
    await expect(delivered).resolves.toBeUndefined();
  });

  it('uses the worker the page created first, then creates the next ones itself', async () => {
    const first = new ScriptedToolchain();
    const firstWorker = new FakeWorker(first);
    const created: ScriptedToolchain[] = [];
    supervisor = createToolchainSupervisor({
      stopGraceMs: 20,
      firstWorker,
      createWorker() {
        const api = new ScriptedToolchain();
        created.push(api);
        return new FakeWorker(api);
      },
    });
    expect(await supervisor.init()).toEqual(INFO);
    expect(first.givenModules).toEqual([undefined]); // its init came to the given worker
    expect(created).toHaveLength(0);
    const a = startRun(supervisor, 'a');
    await until(() => first.runs.length === 1, 'the run in the first worker');
    supervisor.cancel(); // a link that does not stop: the worker is replaced
    await a.promise.catch(() => {});
    await until(() => created.length === 1, 'a worker made by createWorker');
    expect(firstWorker.terminated).toBe(true);
    await supervisor.init();
    expect(created[0].givenModules).toHaveLength(1);
  });

  it('gives a re-created worker the compiled modules of the one before, so it need not compile', async () => {
    const { supervisor, apis } = setUp();
    await supervisor.init();
    // The first worker compiles (it is given nothing), then hands its modules over.
    expect(apis[0].givenModules).toEqual([undefined]);
    const a = startRun(supervisor, 'a');
    await until(() => apis[0].runs.length === 1, 'the run');
    supervisor.cancel();
    await a.promise.catch(() => {});
    await until(() => apis.length === 2, 'the replacement worker');
    await supervisor.init();
    const [given] = apis[1].givenModules as Array<Record<string, unknown>>;
    expect(Object.keys(given)).toEqual(['http://site/assets/llvm.core.wasm']);
    // A structured clone of the same compiled module, not a copy of bytes.
    expect(given['http://site/assets/llvm.core.wasm']).toBeInstanceOf(WebAssembly.Module);
  });

  it('ignores compiled modules that are not modules: the next worker compiles as the first did', async () => {
    const { supervisor, apis } = setUp((api) => (api.modules = { 'x.wasm': 'not a module' }));
    await supervisor.init();
    const a = startRun(supervisor, 'a');
    await until(() => apis[0].runs.length === 1, 'the run');
    supervisor.cancel();
    await a.promise.catch(() => {});
    await until(() => apis.length === 2, 'the replacement worker');
    await supervisor.init();
    expect(apis[1].givenModules).toEqual([undefined]);
  });

  it('drops a run that only waits, without touching the worker', async () => {
    const { supervisor, workers, runOf } = setUp();
    const a = startRun(supervisor, 'a');
    const abort = new AbortController();
    const queued = supervisor.run('b', () => {}, { signal: abort.signal });
    await runOf(0, 0);
    abort.abort();
    await expect(queued).rejects.toBeInstanceOf(RunCancelledError);
    expect(workers[0].terminated).toBe(false);
    expect(supervisor.queued).toBe(0);
    expect(a.outcome).toEqual({});
  });

  it('cancels a run still waiting for the toolchain without restarting the download', async () => {
    let finishInit: () => void = () => {};
    const { supervisor, workers, apis } = setUp((api) => {
      api.initScript = () => new Promise((resolve) => (finishInit = () => resolve(INFO)));
    });
    const a = startRun(supervisor);
    await tick();
    supervisor.cancel();
    await tick();
    expect(a.outcome.error).toBeInstanceOf(RunCancelledError);
    expect(workers).toHaveLength(1);
    expect(workers[0].terminated).toBe(false);
    finishInit();
    await supervisor.init();
    expect(apis[0].runs).toHaveLength(0); // the cancelled run never reached the worker
  });

  it('rejects pending calls with a readable message when the worker dies, and replaces it at once', async () => {
    const { supervisor, workers, runOf, statuses, lost, apis } = setUp();
    const a = startRun(supervisor, 'a');
    const b = startRun(supervisor, 'b');
    await runOf(0, 0);
    const before = statuses.length;
    workers[0].die('Uncaught RangeError: WebAssembly.Memory(): could not allocate memory');
    await tick();
    expect(a.outcome.error).toBeInstanceOf(WorkerFailedError);
    const message =
      'The toolchain worker stopped unexpectedly: RangeError: WebAssembly.Memory(): could not allocate memory. ' +
      'A new one has been started in its place.';
    expect((a.outcome.error as Error).message).toBe(message);
    expect(b.outcome.error).toBe(a.outcome.error);
    expect(workers[0].terminated).toBe(true);
    // Said once (the page keeps it), then a new worker starts with the modules the old one compiled.
    expect(statuses[before]).toEqual(['failed', message]);
    expect(lost).toEqual([message]);
    expect(workers).toHaveLength(2);
    await supervisor.init();
    expect(Object.keys(apis[1].givenModules[0] as object)).toEqual([
      'http://site/assets/llvm.core.wasm',
    ]);
    expect(supervisor.status).toBe('ready');

    const c = startRun(supervisor, 'c');
    const runC = await runOf(1, 0);
    runC.resolve(runRecord([passRecord(1)]));
    await expect(c.promise).resolves.toMatchObject({ format: 1 });
    expect(supervisor.status).toBe('ready');
  });

  describe('notices a worker that ends without a word', () => {
    it('closed during a run (self.close(): no event): the run fails in words, a new worker takes over', async () => {
      const { supervisor, workers, runOf, lost, apis, statuses } = setUp();
      const a = startRun(supervisor, 'a');
      const run = await runOf(0, 0);
      await run.onPass(passRecord(1));
      await run.onPass(passRecord(2));
      expect(a.passes).toEqual([1, 2]);
      workers[0].close();
      await until(() => a.outcome.error !== undefined, 'the run to fail');
      const message =
        'The toolchain worker stopped without reporting an error (it closed itself, or the browser ended it). ' +
        'A new one has been started in its place.';
      expect(a.outcome.error).toBeInstanceOf(WorkerFailedError);
      expect((a.outcome.error as Error).message).toBe(message);
      expect(lost).toEqual([message]);
      expect(statuses.map(([s]) => s)).toContain('failed');
      expect(workers).toHaveLength(2);
      await supervisor.init();
      expect(apis[1].givenModules[0]).toBeTruthy(); // the compiled modules, as after Stop
      expect(supervisor.status).toBe('ready');
      const b = startRun(supervisor, 'b');
      (await runOf(1, 0)).resolve(runRecord([passRecord(1)]));
      await expect(b.promise).resolves.toMatchObject({ format: 1 });
    });

    it('ended while idle (terminated from elsewhere): the next run does not hang, it runs on the new worker', async () => {
      const { supervisor, workers, runOf, lost } = setUp();
      await supervisor.init();
      await until(() => workers[0] !== undefined, 'the worker');
      await tick();
      workers[0].close();
      await until(() => lost.length === 1, 'the loss noticed');
      const a = startRun(supervisor, 'a');
      (await runOf(1, 0)).resolve(runRecord([passRecord(1)]));
      await expect(a.promise).resolves.toMatchObject({ format: 1 });
      expect(workers).toHaveLength(2);
    });

    it('closed while paused in Step: the held pass is let go and the run fails', async () => {
      const { supervisor, workers, runOf } = setUp();
      let paused = false;
      const held = supervisor.run('a', () => {
        paused = true;
        return new Promise<void>(() => {});
      });
      const outcome = held.then(
        () => 'resolved',
        (error: Error) => error.message,
      );
      const run = await runOf(0, 0);
      void run.onPass(passRecord(1));
      await until(() => paused, 'the pass delivered');
      workers[0].close();
      expect(await outcome).toMatch(/^The toolchain worker stopped without reporting an error/);
    });

    it('does not report a worker the supervisor ended itself (Stop after the grace period)', async () => {
      const { supervisor, workers, runOf, lost } = setUp();
      const a = startRun(supervisor, 'a');
      await runOf(0, 0);
      supervisor.cancel();
      await a.promise.catch(() => {});
      await until(() => workers.length === 2, 'the replacement');
      await supervisor.init();
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(lost).toEqual([]);
      expect(workers).toHaveLength(2);
    });

    it('fails the start of a worker that ends before it is ready, and does not start another by itself', async () => {
      const { supervisor, workers, lost } = setUp((api) => {
        api.initScript = () => new Promise(() => {}); // still downloading
      });
      const init = supervisor.init();
      await until(() => workers.length === 1, 'the worker');
      await tick();
      workers[0].close();
      await expect(init).rejects.toThrow(
        'The toolchain worker could not be started: it stopped without reporting an error (it closed itself, or the browser ended it).',
      );
      expect(supervisor.status).toBe('failed');
      expect(lost).toEqual([]);
      expect(workers).toHaveLength(1);
    });

    it('replaces a worker that keeps dying at most three times in a row, then on the next call', async () => {
      const { supervisor, workers, lost, runOf } = setUp();
      for (let n = 0; n < 4; n++) {
        await supervisor.init();
        workers[n].close();
        await until(() => supervisor.status === 'failed' || workers.length > n + 1, 'the loss');
      }
      expect(lost).toHaveLength(3);
      expect(workers).toHaveLength(4);
      expect(supervisor.status).toBe('failed');
      expect(supervisor.detail).toMatch(/It will be restarted for the next run\.$/);
      await supervisor.init();
      expect(workers).toHaveLength(5);
      // A run that completes ends the streak: the next loss is replaced at once again.
      const a = startRun(supervisor, 'a');
      (await runOf(4, 0)).resolve(runRecord([passRecord(1)]));
      await a.promise;
      workers[4].close();
      await until(() => workers.length === 6, 'a replacement after the streak ended');
      expect(lost).toHaveLength(4);
    });

    it('without Web Locks, gives up on a worker that stopped answering after the heartbeat’s silence', async () => {
      const heartbeat = { intervalMs: 5, silentMs: 120 };
      const { supervisor, workers, runOf, lost, apis } = setUp(undefined, 20, {
        webLocks: false,
        heartbeat,
      });
      const a = startRun(supervisor, 'a');
      await runOf(0, 0);
      // Answering: the heartbeat leaves it alone for several times its silence.
      await new Promise((resolve) => setTimeout(resolve, 3 * heartbeat.silentMs));
      expect(apis[0].lifelineCalls).toBeGreaterThan(3);
      expect(lost).toEqual([]);
      expect(await apis[0].lifeline()).toBeNull(); // no lock to hold
      workers[0].freeze();
      await until(() => a.outcome.error !== undefined, 'the silence noticed');
      expect((a.outcome.error as Error).message).toMatch(
        /^The toolchain worker stopped answering \(no reply for 0 s\)\. A new one has been started in its place\.$/,
      );
      expect(lost).toHaveLength(1);
      expect(workers).toHaveLength(2);
    });
  });

  it('says so when the worker script cannot be loaded', async () => {
    const { supervisor, workers } = setUp((api) => {
      api.initScript = () => new Promise(() => {}); // a worker that never loaded never answers
    });
    const init = supervisor.init();
    workers[0].die();
    await expect(init).rejects.toThrow(
      /^The toolchain worker could not be started \(its script failed to load: check the connection/,
    );
    expect(supervisor.status).toBe('failed');
  });

  it('reports a failed init in words, and starts a new worker for the next call', async () => {
    const { supervisor, workers } = setUp((api, index) => {
      if (index === 0)
        api.initScript = () =>
          Promise.reject(new Error('The toolchain could not be started: Failed to fetch'));
    });
    const run = supervisor.run('a', () => {});
    await expect(run).rejects.toThrow('The toolchain could not be started: Failed to fetch');
    await expect(run).rejects.toBeInstanceOf(WorkerFailedError);
    expect(supervisor.status).toBe('failed');
    expect(workers[0].terminated).toBe(true);
    await expect(supervisor.init()).resolves.toEqual(INFO);
    expect(workers).toHaveLength(2);
  });

  it('passes the worker’s own errors on with their name and message', async () => {
    const { supervisor, runOf } = setUp();
    const a = supervisor.run({ layout: { gap: -1 } }, () => {});
    const run = await runOf(0, 0);
    run.reject(
      Object.assign(
        new Error('Invalid scenario:\n  - layout.gap: Too small: expected number to be >=0'),
        {
          name: 'ScenarioError',
        },
      ),
    );
    await expect(a).rejects.toMatchObject({
      name: 'ScenarioError',
      message: expect.stringMatching(/layout\.gap: /),
    });
    expect(supervisor.status).toBe('ready');
  });

  describe('checks what the worker sends', () => {
    it('rejects a malformed pass record, naming the field, and stops the loop in the worker', async () => {
      const { supervisor, runOf } = setUp();
      const a = startRun(supervisor);
      const run = await runOf(0, 0);
      const bad = { ...passRecord(1), stubs: { ...passRecord(1).stubs, total: 'many' } };
      await expect(run.onPass(bad)).rejects.toThrow(/does not match/);
      expect(a.passes).toEqual([]);
      run.reject(new Error('the loop stopped on the error onPass threw'));
      await expect(a.promise).rejects.toBeInstanceOf(WorkerProtocolError);
      expect((a.outcome.error as Error).message).toBe(
        'worker sent a pass record that does not match: stubs.total: expected number, received string',
      );
      // The worker itself is fine: the next run uses it.
      const b = startRun(supervisor);
      (await runOf(0, 1)).resolve(runRecord([passRecord(1)]));
      await expect(b.promise).resolves.toBeTruthy();
    });

    it('rejects a malformed run record with the path into it', async () => {
      const { supervisor, runOf } = setUp();
      const a = startRun(supervisor);
      const record = runRecord([1, 2, 3, 4].map((n) => passRecord(n)));
      (record.passes[3].stubs as unknown as { total: string }).total = '7';
      (await runOf(0, 0)).resolve(record);
      await expect(a.promise).rejects.toThrow(
        'worker sent a run record that does not match: passes.3.stubs.total: expected number, received string',
      );
    });

    it('fails the worker that reports nonsense progress', async () => {
      const { supervisor, workers } = setUp((api) => {
        api.initScript = async (onProgress) => {
          await onProgress({ phase: 'unpacking', doneBytes: -1, totalBytes: 1, label: 'x' });
          return INFO;
        };
      });
      await expect(supervisor.init()).rejects.toThrow(
        /^worker sent an init progress report that does not match: phase: .*; doneBytes: /,
      );
      expect(workers[0].terminated).toBe(true);
      expect(supervisor.status).toBe('failed');
    });

    it('answers the ready worker’s version line, and rejects one that is not a string', async () => {
      const { supervisor, apis } = setUp();
      await expect(supervisor.toolchainVersion()).resolves.toBe('LLD 22.1.0 (WebAssembly, test)');
      apis[0].version = { lld: 22 };
      await expect(supervisor.toolchainVersion()).rejects.toThrow(
        /^worker sent a toolchain version that does not match: \(the whole value\): expected string/,
      );
    });

    it('treats a message the page cannot read as a dead worker', async () => {
      const { supervisor, workers, runOf } = setUp();
      const a = startRun(supervisor);
      await runOf(0, 0);
      workers[0].sendUnreadableMessage();
      await expect(a.promise).rejects.toThrow(
        'The toolchain worker sent a message the page could not read.',
      );
    });
  });
});
