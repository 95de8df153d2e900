/** In-process fakes for the store's dependencies: a supervisor the test drives by hand, a page. */
import type { PassRecord, RunRecord, Verdict } from '../../../toolchain/kbuild/records.ts';
import type { Scenario } from '../../../toolchain/scenario/schema.ts';
import type {
  DiagnoseOptions,
  DiagnoseProgress,
  Diagnosis,
} from '../../../toolchain/diagnose/index.ts';
import type {
  AppEnvironment,
  DiagnoseInputSpec,
  Diagnoser,
  ScenarioTrier,
  InitInfo,
  LinkView,
  InitProgress,
  PermalinkCodec,
  SupervisorStatus,
  ThemePreference,
  Sweeper,
  ToolchainSupervisor,
} from '../types.ts';
import type { SweepPlan, SweepRecord, SweepStepResult } from '../../../toolchain/sweep/index.ts';

export interface FakeRun {
  scenario: unknown;
  onPass: (pass: PassRecord) => void | Promise<void>;
  /** What the store asked to hear besides passes (a generated corpus's progress). */
  options?: Parameters<ToolchainSupervisor['run']>[2];
  resolve(record: RunRecord): void;
  reject(error: unknown): void;
}

export interface FakeSupervisor extends ToolchainSupervisor {
  runs: FakeRun[];
  /** The scenarios the store asked the worker to prepare for. */
  prepared: unknown[];
  cancelCalls: number;
  initCalls: number;
  setStatus(status: SupervisorStatus, detail?: string): void;
  progress(progress: InitProgress): void;
  finishInit(info?: InitInfo): Promise<void>;
  failInit(error: Error): Promise<void>;
  /** How many times the store asked for the linker's version. */
  versionCalls: number;
  /** Answers the pending version request with a version or a failure. */
  answerVersion(answer: string | Error): Promise<void>;
  /** Tells the store, as the supervisor does, that a worker ended and was replaced. */
  loseWorker(message: string): void;
}

export function fakeSupervisor(): FakeSupervisor {
  let status: SupervisorStatus = 'starting';
  const listeners = new Set<(status: SupervisorStatus, detail?: string) => void>();
  const lostListeners = new Set<(message: string) => void>();
  let init: {
    onProgress?: (p: InitProgress) => void;
    resolve(info: InitInfo): void;
    reject(e: unknown): void;
  } | null = null;
  const settle = () => new Promise<void>((r) => setTimeout(r, 0));
  let version: { resolve(v: string): void; reject(e: unknown): void } | null = null;
  const fake: FakeSupervisor = {
    get status() {
      return status;
    },
    runs: [],
    prepared: [],
    cancelCalls: 0,
    initCalls: 0,
    versionCalls: 0,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onWorkerLost(listener) {
      lostListeners.add(listener);
      return () => lostListeners.delete(listener);
    },
    loseWorker(message) {
      for (const listener of lostListeners) listener(message);
    },
    init(onProgress) {
      fake.initCalls++;
      return new Promise((resolve, reject) => {
        init = { onProgress, resolve, reject };
      });
    },
    toolchainVersion() {
      fake.versionCalls++;
      return new Promise((resolve, reject) => {
        version = { resolve, reject };
      });
    },
    async answerVersion(answer) {
      if (answer instanceof Error) version?.reject(answer);
      else version?.resolve(answer);
      await settle();
    },
    run(scenario, onPass, options) {
      return new Promise((resolve, reject) => {
        fake.runs.push({ scenario, onPass: onPass ?? (() => {}), options, resolve, reject });
      });
    },
    prepare(scenario) {
      fake.prepared.push(scenario);
    },
    cancel() {
      fake.cancelCalls++;
      for (const run of fake.runs) run.reject(new Error('The run was cancelled.'));
    },
    setStatus(next, detail) {
      status = next;
      for (const listener of listeners) listener(next, detail);
    },
    progress(progress) {
      init?.onProgress?.(progress);
    },
    async finishInit(info = { toolchainVersion: 'ld.lld (fake)', ms: 5 }) {
      fake.setStatus('ready');
      init?.resolve(info);
      await settle();
    },
    async failInit(error) {
      fake.setStatus('failed', error.message);
      init?.reject(error);
      await settle();
    },
  };
  return fake;
}

export interface FakeSweep {
  plan: SweepPlan;
  onStep(result: SweepStepResult): void;
  signal: AbortSignal;
  resolve(record: SweepRecord): void;
  reject(error: unknown): void;
}

/** A sweeper the test drives: each sweep waits for the test to report steps and settle it. */
export function fakeSweeper(): Sweeper & { sweeps: FakeSweep[] } {
  const sweeps: FakeSweep[] = [];
  return {
    sweeps,
    run(plan, { onStep, signal }) {
      return new Promise((resolve, reject) => {
        sweeps.push({ plan, onStep, signal, resolve, reject });
        signal.addEventListener('abort', () => {
          const stopped = new Error('The sweep was stopped.');
          stopped.name = 'RunCancelledError';
          reject(stopped);
        });
      });
    },
  };
}

