/**
 * The shape of the page's one store: its slices, its actions and what it
 * needs from the outside world (the toolchain supervisor, the URL, the
 * clipboard, storage), so that tests can give it fakes.
 */
import type {
  DiagnoseOptions,
  DiagnoseProgress,
  Diagnosis,
} from '../../toolchain/diagnose/index.ts';
import type { CorpusProgress } from '../../toolchain/corpus/obtain-corpus.ts';
import type { GeneratedParamKey } from '../../toolchain/corpus/generated/params.ts';
import type { PassRecord, RunRecord } from '../../toolchain/kbuild/records.ts';
import type { AlternativeId } from '../../toolchain/scenario/alternatives.ts';
import type { RunCost } from '../../toolchain/scenario/cost.ts';
import type {
  LinkDecodeResult,
  LinkView,
  ViewPanel,
} from '../../toolchain/scenario/permalink-view.ts';
import type { Scenario } from '../../toolchain/scenario/schema.ts';
import type {
  SweepAxis,
  SweepPlan,
  SweepRecord,
  SweepStepResult,
  SweepValue,
} from '../../toolchain/sweep/index.ts';
import type {
  InitInfo,
  InitProgress,
  SupervisorStatus,
  ToolchainSupervisor,
} from '../../worker/api.ts';
import type { PassColumn } from '../pass-columns.ts';

// The supervisor's contract is the worker layer's (src/worker/api.ts); the store only uses it.
export type {
  CorpusProgress,
  GeneratedParamKey,
  InitInfo,
  InitProgress,
  LinkView,
  PassColumn,
  SupervisorStatus,
  ToolchainSupervisor,
  ViewPanel,
};

/** A knob of the generated corpus, as a field of the form's corpus section. */
export type CorpusField = `corpus.${GeneratedParamKey}`;

/** The scenario fields a user types into (as text), as opposed to picks. */
export type DraftField =
  'gapMiB' | 'align' | 'base' | 'maxPasses' | 'linkerScript' | 'extraLinkerFlags' | CorpusField;

/** Which corpus a scenario links: the committed one, or one generated from knobs. */
export type CorpusKind = 'kernel-like' | 'generated';

/** The boolean options of a scenario, each one checkbox. */
export type ScenarioFlag = 'baseRelative' | 'allSymbols' | 'filterLldStubs' | 'extraPass';

export interface ScenarioSlice {
  /** The last valid scenario: what Run runs and what the permalink holds. */
  scenario: Scenario;
  /** The preset the scenario started from (null: it came from a link that matches none). */
  presetId: string | null;
  /** Text a user typed that is not a valid value (yet): kept so nothing they typed is lost. */
  drafts: Partial<Record<DraftField, string>>;
  /** Why each draft is not valid, for the message next to its field. */
  fieldErrors: Partial<Record<DraftField, string>>;
  /**
   * The permalink codec's error when a link (at load time, or pasted or
   * reached by Back/Forward) could not be opened, or what of its view could not be shown.
   */
  permalinkError: string | null;
  /** The scenario as the last link opened it (null: none, or a preset was chosen since). */
  linked: Scenario | null;
  /** What made the last change to the scenario: decides how the address bar's history follows. */
  lastChange: ScenarioChange;
  /**
   * The generated corpus the form had when the reader chose the kernel-like
   * one: choosing "generated" again brings its knobs back.
   */
  lastGeneratedCorpus: string | null;
}

/**
 * Where a scenario change came from. A link (opened, pasted, Back/Forward)
 * writes no history (the URL already says it); a preset or a choice adds an
 * entry; typing or dragging in one field adds one entry for the whole edit.
 */
export type ScenarioChange =
  | { kind: 'start' }
  | { kind: 'link' }
  | { kind: 'preset' }
  | { kind: 'choice' }
  | { kind: 'typing'; field: DraftField };

export type ToolchainPhase = SupervisorStatus;

