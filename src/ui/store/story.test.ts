/**
 * The story (issue 11, point 1): a first visit with no link opens chapter 1,
 * a returning reader and any link get the playground; each chapter is its
 * link, opened at its pass with its panel in view; the history entries read
 * in the story bring the story back on Back, Forward and reload, and a link
 * pasted into the tab leaves it.
 */
import { describe, expect, it } from 'vitest';
import { CHAPTERS, chapterScenario, chapterView } from '../learn/chapters.ts';
import { findPreset } from '../../toolchain/scenario/presets.ts';
import { fakeCodec, makePass, makeRecord } from './testing/fakes.ts';
import { setup, tick } from './testing/setup.ts';

const chapterLink = (i: number) =>
  fakeCodec.encode(chapterScenario(CHAPTERS[i]), chapterView(CHAPTERS[i]));
const converged = (passes: number) =>
  ({ kind: 'converged', passes, summary: `Converged after ${passes} trial links` }) as const;
const done = (trials: number) =>
  makeRecord(
    [
      ...Array.from({ length: trials }, (_, i) => makePass(i + 1)),
      makePass(trials + 1, { step: 'vmlinux' }),
    ],
    converged(trials),
  );

/** The page as a first-time reader opens it: nothing stored, no link. */
function firstVisit(hash = '') {
  return setup(hash, (page) => {
    page.storyPlace = null;
  });
}

describe('where the page opens', () => {
  it('a first visit with no link opens chapter 1: its link in the address bar, run once ready, at its pass', async () => {
    const { get, actions, page, supervisor } = firstVisit();
    const started = actions.start();
    expect(get().story).toEqual({ chapter: 0 });
    expect(get().scenario).toEqual(chapterScenario(CHAPTERS[0]));
    // The address as opened becomes the chapter's link: no entry before it to go Back to.
    expect(page.history).toEqual([chapterLink(0)]);
    expect(page.marks).toEqual([CHAPTERS[0].id]);
    expect(page.storyPlace).toEqual({ chapter: CHAPTERS[0].id });
    await supervisor.finishInit();
    await started;
    expect(supervisor.runs).toHaveLength(1);
    supervisor.runs[0].resolve(done(2));
    await tick();
    expect(get().prefs.chosenPass).toBe(1);
    expect(get().prefs.focus?.panel).toBe(CHAPTERS[0].panel);
    expect(get().current?.origin).toBe('link');
  });

  it('a returning reader gets the playground, the default preset, not run', async () => {
    const { get, actions, supervisor } = setup();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    expect(get().story).toBeNull();
    expect(get().presetId).toBe('small-converges');
    expect(supervisor.runs).toHaveLength(0);
  });

  it('a link always wins, even on a first visit; and that visit counts', async () => {
    const linked = findPreset('lld-today')!.scenario;
    const { get, actions, page } = firstVisit(fakeCodec.encode(linked));
    void actions.start();
    expect(get().story).toBeNull();
    expect(get().scenario).toEqual(linked);
    expect(page.storyPlace).toEqual({ chapter: null });
  });
});

describe('reading the story', () => {
  it('Next and Previous open each chapter as a new entry; Back and Forward come back to the story', async () => {
    const { get, actions, page, supervisor } = firstVisit();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    actions.openChapter(2);
    expect(get().story).toEqual({ chapter: 2 });
    expect(get().scenario).toEqual(chapterScenario(CHAPTERS[2]));
    expect(page.hash).toBe(chapterLink(2));
    actions.openChapter(3);
    expect(page.history).toEqual([chapterLink(0), chapterLink(2), chapterLink(3)]);
    page.back();
    expect(get().story).toEqual({ chapter: 2 });
    expect(get().scenario).toEqual(chapterScenario(CHAPTERS[2]));
    page.forward();
    expect(get().story).toEqual({ chapter: 3 });
    // Out of range: the nearest chapter.
    actions.openChapter(99);
    expect(get().story).toEqual({ chapter: CHAPTERS.length - 1 });
  });

  it('the reader’s own changes stay in the story: their entries are marked, Back returns to the chapter', async () => {
    const { get, actions, page, supervisor } = firstVisit();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    actions.openChapter(3); // the 2020 report: "turn on KALLSYMS_EXTRA_PASS"
    actions.setFlag('extraPass', true);
    expect(get().story).toEqual({ chapter: 3 });
    expect(page.marks.at(-1)).toBe(CHAPTERS[3].id);
    page.back();
    expect(get().story).toEqual({ chapter: 3 });
    expect(get().scenario.extraPass).toBe(false);
  });

  it('a link pasted into the tab opens the playground; Back returns to the story', async () => {
    const { get, actions, page, supervisor } = firstVisit();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    actions.openChapter(1);
    page.navigate(fakeCodec.encode(findPreset('lld-today')!.scenario));
    expect(get().story).toBeNull();
    page.back();
    expect(get().story).toEqual({ chapter: 1 });
  });

  it('a reload while reading comes back to the chapter the entry was read in', () => {
    const { get, actions } = setup(chapterLink(4), (page) => {
      page.marks[0] = CHAPTERS[4].id;
    });
    void actions.start();
    expect(get().story).toEqual({ chapter: 4 });
    expect(get().scenario).toEqual(chapterScenario(CHAPTERS[4]));
  });

  it('leaving the story keeps the scenario; the way back opens the chapter last read', async () => {
    const { get, actions, page, supervisor } = firstVisit();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    actions.openChapter(5);
    actions.leaveStory();
    expect(get().story).toBeNull();
    expect(get().scenario).toEqual(chapterScenario(CHAPTERS[5]));
    expect(page.marks[page.at]).toBeNull();
    actions.choosePreset('powerpc-2020');
    expect(page.marks[page.at]).toBeNull();
    actions.openStory();
    expect(get().story).toEqual({ chapter: 5 });
    expect(page.hash).toBe(chapterLink(5));
  });

  it('a chapter on the scenario whose run is on screen shows its pass and panel without linking again', async () => {
    const { get, actions, supervisor } = firstVisit();
    const started = actions.start();
    await supervisor.finishInit();
    await started;
    supervisor.runs[0].resolve(done(2));
    await tick();
    // Chapter 2 is chapter 1's scenario at trial link 2, with the table in view.
    actions.openChapter(1);
    expect(supervisor.runs).toHaveLength(1);
    expect(get().prefs.chosenPass).toBe(2);
    expect(get().prefs.focus?.panel).toBe('table');
  });
});
