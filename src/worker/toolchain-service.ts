/**
 * What the toolchain worker does, apart from comlink: owns one toolchain
 * instance and the corpus objects (per arch, kept between runs so that only
 * records cross the boundary), initialises once, and runs scenarios. No DOM
 * and no worker globals, so Node tests drive it with the real WebAssembly
 * toolchain and the Node corpus source.
 */
import type { CorpusSource } from '../toolchain/corpus/corpus-source.ts';
import type { CorpusProgress } from '../toolchain/corpus/obtain-corpus.ts';
import type { LoadedCorpus } from '../toolchain/corpus/load-corpus.ts';
import type { PassRecord, RunRecord } from '../toolchain/kbuild/records.ts';
import type { Toolchain } from '../toolchain/llvm/toolchain.ts';
import type { FetchProgress } from '../toolchain/llvm/wasm-toolchain.ts';
import type { Scenario } from '../toolchain/scenario/schema.ts';
import type { InitInfo, InitProgress, ToolchainWorkerApi } from './api.ts';
import { messageOf } from './errors.ts';

export interface PrefetchingToolchain extends Toolchain {
  /** Downloads and compiles the modules without running a tool. */
  prefetch(): Promise<void>;
}

export interface ToolchainServiceOptions {
  /** Makes the one toolchain instance; its download progress must go to `onFetchProgress`. */
  createToolchain(onFetchProgress: (progress: FetchProgress) => void): PrefetchingToolchain;
  corpus: CorpusSource;
  /** The npm package's version, for the version label (read lazily: the package is large). */
  packageVersion?: () => Promise<string>;
  /** Load the engine and the default scenario's corpus during init (default true). */
  headStart?: boolean;
}

/**
 * The page's warm-up of its scenario (see `prepare`): discarded, unless a
 * run of the same scenario takes it over.
 */
interface WarmUp {
  controller: AbortController;
  /** Its scenario, parsed, as a string (rejects when the scenario is invalid). */
  key: Promise<string>;
  ended: boolean;
  /** The passes its loop has measured so far. */
  passes: PassRecord[];
  /** The run that took it over: where its passes go. */
  taker: ((pass: PassRecord) => Promise<void>) | null;
  /** The passes handed to the taker so far, in order. */
  delivered: Promise<void>;
  record: RunRecord | null;
  /** Its turn in the worker: rejects with its loop's failure. */
  work: Promise<void>;
}

type Engine = typeof import('./engine.ts');

/** Two scenarios are the same run when they parse to the same data (the schema fixes key order). */
const scenarioKey = (scenario: Scenario): string => JSON.stringify(scenario);

/** Report download progress when it has moved by this share of the total (and at the end). */
const PROGRESS_STEP = 0.005;

async function yowaspVersion(): Promise<string> {
  // The package's typings omit `version`, but its bundle exports it.
  const clang = (await import('@yowasp/clang')) as unknown as { version?: string };
  return clang.version ?? 'unknown version';
}

/**
 * "LLD 22.1.0 (https://codeberg.org/YoWASP/llvm-project 9560ae0…) (compatible
 * with GNU linkers)" → "22.1.0": the rest is too long for a label.
 */
function lldVersion(stdout: Uint8Array): string {
  const first = new TextDecoder().decode(stdout).trim().split('\n')[0] ?? '';
  return /^LLD (\S+)/.exec(first)?.[1] ?? '(unknown version)';
}

/**
 * The label, one shape before and after `ld.lld --version`: the linker, its
 * own version once known, then the package it comes from (whose version
 * number, 22.0.0-git…, is not the linker's).
 */
const versionLabel = (lld: string | null, packageVersion: string) =>
  `ld.lld${lld ? ` ${lld}` : ''} (WebAssembly, from @yowasp/clang ${packageVersion})`;

/**
 * The worker's API but its lifeline, which needs the worker's own globals
 * (toolchain-worker.ts adds it).
 */
export type ToolchainService = Omit<ToolchainWorkerApi, 'lifeline'>;

/**
 * Corpus progress as the page needs it: each stage's start and end, and
 * every 5 % between (400 objects would be 400 messages and renders). The
 * page's listener is a comlink proxy: its failures are not the corpus's.
 */