export interface FakeTrial {
  scenarios: Scenario[];
  onResult(index: number, result: SweepStepResult): void;
  onError(index: number, message: string): void;
  signal: AbortSignal;
  resolve(): void;
  reject(error: unknown): void;
}

/** A trier the test drives: each batch of alternatives waits for the test to report outcomes. */
export function fakeTrier(): ScenarioTrier & { trials: FakeTrial[] } {
  const trials: FakeTrial[] = [];
  return {
    trials,
    run(scenarios, { onResult, onError, signal }) {
      return new Promise((resolve, reject) => {
        trials.push({ scenarios, onResult, onError, signal, resolve, reject });
        signal.addEventListener('abort', () => {
          const stopped = new Error('The alternatives were stopped.');
          stopped.name = 'RunCancelledError';
          reject(stopped);
        });
      });
    },
  };
}

export interface FakeDiagnosis {
  inputs: DiagnoseInputSpec[];
  options: DiagnoseOptions;
  onProgress(progress: DiagnoseProgress): void;
  signal: AbortSignal;
  resolve(result: Diagnosis): void;
  reject(error: unknown): void;
}

/** A diagnoser the test drives. */
export function fakeDiagnoser(): Diagnoser & { calls: FakeDiagnosis[] } {
  const calls: FakeDiagnosis[] = [];
  return {
    calls,
    diagnose(inputs, options, { onProgress, signal }) {
      return new Promise((resolve, reject) => {
        calls.push({ inputs, options, onProgress, signal, resolve, reject });
        signal.addEventListener('abort', () =>
          reject(new DOMException('The diagnosis was cancelled', 'AbortError')),
        );
      });
    },
  };
}

export interface FakePage extends AppEnvironment {
  /** The hash after its '#' ('' for none), as the address bar holds it. */
  hash: string;
  /** Every write, replaced or pushed, in order. */
  hashWrites: string[];
  /** The session history's entries (hashes) and where the page is in it, as a browser keeps them. */
  history: string[];
  at: number;
  copied: string[];
  clipboardWorks: boolean;
  storedTheme: ThemePreference | null;
  dark: boolean;
  emitPrefersDark(dark: boolean): void;
  /** The reader pastes a link into the address bar of the open tab (a new entry, hashchange). */
  navigate(hash: string): void;
  /** The Back and Forward buttons (popstate). */
  back(): void;
  forward(): void;
  /** Each history entry's story mark, as history.state keeps it. */
  marks: Array<string | null>;
  /** The reader's place in the story across visits (null: a first visit). */
  storyPlace: { chapter: string | null } | null;
}

