/**
 * The story: chapters read beside the playground (src/ui/learn/chapters.ts).
 * A chapter is a link to a view, opened as links are (links-slice.ts): its
 * scenario, run under the cost rule, shown at its pass with its panel.
 *
 * Where the page opens: on the first chapter for a first visit (no place in
 * the story stored, no link), on the free playground after that, and at any
 * link (a link always wins). The chapter being read marks the history entries
 * written while reading it (AppEnvironment.setStoryMark), so that Back,
 * Forward and a reload come back to the story, and a link pasted into the
 * tab, which has no mark, opens the playground.
 */
import { CHAPTERS, chapterScenario, chapterView } from '../learn/chapters.ts';
import type { LinkInternals } from './links-slice.ts';
import type { AppActions, AppDeps, AppState } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

const chapterIndex = (id: string | null | undefined) =>
  id ? CHAPTERS.findIndex((c) => c.id === id) : -1;

export interface StoryInternals {
  /**
   * At start, instead of the URL: opens the first chapter when this is a
   * first visit and the address holds no link. True when it did.
   */
  openFirstVisit(): boolean;
  /** After the URL was opened (at start, or a navigation): the story its history entry was read in. */
  followEntry(): void;
}

export function storyActions(
  set: Set,
  get: Get,
  deps: AppDeps,
  links: Pick<LinkInternals, 'openScenario'>,
): Pick<AppActions, 'openChapter' | 'openStory' | 'leaveStory'> & StoryInternals {
  function open(index: number, history: 'push' | 'replace') {
    const at = Math.max(0, Math.min(CHAPTERS.length - 1, Math.trunc(index)));
    const chapter = CHAPTERS[at];
    deps.env.setStoryMark(chapter.id, history === 'replace');
    deps.env.saveStoryPlace(chapter.id);
    if (get().story?.chapter !== at) set({ story: { chapter: at } });
    links.openScenario(chapterScenario(chapter), chapterView(chapter), history);
  }

  return {
    openChapter(index) {
      open(index, 'push');
    },
    openStory() {
      const place = chapterIndex(deps.env.loadStoryPlace()?.chapter);
      open(place < 0 ? 0 : place, 'push');
    },
    leaveStory() {
      if (get().story === null) return;
      deps.env.setStoryMark(null, true);
      set({ story: null });
    },
    openFirstVisit() {
      // Any first opening counts as the first visit, a link's too: the next visit is not one.
      const first = deps.env.loadStoryPlace() === null;
      if (first) deps.env.saveStoryPlace(null);
      const hash = deps.env.readHash();
      if (!first || (hash !== '' && hash !== '#')) return false;
      // The address bar as opened (no hash) becomes the first chapter's link: no entry before it.
      open(0, 'replace');
      return true;
    },
    followEntry() {
      const at = chapterIndex(deps.env.readStoryMark());
      if (at < 0) {
        if (get().story !== null) set({ story: null });
      } else if (get().story?.chapter !== at) set({ story: { chapter: at } });
    },
  };
}