function throttled(
  listener: ((progress: CorpusProgress) => void) | undefined,
): ((progress: CorpusProgress) => void) | undefined {
  if (!listener) return undefined;
  let last: CorpusProgress | null = null;
  return (progress) => {
    const moved =
      last === null ||
      last.stage !== progress.stage ||
      progress.done === progress.total ||
      progress.done - last.done >= progress.total / 20;
    if (!moved) return;
    last = progress;
    try {
      const pending = listener(progress) as unknown;
      if (pending instanceof Promise) pending.catch(() => {});
    } catch {
      /* the page's problem, not the corpus's */
    }
  };
}

export function createToolchainService(options: ToolchainServiceOptions): ToolchainService {
  const listeners = new Set<(progress: InitProgress) => void>();
  let lastProgress: InitProgress | null = null;
  let toolchain: PrefetchingToolchain | null = null;
  let initialising: Promise<InitInfo> | null = null;
  let manifestBytes: Promise<Uint8Array> | null = null;
  const corpora = new Map<string, Promise<LoadedCorpus>>();

  /**
   * The engine is imported on first use, not with the worker: compiling and
   * running its modules at worker start (~45 ms of the worker's thread in a
   * Chromium trace) competed with the toolchain's compile on a 2-core
   * machine. The page's warm-up (prepare) loads it right after ready.
   */
  let engine: Promise<Engine> | null = null;
  const loadEngine = () =>
    (engine ??= import('./engine.ts').catch((error: unknown) => {
      engine = null;
      throw error;
    }));

  function report(progress: InitProgress): void {
    lastProgress = progress;
    for (const listener of listeners) {
      // Listeners are comlink proxies (calls return promises); a page that has
      // gone away must not make init fail.
      try {
        const pending = listener(progress) as unknown;
        if (pending instanceof Promise) pending.catch(() => {});
      } catch {
        /* the listener's problem, not init's */
      }
    }
  }

  let reportedBytes = -1;
  /** Resolves when the toolchain's bytes have all arrived (only the compile is left). */
  let arrived: () => void = () => {};
  const bytesArrived = new Promise<void>((resolve) => (arrived = resolve));
  function onFetchProgress({ doneLength, totalLength }: FetchProgress): void {
    const done = doneLength >= totalLength && totalLength > 0;
    if (done) arrived();
    if (!done && doneLength - reportedBytes < totalLength * PROGRESS_STEP) return;
    reportedBytes = doneLength;
    report(
      done
        ? {
            phase: 'compile',
            doneBytes: doneLength,
            totalBytes: totalLength,
            label: 'Compiling the WebAssembly modules',
          }
        : {
            phase: 'download',
            doneBytes: doneLength,
            totalBytes: totalLength,
            label: 'Downloading LLVM (ld.lld, llvm-nm) for WebAssembly',
          },
    );
  }

  /** The manifest is read by init and by every corpus load: fetch it once. */
  const corpusSource: CorpusSource = {
    readFile(path, expectedSha256) {
      if (path !== 'manifest.json') return options.corpus.readFile(path, expectedSha256);
      manifestBytes ??= options.corpus.readFile(path).catch((error: unknown) => {
        manifestBytes = null;
        throw error;
      });
      return manifestBytes;
    },
  };

  async function initialise(): Promise<InitInfo> {
    const started = performance.now();
    reportedBytes = -1;
    report({ phase: 'download', doneBytes: 0, totalBytes: 0, label: 'Starting the toolchain' });
    toolchain ??= options.createToolchain(onFetchProgress);
    // The manifest (a few kB) is fetched while the modules compile, not after;
    // its shape is checked where it is used, by the engine's corpus loader.
    let manifestArrived = false;
    const manifest = corpusSource.readFile('manifest.json').then((bytes) => {
      manifestArrived = true;
      return bytes;
    });
    manifest.catch(() => {}); // awaited below; must not be unhandled while prefetch fails
    const compiled = toolchain.prefetch();
    // The engine and the default scenario's corpus come while the modules
    // compile, not after ready: the page's warm-up, and a Run pressed at
    // ready, then start linking at once. Once every byte has arrived, not
    // before: this thread hands the streamed bytes to the compiler, and
    // work here meanwhile delays them. A failure costs only the head start
    // (the corpus is asked for again when a run needs it).
    if (options.headStart ?? true) {
      void Promise.race([bytesArrived, compiled.catch(() => {})])
        .then(loadEngine)
        .then(({ defaultScenario }) => corpusFor(defaultScenario))
        .catch(() => {});
    }
    await compiled;
    // Marks for a profiler (and the benchmark): where a start spends its time.
    performance.mark('kallsyms-lab: toolchain compiled');
    const bytes = lastProgress?.totalBytes ?? 0;
    // Reported only when there is a wait: each report is a render on the page,
    // right where a warm start ends.
    if (!manifestArrived) {
      report({ phase: 'corpus', doneBytes: bytes, totalBytes: bytes, label: 'Reading the corpus' });
    }
    // No tool is run here: every run instantiates the modules anyway, and
    // the page's warm-up (prepare) runs the linker right after ready.
    const [packageVersion] = await Promise.all([packageVersionOf(), manifest]);
    performance.mark('kallsyms-lab: ready');
    // Not sent: the init result tells the callers; a later caller is told this.
    lastProgress = { phase: 'ready', doneBytes: bytes, totalBytes: bytes, label: 'Ready' };
    return {
      toolchainVersion: versionLabel(null, packageVersion),
      ms: performance.now() - started,
    };
  }

  const packageVersionOf = () => (options.packageVersion ?? yowaspVersion)();

  let version: Promise<string> | null = null;
  function toolchainVersion(): Promise<string> {
    const readVersion = async () => {
      const [lld, packageVersion] = await Promise.all([
        toolchain!.run('ld.lld', ['--version'], {}),
        packageVersionOf(),
      ]);
      return versionLabel(lldVersion(lld.stdout), packageVersion);
    };
    // Behind the warm-up and every run: a label can wait, a Run pressed at
    // ready should not share the CPU with instantiating the 75 MB module.
    version ??= (async () => {
      await ensureInitialised();
      for (;;) {
        while (runs.size > 0) await Promise.all(runs.values());
        // A run asked for while this waited for its turn goes first.
        const answer = await exclusive(async () => (runs.size > 0 ? null : readVersion()));
        if (answer !== null) return answer;
      }
    })().catch((error: unknown) => {
      version = null;
      throw error;
    });
    return version;
  }

  function ensureInitialised(): Promise<InitInfo> {
    initialising ??= initialise().catch((error: unknown) => {
      initialising = null; // a later init may succeed (e.g. the network is back)
      throw new Error(`The toolchain could not be started: ${messageOf(error)}`, {
        cause: error,
      });
    });
    return initialising;
  }

  /**
   * A scenario's objects, kept per corpus and arch for later runs. A
   * generated one is made once and kept until another generated one is made
   * (a corpus knob sweep makes one per step: each is tens of MB at kernel
   * size). `onProgress` hears how far one being made here has got.
   */
  function corpusFor(
    scenario: Scenario,
    onProgress?: (progress: CorpusProgress) => void,
  ): Promise<LoadedCorpus> {
    const key = `${scenario.corpus}/${scenario.arch}`;
    let corpus = corpora.get(key);
    if (!corpus) {
      if (scenario.corpus !== 'kernel-like')
        for (const other of corpora.keys())
          if (!other.startsWith('kernel-like/')) corpora.delete(other);
      corpus = loadEngine()
        .then(({ obtainCorpus }) => obtainCorpus(scenario, corpusSource, throttled(onProgress)))
        .catch((error: unknown) => {
          corpora.delete(key);
          const what =
            scenario.corpus === 'kernel-like'
              ? `The ${scenario.arch} corpus could not be loaded`
              : `The corpus ${scenario.corpus} for ${scenario.arch} could not be made`;
          throw new Error(`${what}: ${messageOf(error)}`, { cause: error });
        });
      corpora.set(key, corpus);
    }
    return corpus;
  }

  /**
   * Runs not finished yet (at most one linking, others waiting for it), each
   * with a promise of its end: cancelRun stops them, the version waits for them.
   */
  const runs = new Map<AbortController, Promise<void>>();
  /** Warm-ups not finished yet: a run takes over the one of its own scenario and stops the others. */
  const warmUps = new Set<WarmUp>();

  /**
   * The last warm-up that ended with its loop's record and that no run took
   * over: a Run of its scenario that comes after it ended (the page was slow
   * to ask, or the loop quick) takes over its record instead of linking the
   * same loop again. Anything else the worker is asked to do drops it.
   */
  let finishedWarmUp: WarmUp | null = null;

  /** Stops every warm-up no run has taken over. */
  function stopWarmUps(except?: WarmUp): void {
    for (const warmUp of warmUps) if (warmUp !== except && !warmUp.taker) warmUp.controller.abort();
  }

  /** One run at a time: a warm-up never overlaps a run, a run waits for the warm-up. */
  let busy: Promise<unknown> = Promise.resolve();
  function exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = busy.then(work, work);
    busy = result.catch(() => {});
    return result;
  }

  return {
    async init(onProgress) {
      listeners.add(onProgress);
      if (lastProgress) report(lastProgress); // a late caller learns where init is
      try {
        return await ensureInitialised();
      } finally {
        listeners.delete(onProgress);
      }
    },

    // Only the browser worker shares compiled modules (toolchain-assets.ts).
    compiledModules: () => ({}),

    toolchainVersion,

    prepare(scenario) {
      finishedWarmUp = null;
      const warmUp: WarmUp = {
        controller: new AbortController(),
        key: loadEngine().then(({ parseScenario }) => scenarioKey(parseScenario(scenario))),
        ended: false,
        passes: [],
        taker: null,
        delivered: Promise.resolve(),
        record: null,
        work: Promise.resolve(),
      };
      warmUp.key.catch(() => {}); // an invalid scenario: the run will say what is wrong with it
      warmUps.add(warmUp);
      const { signal } = warmUp.controller;
      warmUp.work = exclusive(async () => {
        const engine = await loadEngine();
        const { estimateRunCost, parseScenario, runLinkLoop, withinAutoRunBudget } = engine;
        let parsed: Scenario;
        try {
          parsed = parseScenario(scenario);
        } catch {
          return;
        }
        // Nobody asked for this run: only what a link may run without asking (scenario/cost.ts).
        if (!withinAutoRunBudget(estimateRunCost(parsed))) return;
        await ensureInitialised();
        const corpus = await corpusFor(parsed);
        // A kernel-sized corpus: making it is the head start; its whole loop
        // takes seconds, unless a run has taken the warm-up over.
        if (!warmUp.taker && (parsed.corpus !== 'kernel-like' || signal.aborted)) return;
        // The whole loop, once: in Chromium the first run in a fresh worker
        // measured ~2x slower than the next (ld.lld's lazily compiled and
        // tiered-up wasm, the engine's JIT). Discarded, unless a run of the
        // same scenario takes it over (see `run`): the run's own config (the
        // page's ceiling included), so that it gets the record it would have
        // made itself. Another run stops it at the next pass.
        warmUp.record = await runLinkLoop(toolchain!, pageLoopConfig(engine, parsed, corpus), {
          signal,
          onPass(pass) {
            warmUp.passes.push(pass);
            // In order, behind the passes handed over when the run took over;
            // the loop waits for the page, as it does for a run (Step mode).
            if (warmUp.taker) return deliver(warmUp, pass);
          },
        });
      }).finally(() => {
        warmUp.ended = true;
        warmUps.delete(warmUp);
        if (warmUp.record && !warmUp.taker) finishedWarmUp = warmUp;
      });
      // Never rejects: a failed warm-up costs nothing but the head start (a
      // run that took it over reports the failure itself).
      return warmUp.work.catch(() => {});
    },

    async sweepStep(step) {
      const { parseScenario, sweepStepResult } = await loadEngine();
      const parsed = parseScenario(step.scenario);
      stopWarmUps();
      finishedWarmUp = null;
      const record = await exclusive(() => runScenario(parsed, () => {}));
      return sweepStepResult({ index: step.index, value: step.value, scenario: parsed }, record);
    },

    async run(scenario, onPass, onCorpusProgress) {
      const controller = new AbortController();
      let ended!: () => void;
      runs.set(controller, new Promise<void>((resolve) => (ended = resolve)));
      try {
        // ScenarioError's message lists each problem as "field: what is wrong".
        let parsed: Scenario;
        try {
          parsed = (await loadEngine()).parseScenario(scenario);
        } catch (error) {
          stopWarmUps(); // the user comes first
          throw error;
        }
        const warmUp = await warmUpOf(parsed);
        stopWarmUps(warmUp ?? undefined); // the user comes first
        if (warmUp) {
          const record = await takeOver(warmUp, onPass, controller.signal);
          if (record) return record;
        }
        return await exclusive(() =>
          runScenario(parsed, onPass, controller.signal, onCorpusProgress),
        );
      } finally {
        runs.delete(controller);
        ended();
      }
    },

    cancelRun() {
      for (const controller of runs.keys()) controller.abort();
      for (const warmUp of warmUps) warmUp.controller.abort();
    },
  };

  /** Hands a pass to the run that took the warm-up over, behind those handed before. */
  function deliver(warmUp: WarmUp, pass: PassRecord): Promise<void> {
    const taker = warmUp.taker!;
    warmUp.delivered = warmUp.delivered.then(() => taker(pass));
    // Observed by the loop or by takeOver; a page failure must not also show as unhandled.
    warmUp.delivered.catch(() => {});
    return warmUp.delivered;
  }

  /**
   * A warm-up of this scenario that no run has taken over yet: one still
   * under way, or the last one to end with its record.
   */
  async function warmUpOf(parsed: Scenario): Promise<WarmUp | null> {
    const key = scenarioKey(parsed);
    const sameKey = (warmUp: WarmUp) =>
      warmUp.key.then(
        (k) => k === key,
        () => false,
      );
    for (const warmUp of [...warmUps]) {
      if (warmUp.taker || warmUp.ended || warmUp.controller.signal.aborted) continue;
      if ((await sameKey(warmUp)) && !warmUp.taker && !warmUp.controller.signal.aborted)
        return warmUp;
    }
    const finished = finishedWarmUp;
    finishedWarmUp = null; // one run takes it; any other makes it stale
    if (finished && !finished.taker && (await sameKey(finished))) return finished;
    return null;
  }

  /**
   * The run becomes the warm-up's: the passes it has measured go to the page
   * first, then each new one as it comes, and its record is the run's. Null
   * when the warm-up ended without linking (a kernel-sized corpus it only
   * made): the run then runs as usual.
   */
  async function takeOver(
    warmUp: WarmUp,
    onPass: (pass: PassRecord) => void | Promise<void>,
    signal: AbortSignal,
  ): Promise<RunRecord | null> {
    let pageFailure: { error: unknown } | null = null;
    warmUp.taker = async (pass) => {
      try {
        await onPass(pass);
      } catch (error) {
        pageFailure ??= { error };
        throw error;
      }
    };
    for (const pass of warmUp.passes) void deliver(warmUp, pass);
    const stop = () => warmUp.controller.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    try {
      await warmUp.work; // its exclusive turn: it ends when its loop does
      await warmUp.delivered;
    } catch (error) {
      if (pageFailure) throw (pageFailure as { error: unknown }).error;
      if (signal.aborted || warmUp.controller.signal.aborted)
        throw new DOMException('The run was cancelled.', 'AbortError');
      if (error instanceof (await loadEngine()).RunCeilingError) throw error;
      throw new Error(`The link loop stopped unexpectedly: ${messageOf(error)}`, {
        cause: error,
      });
    } finally {
      signal.removeEventListener('abort', stop);
    }
    return warmUp.record;
  }

  /**
   * A loop of the page's: stopped after a link whose image is over the
   * page's ceiling (scenario/cost.ts). Runs and warm-ups alike.
   */
  function pageLoopConfig(engine: Engine, parsed: Scenario, corpus: LoadedCorpus) {
    return {
      ...engine.scenarioLoopConfig(parsed, corpus),
      maxImageBytes: engine.PAGE_CEILING.imageBytes,
    };
  }

  async function runScenario(
    parsed: Scenario,
    onPass: (pass: PassRecord) => void | Promise<void>,
    signal?: AbortSignal,
    onCorpusProgress?: (progress: CorpusProgress) => void,
  ): Promise<RunRecord> {
    if (signal?.aborted) throw new DOMException('The run was cancelled.', 'AbortError');
    const engine = await loadEngine();
    const { runLinkLoop } = engine;
    // The page's memory ceiling: refused before linking by the estimate, and
    // stopped after a link whose image is larger anyway (scenario/cost.ts).
    const refusal = engine.pageCeilingRefusal(engine.estimateRunCost(parsed));
    if (refusal) throw new engine.RunCeilingError(refusal);
    await ensureInitialised();
    const corpus = await corpusFor(parsed, onCorpusProgress);
    const config = pageLoopConfig(engine, parsed, corpus);
    // Failures of the page's own callback (a schema mismatch, a store bug)
    // go back unchanged: the page knows them better than we do.
    let pageFailure: { error: unknown } | null = null;
    const forward = async (pass: PassRecord) => {
      try {
        await onPass(pass);
      } catch (error) {
        pageFailure = { error };
        throw error;
      }
    };
    let record: RunRecord;
    try {
      // Tool failures do not throw: they are the record's `link-failed` verdict.
      record = await runLinkLoop(toolchain!, config, { onPass: forward, signal });
    } catch (error) {
      if (pageFailure) throw (pageFailure as { error: unknown }).error;
      if (signal?.aborted) throw new DOMException('The run was cancelled.', 'AbortError');
      if (error instanceof engine.RunCeilingError) throw error;
      throw new Error(`The link loop stopped unexpectedly: ${messageOf(error)}`, {
        cause: error,
      });
    }
    return record;
  }
}