export function fakePage(hash = ''): FakePage {
  const watchers = new Set<(dark: boolean) => void>();
  const navigation = new Set<() => void>();
  /** The mark the page writes on the entries it makes (as the browser environment does). */
  let mark: string | null = null;
  const go = (to: number) => {
    page.at = to;
    page.hash = page.history[to];
    mark = page.marks[to] ?? null;
    for (const listener of navigation) listener();
  };
  const page: FakePage = {
    hash,
    hashWrites: [],
    history: [hash],
    marks: [null],
    // A reader who has been here before: the tests of the playground start there.
    storyPlace: { chapter: null },
    at: 0,
    copied: [],
    clipboardWorks: true,
    storedTheme: null,
    dark: false,
    readHash: () => (page.hash ? `#${page.hash}` : ''),
    replaceHash(next) {
      page.hash = next;
      page.history[page.at] = next;
      page.hashWrites.push(next);
    },
    pushHash(next) {
      page.history.splice(page.at + 1, Infinity, next);
      page.marks.splice(page.at + 1, Infinity, mark);
      page.at++;
      page.hash = next;
      page.hashWrites.push(next);
    },
    readStoryMark: () => page.marks[page.at] ?? null,
    setStoryMark(chapter, current) {
      mark = chapter;
      if (current) page.marks[page.at] = chapter;
    },
    loadStoryPlace: () => page.storyPlace,
    saveStoryPlace(chapter) {
      page.storyPlace = { chapter };
    },
    watchHash(listener) {
      navigation.add(listener);
      return () => navigation.delete(listener);
    },
    navigate(next) {
      // A link pasted into the address bar: an entry of its own, with no mark.
      page.history.splice(page.at + 1, Infinity, next);
      page.marks.splice(page.at + 1, Infinity, null);
      go(page.at + 1);
    },
    back() {
      if (page.at > 0) go(page.at - 1);
    },
    forward() {
      if (page.at < page.history.length - 1) go(page.at + 1);
    },
    pageUrl: () => 'https://lab.example/kallsyms/',
    async copyText(text) {
      if (!page.clipboardWorks) throw new Error('denied');
      page.copied.push(text);
    },
    loadTheme: () => page.storedTheme,
    saveTheme(theme) {
      page.storedTheme = theme;
    },
    prefersDark: () => page.dark,
    watchPrefersDark(listener) {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    emitPrefersDark(dark) {
      page.dark = dark;
      for (const w of watchers) w(dark);
    },
  };
  return page;
}

const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
const unbase64 = (text: string) => JSON.parse(Buffer.from(text, 'base64url').toString()) as unknown;

/**
 * A transparent codec: JSON in base64url after '1.', a view after '&v.';
 * takes the hash with or without one '#'.
 */
export const fakeCodec: PermalinkCodec = {
  encode: (scenario, view) => `1.${base64(scenario)}${view ? `&v.${base64(view)}` : ''}`,
  decode(raw) {
    const hash = raw.startsWith('#') ? raw.slice(1) : raw;
    if (!hash.startsWith('1.'))
      return { ok: false, error: `unknown permalink version in "${hash}"` };
    const [scenarioPart, viewPart] = hash.slice(2).split('&');
    let scenario: Scenario;
    try {
      scenario = unbase64(scenarioPart) as Scenario;
    } catch {
      return { ok: false, error: 'the permalink is damaged' };
    }
    if (viewPart === undefined) return { ok: true, scenario, view: null, viewError: null };
    try {
      if (!viewPart.startsWith('v.')) throw new Error('no view');
      return { ok: true, scenario, view: unbase64(viewPart.slice(2)) as LinkView, viewError: null };
    } catch {
      return { ok: true, scenario, view: null, viewError: 'the view is damaged' };
    }
  },
};

export function makePass(
  pass: number,
  opts: {
    step?: 'trial' | 'vmlinux';
    symbols?: number;
    object?: number;
    stubs?: number;
    added?: number;
  } = {},
): PassRecord {
  const step = opts.step ?? 'trial';
  const symbols = opts.symbols ?? 1000 + pass;
  return {
    pass,
    step,
    reason: step === 'vmlinux' ? 'final' : pass === 1 ? 'first' : 'with-first-table',
    explanation: `explanation of pass ${pass}`,
    linkedWith: pass === 1 ? null : `.tmp_vmlinux${pass - 1}.kallsyms.o`,
    link: {
      image: step === 'vmlinux' ? 'vmlinux' : `.tmp_vmlinux${pass}`,
      command: { tool: 'ld.lld', args: [] },
      inputs: [],
      outputBytes: 100_000,
      ms: 12.4 + pass,
      diagnostics: '',
    },
    layout: {
      sections: [],
      symbols: { _stext: '0x0', _etext: '0x100', _sinittext: '0x200', _einittext: '0x300' },
      table: null,
    },
    listingLines: 2000 + pass,
    stubs: {
      total: opts.stubs ?? 0,
      byKind: {},
      added: Array.from({ length: opts.added ?? 0 }, (_, i) => ({
        name: `__long_branch_f${pass}_${i}`,
        kind: 'long_branch' as const,
      })),
      removed: [],
    },
    reach: {
      calls: 10,
      outOfReach: opts.stubs ?? 0,
      targetsOutOfReach: 0,
      distances: [],
      siteIndex: [],
      worstMargin: -5,
    },
    tableObject:
      step === 'vmlinux'
        ? null
        : {
            name: `.tmp_vmlinux${pass}.kallsyms.o`,
            bytes: opts.object ?? 50_000,
            sha256: 'x',
            sizes: {
              numSyms: 4,
              names: 10,
              markers: 4,
              tokenTable: 4,
              tokenIndex: 4,
              offsets: 4,
              addresses: 0,
              relativeBase: 8,
              seqsOfNames: 3,
              padding: 0,
              total: symbols * 10,
            },
            counts: {
              listingLines: 2000 + pass,
              symsLines: null,
              keptSymbols: symbols,
              tableSymbols: symbols,
            },
            warnings: [],
            commands: [],
          },
    timings: { link: 12, listing: 1, kallsyms: 1, object: 1 },
  };
}

export function makeRecord(passes: PassRecord[], verdict: Verdict): RunRecord {
  return {
    format: 1,
    toolchain: 'wasm',
    arch: 'ppc64le',
    strategy: 'latest',
    generation: 'latest',
    options: {
      baseRelative: true,
      allSymbols: false,
      filterLldStubs: false,
      extraPass: false,
      maxPasses: 16,
      extraLinkerFlags: [],
    },
    corpus: { compiler: 'clang', objects: [] },
    linkerScript: '',
    emptyTableObject: null,
    passes,
    check: null,
    verdict,
    callSites: [
      {
        object: 'init/main.o',
        offset: 4,
        target: 'f',
        form: 'bl',
        caller: 'start_kernel',
        callerOffset: 4,
      },
    ],
    totalMs: 100,
  };
}