export interface ToolchainSlice {
  status: ToolchainPhase;
  /** Readable detail when `failed` (a worker that would not load, a fetch that failed). */
  detail: string | null;
  progress: InitProgress | null;
  info: InitInfo | null;
  /**
   * The supervisor's words when a worker ended without being asked to and
   * was replaced (it closed itself, the browser ended it): shown until dismissed.
   */
  workerLost: string | null;
}

/**
 * running: a pass is being linked. paused: Step mode, waiting for the next
 * Step. done: the run record arrived. stopped: Stop was pressed, or the
 * scenario changed under the run (`stopReason`). failed: the run was
 * rejected (not a verdict: a worker or schema error). refused: over the
 * page's ceiling (scenario/cost.ts), before a link or after one.
 */
export type RunPhase = 'running' | 'paused' | 'done' | 'stopped' | 'failed' | 'refused';

export interface CurrentRun {
  /** Increases with each run; late events of an older run are ignored. */
  id: number;
  /**
   * Who asked for it: the reader (Run, Step, "Run this link") or a link
   * (opened, pasted, Back/Forward, a chapter of the story). What runs beside
   * it unasked (the alternatives) follows the cost rule for links.
   */
  origin: 'reader' | 'link';
  /** The scenario as it was when the run started. */
  scenario: Scenario;
  /** Its permalink (null: too large for a link). */
  hash: string | null;
  label: string;
  phase: RunPhase;
  /** Pause after each pass until Step is pressed again. */
  stepMode: boolean;
  passes: PassRecord[];
  record: RunRecord | null;
  /** Why it failed or was refused. */
  error: string | null;
  /** Why it stopped when it was not Stop: "the scenario changed (gap)". */
  stopReason: string | null;
  /** A generated corpus being made in the worker before the first link (null: none, or done). */
  corpusProgress: CorpusProgress | null;
}

export interface PinnedRun {
  label: string;
  scenario: Scenario;
  /** Its permalink (null: too large for a link). */
  hash: string | null;
  record: RunRecord;
}

/** A link's pinned scenario while it is linked (it becomes `pinned` when done). */
export interface PinRun {
  label: string;
  scenario: Scenario;
  status: 'running' | 'failed';
  error: string | null;
}

/** A run a link asked for that costs more than the page runs unasked: shown with a button instead. */
export interface HeldRun {
  scenario: Scenario;
  view: LinkView | null;
  cost: RunCost;
  /** Where it goes over the budget, one phrase each. */
  over: string[];
}

export interface RunsSlice {
  current: CurrentRun | null;
  pinned: PinnedRun | null;
  pinRun: PinRun | null;
  /**
   * Run or Step was asked for (or a permalink opened) before the toolchain
   * was ready: started as soon as it is.
   */
  pendingRun: 'run' | 'step' | null;
  /** The view a link asked for, taken by the next run: its pass and panel shown once it is there. */
  linkView: LinkView | null;
  held: HeldRun | null;
}

export type ThemePreference = 'system' | 'light' | 'dark';

/** One parameter of the sweep form, as typed (a value that does not parse stays, with a message). */
export interface SweepForm {
  param: SweepAxis;
  from: string;
  to: string;
  steps: string;
}

/** One parameter of a sweep as asked for, in the form's words (what a link to the view holds). */
export interface SweepAxisRequest {
  param: SweepAxis;
  from: string;
  to: string;
  steps: number;
}

/** A sweep as asked for: its parameter, and for a phase map the second (its rows). */
export interface SweepRequest extends SweepAxisRequest {
  second: SweepAxisRequest | null;
}

export interface SweepRun {
  id: number;
  /** The scenario swept (the swept parameters aside), and its permalink. */
  scenario: Scenario;
  hash: string | null;
  request: SweepRequest;
  param: SweepAxis;
  /** The second parameter of a phase map (its rows), or null for a one-parameter sweep. */
  param2: SweepAxis | null;
  /** Each step's value (in a map: each column's), in step order. */
  values: SweepValue[];
  /** In a map, each row's value of the second parameter; else null. */
  values2: SweepValue[] | null;
  /** Each step's (each cell's, row by row) whole scenario: what a cell opens. */
  scenarios: Scenario[];
  /** Each step's result as it arrives (undefined: not yet). */
  results: Array<SweepStepResult | undefined>;
  status: 'running' | 'done' | 'stopped' | 'failed';
  record: SweepRecord | null;
  error: string | null;
  /** Why it stopped when it was not Stop sweep: "the scenario changed (strategy)". */
  stopReason: string | null;
}

