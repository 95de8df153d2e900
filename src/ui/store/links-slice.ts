/**
 * Links are the state: the address bar follows the scenario (and the view,
 * when asked), and what the address bar says is loaded, whether the page
 * opened with it, it was pasted into an open tab, or Back/Forward reached it.
 *
 * History: a preset or a choice (a select, a checkbox) adds an entry;
 * typing or dragging in one field adds one entry for the whole edit (the
 * rest replace it); a scenario that came from the URL writes nothing. A view
 * is in the address bar only after a link to a view was opened or copied
 * (it stays the link that was opened or shared until the scenario changes).
 */
import type { Scenario } from '../../toolchain/scenario/schema.ts';
import { sameValue } from '../format.ts';
import type { RunsInternals } from './runs-slice.ts';
import { closestPreset, defaultPreset } from './scenario-slice.ts';
import { sweepChanges } from './sweep-slice.ts';
import { describeError } from './toolchain-slice.ts';
import type { AppActions, AppDeps, AppState, LinkView, ShareKind, ViewPanel } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

/**
 * The address of the reader's own build (the "Your own build" page): a word,
 * not a scenario, so that Back and Forward leave and reach it like the other
 * modes. The files the reader gives stay in the page, never in a link.
 */
export const OWN_BUILD_HASH = 'own-build';

export interface LinkInternals {
  /** Loads the scenario (and view) the URL holds: at start, and on every navigation. */
  openUrl(origin: 'start' | 'navigate'): void;
  /** Keeps the address bar with the scenario; called on every state change. */
  followState(state: AppState, previous: AppState): void;
  /** Gives the reader's own build its entry when the reader opens it, and leaves it when closed. */
  followOwnBuild(state: AppState, previous: AppState): void;
  /**
   * Opens a link the page makes itself (a chapter of the story): writes it
   * to the address bar (a new entry, or in place of the current one) and
   * loads it as any link is loaded: its scenario, run under the cost rule,
   * shown at its view.
   */
  openScenario(scenario: Scenario, view: LinkView | null, history: 'push' | 'replace'): void;
}

