/**
 * Learn mode (issue 11, point 1), in Chromium against the built site: a
 * first-time reader (a fresh profile) lands on chapter 1; the whole story is
 * walked by keyboard alone, each chapter opening its own link at its pass
 * with its panel in view; a term gives its definition on keyboard focus and
 * on hover (one glossary); a later visit opens the free playground; and the
 * story fits a 390 px phone.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GLOSSARY } from '../src/ui/learn/glossary.ts';
import { CHAPTERS, chapterHash } from '../src/ui/learn/chapters.ts';
import {
  baseUrl,
  launchProfile,
  waitForToolchain,
  waitForVerdict,
  type Profile,
  type WatchedPage,
} from './browser.ts';
import { screenshotPath } from './timings.ts';

let profile: Profile;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  profile = await launchProfile({ firstVisit: true });
  watched = await profile.newPage();
  page = watched.page;
  await page.goto(baseUrl());
  await waitForToolchain(page);
});

afterAll(async () => {
  await profile?.close();
});

const story = (p: Page = page) => p.locator('#story');
const focusedText = () =>
  page.evaluate(() => (document.activeElement as HTMLElement | null)?.textContent?.trim() ?? '');

/** The chapter's run is there, shown at its pass, with its panel at the top of the window. */
async function expectAtChapter(index: number) {
  const chapter = CHAPTERS[index];
  await expect.poll(() => story().getAttribute('data-chapter')).toBe(chapter.id);
  expect(await story().getByRole('heading', { level: 2 }).innerText()).toBe(chapter.title);
  expect(await page.evaluate(() => location.hash)).toBe(`#${chapterHash(chapter)}`);
  await waitForVerdict(page, 240_000);
  const row = page.getByRole('table', { name: 'Passes' }).locator('tr[aria-current="true"] th');
  await expect
    .poll(() => row.innerText(), { timeout: 240_000 })
    .toBe(chapter.pass === 'vmlinux' ? 'vmlinux' : String(chapter.pass));
  const panel = page.locator(`#panel-${chapter.panel}`);
  await expect
    .poll(() => panel.evaluate((el) => Math.round(el.getBoundingClientRect().top)))
    .toBeGreaterThanOrEqual(0);
  expect(await panel.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);
}

describe('the story', () => {
  it('a first visit opens chapter 1 at its pass and panel, with its sources as plain links', async () => {
    await expectAtChapter(0);
    const links = story().locator('.story-sources a');
    expect(await links.count()).toBe(CHAPTERS[0].links.length);
    for (const [i, link] of CHAPTERS[0].links.entries()) {
      expect(await links.nth(i).getAttribute('href')).toBe(link.href);
      expect(await links.nth(i).getAttribute('target')).toBeNull();
    }
    expect(await page.getByRole('button', { name: 'Learn' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await page.screenshot({ path: screenshotPath('story-first-visit.png') });
  });

  it('is walked by keyboard alone: Tab to Next, then Enter, chapter after chapter', async () => {
    // From the top of the page, Tab until the Next button has the focus.
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    for (let i = 0; i < 80 && !(await focusedText()).startsWith('Next:'); i++)
      await page.keyboard.press('Tab');
    expect(await focusedText()).toBe(`Next: ${CHAPTERS[1].title}`);
    for (let index = 1; index < CHAPTERS.length; index++) {
      await page.keyboard.press('Enter');
      await expectAtChapter(index);
      await story().screenshot({ path: screenshotPath(`story-chapter-${index + 1}.png`) });
      // The focus stays on the button that moves on.
      expect(await focusedText()).toBe(
        index === CHAPTERS.length - 1
          ? 'To the free playground'
          : `Next: ${CHAPTERS[index + 1].title}`,
      );
    }
    expect(watched.errors).toEqual([]);
  }, 900_000);

  it('a term gives its definition on keyboard focus and on hover, from the one glossary', async () => {
    // Back to chapter 3 with the chapter list, by keyboard.
    await story().locator('.story-toc summary').focus();
    await page.keyboard.press('Enter');
    await story().getByRole('button', { name: CHAPTERS[2].title }).focus();
    await page.keyboard.press('Enter');
    await expectAtChapter(2);
    const term = story().locator('button.term[data-term="stub"]').first();
    await term.focus();
    const tipId = await term.getAttribute('aria-describedby');
    const tip = page.locator(`[id="${tipId}"]`);
    await expect.poll(() => tip.isVisible()).toBe(true);
    const stub = GLOSSARY.find((e) => e.term === 'stub')!;
    expect(await tip.innerText()).toBe(`stub: ${stub.definition}`);
    await page.keyboard.press('Escape');
    await expect.poll(() => tip.isVisible()).toBe(false);
    // A panel heading: the chart's "Linker stubs", by hovering.
    const heading = page.locator('#panel-chart .kv-panel-title button.term').first();
    await heading.scrollIntoViewIfNeeded();
    await heading.hover();
    const headingTip = page.locator(`[id="${await heading.getAttribute('aria-describedby')}"]`);
    await expect.poll(() => headingTip.isVisible()).toBe(true);
    expect(await headingTip.innerText()).toBe(`stub: ${stub.definition}`);
    await page.screenshot({ path: screenshotPath('story-term-tip.png') });
  });

  it('a later visit, and the playground button, open the free playground', async () => {
    const again = await profile.newPage();
    try {
      await again.page.goto(baseUrl());
      await waitForToolchain(again.page);
      expect(await again.page.locator('#story').count()).toBe(0);
      expect(await again.page.evaluate(() => location.hash)).toBe('');
      expect(
        await again.page.getByRole('button', { name: 'Playground' }).getAttribute('aria-current'),
      ).toBe('page');
      // Learn brings back the chapter last read.
      await again.page.getByRole('button', { name: 'Learn' }).click();
      await expect.poll(() => story(again.page).getAttribute('data-chapter')).toBe(CHAPTERS[2].id);
      await again.page.getByRole('button', { name: 'Playground' }).click();
      expect(await again.page.locator('#story').count()).toBe(0);
    } finally {
      await again.page.close();
    }
  });

  it('fits a 390 px phone: nothing wider than the screen, chapter text first', async () => {
    const phone = await launchProfile({
      firstVisit: true,
      viewport: { width: 390, height: 844 },
      touch: true,
    });
    try {
      const { page: p } = await phone.newPage();
      await p.goto(baseUrl());
      await expect.poll(() => story(p).getAttribute('data-chapter')).toBe(CHAPTERS[0].id);
      await waitForToolchain(p);
      await waitForVerdict(p, 240_000);
      const width = await p.evaluate(() => document.documentElement.scrollWidth);
      expect(width).toBeLessThanOrEqual(390);
      // The reader is not taken past the chapter to its panel.
      expect(await story(p).evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(844);
      // Read to the end of the chapter: the Next button at the top of the screen.
      await p
        .getByRole('button', { name: /^Next:/ })
        .evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await p.getByRole('button', { name: /^Next:/ }).tap();
      await expect.poll(() => story(p).getAttribute('data-chapter')).toBe(CHAPTERS[1].id);
      // The new chapter starts at its title, below the sticky run controls.
      await expect
        .poll(() => story(p).evaluate((el) => el.getBoundingClientRect().top))
        .toBeGreaterThanOrEqual(0);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await p.screenshot({ path: screenshotPath('story-phone-390.png') });
    } finally {
      await phone.close();
    }
  });
});