export interface SweepSlice {
  form: SweepForm;
  /** The second parameter of a phase map, or null for a one-parameter sweep. */
  second: SweepForm | null;
  /** Why the form cannot be swept (the schema's words), or null. */
  formError: string | null;
  run: SweepRun | null;
}

/** Runs a sweep's steps on workers of its own (src/worker/sweep-pool.ts), injected. */
export interface Sweeper {
  run(
    plan: SweepPlan,
    hooks: { onStep(result: SweepStepResult): void; signal: AbortSignal },
  ): Promise<SweepRecord>;
}

/**
 * Runs scenarios on workers apart from the main one, in the background
 * (src/worker/sweep-pool.ts): each scenario's outcome or error as it
 * arrives; rejects (RunCancelledError) when `signal` aborts.
 */
export interface ScenarioTrier {
  run(
    scenarios: Scenario[],
    hooks: {
      onResult(index: number, result: SweepStepResult): void;
      onError(index: number, message: string): void;
      signal: AbortSignal;
    },
  ): Promise<void>;
}

/** Diagnoses inputs in a worker (src/worker/diagnose-client.ts); rejects with the engine's message. */
export interface Diagnoser {
  diagnose(
    inputs: DiagnoseInputSpec[],
    options: DiagnoseOptions,
    hooks: { onProgress(progress: DiagnoseProgress): void; signal: AbortSignal },
  ): Promise<Diagnosis>;
}

/** The sweep form's fields: the first parameter's, and the second's (a phase map). */
export type SweepFormField = 'from' | 'to' | 'steps' | 'from2' | 'to2' | 'steps2';

export interface PassSort {
  column: PassColumn;
  direction: 'ascending' | 'descending';
}

export interface PreferencesSlice {
  theme: ThemePreference;
  /** What the system asks for, for `theme: 'system'`. */
  systemDark: boolean;
  /** The pass the maps and panels show (null: the latest). */
  chosenPass: number | null;
  sort: PassSort;
  /** A panel to bring into view (a link's view, once its run is there); the nonce repeats a request. */
  focus: { panel: ViewPanel; nonce: number } | null;
}

/** What a shared link holds: the scenario, or the scenario and what is on screen. */
export type ShareKind = 'scenario' | 'view';

export type ShareState =
  | { state: 'idle' }
  | { state: 'copied'; kind: ShareKind; url: string }
  /** The clipboard refused: show the link in a text field to copy by hand. */
  | { state: 'manual'; kind: ShareKind; url: string }
  /** No link can hold this scenario (e.g. a very long custom linker script). */
  | { state: 'failed'; message: string };