export function linkActions(
  set: Set,
  get: Get,
  deps: AppDeps,
  runs: RunsInternals,
): Pick<AppActions, 'share' | 'dismissShare'> & LinkInternals {
  /** The address bar holds a link that did not open: the next write replaces it. */
  let urlBroken = false;
  /** The address bar holds a view (a view link opened or copied). */
  let urlHasView = false;
  /** openUrl is loading what the address bar says: nothing it changes is written back. */
  let navigating = false;

  const setOwnBuildOpen = (open: boolean) => {
    if (get().diagnose.open === open) return;
    navigating = true;
    try {
      set((s) => ({ diagnose: { ...s.diagnose, open } }));
    } finally {
      navigating = false;
    }
  };

  const encode = (view?: LinkView | null) => {
    try {
      return deps.codec.encode(get().scenario, view);
    } catch {
      // Too large for a link: better no hash than one that opens something else.
      return '';
    }
  };

  /** What is on screen, as a link's view; the panel is the page's to say. */
  function currentView(panel: ViewPanel | null): LinkView {
    const s = get();
    const chosen = s.prefs.chosenPass;
    const pass = chosen === null ? null : s.current?.passes.find((p) => p.pass === chosen);
    const run = s.sweep.run;
    // The sweep on screen, unless it is out of date (another scenario, the swept values aside).
    const shown = run && sweepChanges(run, s.scenario).length === 0 ? run.request : null;
    return {
      pass: pass ? (pass.step === 'vmlinux' ? 'vmlinux' : pass.pass) : null,
      panel,
      pin: s.pinned?.scenario ?? null,
      sweep: shown && { param: shown.param, from: shown.from, to: shown.to, steps: shown.steps },
      // A phase map's second parameter (view format 2); absent otherwise.
      ...(shown?.second ? { sweep2: { ...shown.second } } : {}),
    };
  }

  /** A link's scenario in the form (never called a change the reader made), run at its view. */
  function load(scenario: Scenario, view: LinkView | null, viewError: string | null) {
    set({
      scenario,
      presetId: closestPreset(scenario),
      drafts: {},
      fieldErrors: {},
      permalinkError: viewError,
      linked: scenario,
      lastChange: { kind: 'link' },
    });
    runs.runLink(view);
  }

  return {
    openUrl(origin) {
      const hash = deps.env.readHash();
      if (hash.replace(/^#/, '') === OWN_BUILD_HASH) {
        setOwnBuildOpen(true);
        return;
      }
      // Any other address is the playground's (or the story's): the reader's own build closes.
      const leftOwnBuild = get().diagnose.open;
      setOwnBuildOpen(false);
      if (hash === '' || hash === '#') {
        if (origin === 'start') return;
        // Back to the page as first opened: the default preset, not run (as when opened so).
        const preset = defaultPreset(deps);
        urlBroken = false;
        urlHasView = false;
        if (sameValue(get().scenario, preset.scenario)) return;
        set({
          scenario: structuredClone(preset.scenario),
          presetId: preset.id,
          drafts: {},
          fieldErrors: {},
          permalinkError: null,
          linked: null,
          lastChange: { kind: 'link' },
        });
        return;
      }
      let decoded: ReturnType<AppDeps['codec']['decode']>;
      try {
        decoded = deps.codec.decode(hash);
      } catch (error) {
        decoded = { ok: false, error: describeError(error) };
      }
      if (!decoded.ok) {
        // Nothing the reader had is lost: the scenario stays as it was.
        urlBroken = true;
        set({ permalinkError: decoded.error });
        return;
      }
      urlBroken = false;
      urlHasView = decoded.view !== null;
      // Back from the own build to the scenario still in the form: the playground as it was left.
      if (leftOwnBuild && decoded.view === null && sameValue(decoded.scenario, get().scenario))
        return;
      load(decoded.scenario, decoded.view, decoded.viewError);
    },

    openScenario(scenario, view, history) {
      let hash: string;
      try {
        hash = deps.codec.encode(scenario, view);
      } catch (error) {
        set({ permalinkError: describeError(error) });
        return;
      }
      if (history === 'push') deps.env.pushHash(hash);
      else deps.env.replaceHash(hash);
      urlBroken = false;
      // The page's own link keeps its entry: the reader's first change after it is a new
      // entry, so that Back returns to the chapter as it opened.
      urlHasView = false;
      load(scenario, view, null);
    },

    followState(state, previous) {
      if (state.scenario !== previous.scenario && state.lastChange.kind !== 'link') {
        const change = state.lastChange;
        const before = previous.lastChange;
        const sameEdit =
          change.kind === 'typing' && before.kind === 'typing' && before.field === change.field;
        const hash = encode();
        if (sameEdit || urlBroken || urlHasView) deps.env.replaceHash(hash);
        else deps.env.pushHash(hash);
        urlBroken = false;
        urlHasView = false;
      }
    },

    followOwnBuild(state, previous) {
      if (navigating || state.diagnose.open === previous.diagnose.open) return;
      const atOwnBuild = deps.env.readHash().replace(/^#/, '') === OWN_BUILD_HASH;
      if (state.diagnose.open && !atOwnBuild) deps.env.pushHash(OWN_BUILD_HASH);
      else if (!state.diagnose.open && atOwnBuild) {
        deps.env.pushHash(encode());
        urlBroken = false;
        urlHasView = false;
      }
    },

    async share(kind: ShareKind = 'scenario', panel: ViewPanel | null = null) {
      let hash: string;
      try {
        hash = deps.codec.encode(get().scenario, kind === 'view' ? currentView(panel) : null);
      } catch (error) {
        set({ share: { state: 'failed', message: describeError(error) } });
        return;
      }
      const url = `${deps.env.pageUrl()}#${hash}`;
      // The address bar shows the link that was shared, even before any edit wrote it.
      deps.env.replaceHash(hash);
      urlBroken = false;
      urlHasView = kind === 'view';
      try {
        await deps.env.copyText(url);
        set({ share: { state: 'copied', kind, url } });
      } catch {
        set({ share: { state: 'manual', kind, url } });
      }
    },

    dismissShare() {
      set({ share: { state: 'idle' } });
    },
  };
}