export interface AppActions {
  // scenario
  choosePreset(id: string): void;
  setArch(arch: Scenario['arch']): void;
  setStrategy(strategy: Scenario['strategy']): void;
  setGeneration(generation: Scenario['generation']): void;
  setFlag(flag: ScenarioFlag, value: boolean): void;
  /** Text typed into a field: applied when valid, else kept as a draft with a message. */
  editField(field: DraftField, text: string): void;
  /** From the sliders, which can only give valid values. */
  setGapBytes(bytes: number): void;
  setAlignExponent(exponent: number): void;
  setMaxPasses(passes: number): void;
  /** Back to the template for the current layout. */
  resetLinkerScript(): void;
  /** The committed corpus, or a generated one (the last knobs the form had, else the generator's defaults). */
  setCorpusKind(kind: CorpusKind): void;
  /** Every knob of the generated corpus back to the generator's default. */
  resetCorpusKnobs(): void;
  dismissPermalinkError(): void;
  // toolchain
  /** Subscribes to the supervisor, opens the permalink in the hash, starts the toolchain. */
  start(): Promise<void>;
  /** Starts (or retries, after a failure) loading the toolchain; runs a pending Run or Step after. */
  initToolchain(): Promise<void>;
  dismissWorkerLost(): void;
  // runs
  run(): void;
  step(): void;
  stop(): void;
  pin(): void;
  unpin(): void;
  /** Runs what a link asked for and the cost gate held (the reader's own click). */
  runHeld(): void;
  /** Keeps the held link's scenario in the form without running it. */
  dismissHeld(): void;
  // preferences
  setTheme(theme: ThemePreference): void;
  /** Switches to the opposite of what is shown now. */
  toggleTheme(): void;
  setSystemDark(dark: boolean): void;
  choosePass(pass: number | null): void;
  sortBy(column: PassColumn): void;
  // sweeps
  /** Chooses the parameter to sweep, with a starting range for it. */
  setSweepParam(param: SweepAxis): void;
  /** Chooses a second parameter (a phase map), with a starting range for it; null: none. */
  setSweepParam2(param: SweepAxis | null): void;
  editSweepField(field: SweepFormField, text: string): void;
  /** Puts step `index`'s value of a one-parameter sweep into the form's scenario (Run runs it). */
  loadSweepStep(index: number): void;
  /** Opens cell `index` of a phase map: its whole scenario in the form, and runs it. */
  openSweepCell(index: number): void;
  /** Sweeps the current scenario across the form's range (a message instead when it is invalid). */
  startSweep(): void;
  stopSweep(): void;
  // story
  /** Opens chapter `index` of the story: its link (a new history entry), at its pass and panel. */
  openChapter(index: number): void;
  /** Back to the story, at the chapter last read (the first on a first visit). */
  openStory(): void;
  /** The free playground: the story is put away, the scenario stays. */
  leaveStory(): void;
  // alternatives
  /** Tries the alternatives a link's run held for their cost (the reader's own click). */
  tryAlternatives(): void;
  // diagnose
  openDiagnose(): void;
  closeDiagnose(): void;
  /** Puts a file, pasted text or nothing in input `index` (0: the earlier, 1: the later). */
  setDiagnoseSlot(index: 0 | 1, slot: DiagnoseSlot | null): void;
  setDiagnoseOption(option: 'filterLldStubs' | 'allSymbols', value: boolean): void;
  /** Diagnoses the inputs given, in the diagnose worker. */
  startDiagnose(): void;
  cancelDiagnose(): void;
  // share
  /** Copies a link to the scenario, or to the scenario and the view (`panel`: the one in view). */
  share(kind?: ShareKind, panel?: ViewPanel | null): Promise<void>;
  dismissShare(): void;
}

/** The story (src/ui/learn/chapters.ts) being read beside the playground; null: the free playground. */
export interface StorySlice {
  /** Index into CHAPTERS. */
  chapter: number;
}

/** One "what would change it" variant of the run on screen, tried on the sweep pool. */
export interface AlternativeTry {
  id: AlternativeId;
  label: string;
  reason: string;
  scenario: Scenario;
  /** Its permalink (null: too large for one). */
  hash: string | null;
  status: 'waiting' | 'done' | 'failed';
  /** Its real outcome, from a run on a worker of the pool. */
  result: SweepStepResult | null;
  error: string | null;
}

export interface AlternativesSlice {
  /** The run (CurrentRun.id) they are variants of. */
  runId: number;
  /**
   * running: on the pool; done: every one has an outcome; stopped: the
   * scenario changed, another run or a sweep started (`stopReason`);
   * held: a link's run, and trying them would cost more than a link may
   * (`over`), so they wait for a click; failed: the pool failed (`error`).
   */
  status: 'running' | 'done' | 'stopped' | 'held' | 'failed';
  stopReason: string | null;
  over: string[];
  error: string | null;
  items: AlternativeTry[];
}

/** One input of a diagnosis: a file dropped or picked, or text pasted. */
export type DiagnoseSlot =
  { kind: 'file'; name: string; size: number; file: Blob } | { kind: 'text'; text: string };

export interface DiagnoseState {
  /** The "Diagnose your build" page is shown instead of the playground. */
  open: boolean;
  /** The first (earlier: the last trial image) and the second (later: vmlinux) input. */
  slots: [DiagnoseSlot | null, DiagnoseSlot | null];
  options: { filterLldStubs: boolean; allSymbols: boolean };
  status: 'idle' | 'running' | 'done' | 'failed' | 'cancelled';
  progress: DiagnoseProgress | null;
  result: Diagnosis | null;
  /** The inputs' names the result (or error) is for. */
  resultFor: string[];
  error: string | null;
}

/** What the diagnose worker is given for one input. */
export type DiagnoseInputSpec = { name: string; blob: Blob } | { name: string; text: string };

export interface AppState extends ScenarioSlice, RunsSlice {
  toolchain: ToolchainSlice;
  prefs: PreferencesSlice;
  share: ShareState;
  sweep: SweepSlice;
  story: StorySlice | null;
  alternatives: AlternativesSlice | null;
  diagnose: DiagnoseState;
  actions: AppActions;
}

/** The permalink codec (src/toolchain/scenario/permalink-view.ts), injected. */
export interface PermalinkCodec {
  /** Throws when the scenario is too large for a link. */
  encode(scenario: Scenario, view?: LinkView | null): string;
  decode(hash: string): LinkDecodeResult;
}

/** What the store needs from the page it lives in. */
export interface AppEnvironment {
  /**
   * The URL hash as location.hash gives it ('#…', or '' when none): passed to
   * the codec as is, so that the page refuses exactly what the codec refuses.
   */
  readHash(): string;
  /** Replaces the hash without a history entry (history.replaceState); '' removes it. */
  replaceHash(hash: string): void;
  /** Writes the hash as a new history entry (history.pushState), so that Back returns to the one before. */
  pushHash(hash: string): void;
  /**
   * Calls `listener` when the hash changes by navigation (a link pasted into
   * the address bar, Back, Forward), never for the page's own writes.
   * Returns an unsubscribe function.
   */
  watchHash(listener: () => void): () => void;
  /** location.origin + location.pathname */
  pageUrl(): string;
  /** Rejects when the clipboard is not available or refuses. */
  copyText(text: string): Promise<void>;
  loadTheme(): ThemePreference | null;
  saveTheme(theme: ThemePreference): void;
  prefersDark(): boolean;
  /** Calls `listener` when the system's colour scheme changes; returns an unsubscribe function. */
  watchPrefersDark(listener: (dark: boolean) => void): () => void;
  /**
   * The chapter of the story the current history entry was read in (its id),
   * or null: so that Back, Forward and a reload come back to the story, and
   * a link pasted or opened (an entry without one) opens the playground.
   */
  readStoryMark(): string | null;
  /**
   * Marks every entry written from now on with the chapter read (null: none),
   * and the current entry too when `current` (a chapter opened in its place,
   * the story left).
   */
  setStoryMark(chapter: string | null, current: boolean): void;
  /**
   * The reader's place in the story, kept across visits: null when this
   * browser never opened the page before (a first visit opens the story).
   */
  loadStoryPlace(): { chapter: string | null } | null;
  saveStoryPlace(chapter: string | null): void;
}

export interface AppDeps {
  supervisor: ToolchainSupervisor;
  env: AppEnvironment;
  codec: PermalinkCodec;
  sweeper: Sweeper;
  /** Runs the alternatives of a verdict on workers of their own (the sweep pool's kind). */
  trier: ScenarioTrier;
  /**
   * How long a verdict stays on screen before its alternatives start (0:
   * at once). A reader who presses Run again within it never shares the
   * machine with them, nor pays for workers started only to be stopped.
   */
  alternativesDelayMs?: number;
  /** Diagnoses the reader's own build in a worker. */
  diagnoser: Diagnoser;
  /** The preset shown when there is no (valid) permalink. */
  defaultPresetId?: string;
}
