/**
 * The page on a 390 px phone (issue 9, point 6), in Chromium with touch
 * emulated: after a run of every preset with every panel open (the pinned
 * comparison, the stubs' lists, the farthest calls, the sweep and its
 * steps), in the light and the dark theme, nothing is wider than the
 * viewport: not the document (scrollWidth), and no element's box, unless
 * it sits inside a box of its own that scrolls (a table). Hints about keys
 * are not shown on a touch screen. A sweep's mark loads its value when tapped.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';
import {
  baseUrl,
  launchProfile,
  runButton,
  waitForToolchain,
  waitForVerdict,
  type Profile,
  type WatchedPage,
} from './browser.ts';
import { screenshotPath } from './timings.ts';

const WIDTH = 390;

let profile: Profile;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  profile = await launchProfile({ viewport: { width: WIDTH, height: 844 }, touch: true });
  watched = await profile.newPage();
  page = watched.page;
  await page.goto(baseUrl());
  await waitForToolchain(page);
});

afterAll(async () => {
  await profile?.close();
});

interface Overflow {
  scrollWidth: number;
  clientWidth: number;
  /** Elements whose box leaves the viewport without a scrolling box of their own around them. */
  outside: string[];
}

/**
 * Measured in the page: the document's width, and every element's box
 * (SVG text and shapes included) against the viewport. An element inside a
 * box that clips or scrolls sideways (overflow-x not visible) is judged by
 * that box instead, which is measured too.
 */
function measureOverflow(): Promise<Overflow> {
  return page.evaluate(() => {
    const root = document.documentElement;
    const width = root.clientWidth;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible') return true;
      return false;
    };
    const outside: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const box = el.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left >= -0.5 && box.right <= width + 0.5) continue;
      if (clipped(el)) continue;
      const name = el.getAttribute('class') ?? '';
      const text = (el.textContent ?? '').trim().slice(0, 50);
      outside.push(
        `<${el.tagName.toLowerCase()} class="${name}"> "${text}" at ${Math.round(box.left)}…${Math.round(box.right)}`,
      );
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, outside };
  });
}

async function expectToFit(what: string) {
  const overflow = await measureOverflow();
  expect(overflow.clientWidth, what).toBe(WIDTH);
  expect(overflow.outside, `${what}: elements outside the viewport`).toEqual([]);
  expect(overflow.scrollWidth, `${what}: the document's width`).toBeLessThanOrEqual(WIDTH);
}

/** Opens every panel that opens: <details>, "Show all" lists. */
async function openEveryPanel() {
  // One at a time: each opened one leaves the list (`.all()` would index a list that shrinks).
  const closed = page.locator('details:not([open]) > summary');
  for (let left = await closed.count(); left > 0; left = await closed.count())
    await closed.first().click();
  // The same for the buttons that open a list, asked afresh each time: an opened one leaves
  // the set. The views draw deferred values, so on a loaded machine one can draw late, after
  // the taps seemed done, and add a button, or draw its list anew under a tap (the button
  // detached, the tap lost): the taps go on until none is left, and a button that no tap
  // opens still fails. The Share menu is a menu, not a panel: open, it would take the next tap.
  const collapsed = page.locator('button[aria-expanded="false"]:not(.share *)');
  let noneBefore = false;
  await expect
    .poll(
      async () => {
        for (let taps = 0; taps < 50 && (await collapsed.count()) > 0; taps++)
          await collapsed
            .first()
            .click({ timeout: 5_000 })
            .catch(() => {}); // drawn anew under the tap: asked afresh
        const left = await collapsed.count();
        // Done when none is left at two looks in a row: no view drew one late in between.
        const done = left === 0 && noneBefore;
        noneBefore = left === 0;
        return done ? 0 : Math.max(left, 1);
      },
      { message: 'a button stayed collapsed after every tap', timeout: 60_000, interval: 250 },
    )
    .toBe(0);
}

/**
 * The whole page as the phone shows it: the viewport made as tall as the page
 * (a fullPage capture drops the touch emulation while it captures, so the
 * key hints would show in it although the phone hides them).
 */
async function screenshotWhole(name: string) {
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.setViewportSize({ width: WIDTH, height });
  await page.screenshot({ path: screenshotPath(name) });
  await page.setViewportSize({ width: WIDTH, height: 844 });
}

async function setTheme(theme: 'light' | 'dark') {
  const toggle = page.getByRole('button', { name: 'Dark theme', exact: true });
  if ((await toggle.getAttribute('aria-pressed')) !== String(theme === 'dark'))
    await toggle.click();
  await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
}

describe('the page on a 390 px phone', () => {
  it('fits before any run, and hides the hints about keys on a touch screen', async () => {
    expect(await page.evaluate(() => matchMedia('(pointer: coarse)').matches)).toBe(true);
    await expectToFit('at load');
    expect(await page.getByText('Ctrl+Enter runs.').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).isVisible()).toBe(
      false,
    );
  });

  for (const preset of PRESETS) {
    it(`fits after a run of ${preset.id}, every panel open, light and dark`, async () => {
      await setTheme('light');
      await page.getByLabel('Preset', { exact: true }).selectOption(preset.id);
      await runButton(page).click();
      const said = await waitForVerdict(page, 300_000);
      expect(said).toMatch(/^(Converged|Inconsistent|Not converged|Oscillating)/);
      // The first run is pinned: every later one shows the comparison and the dashed series.
      const pin = page.getByRole('button', { name: 'Pin', exact: true });
      if (preset === PRESETS[0]) await pin.click();
      await openEveryPanel();
      // The views draw once their chunk is in.
      await page.locator('.kv-layout svg').first().waitFor();
      await expectToFit(`${preset.id}, light`);
      await screenshotWhole(`phone-390-${preset.id}-light.png`);
      await setTheme('dark');
      await expectToFit(`${preset.id}, dark`);
      await screenshotWhole(`phone-390-${preset.id}-dark.png`);
    });
  }

  it('fits after a sweep, its steps open, light and dark; a tapped mark loads its value', async () => {
    await setTheme('light');
    await page.getByLabel('Preset', { exact: true }).selectOption('powerpc-2020');
    const sweep = page.getByRole('region', { name: 'Sweep a parameter' });
    await sweep.getByLabel('Parameter').selectOption('gap');
    // Steps of 1/16 MiB (31.5, 31.5625, …): the axis should not print them.
    await sweep.getByLabel('From', { exact: true }).fill('31.5');
    await sweep.getByLabel('To', { exact: true }).fill('32');
    await sweep.getByLabel('Steps', { exact: true }).fill('9');
    await sweep.getByRole('button', { name: 'Sweep', exact: true }).click();
    await sweep.getByText(/^Swept 9 steps/).waitFor({ timeout: 300_000 });
    await openEveryPanel();
    // Round ticks on the axis, not the steps' own values.
    const ticks = await sweep
      .locator('text.recharts-cartesian-axis-tick-value[orientation="bottom"]')
      .allTextContents();
    expect(ticks.map((t) => t.trim())).toEqual(['31.5', '31.6', '31.7', '31.8', '31.9', '32']);
    // The legend draws each verdict with the chart's own mark (an inconsistent step is a +).
    for (const verdict of ['converged', 'inconsistent']) {
      const legend = await sweep
        .locator(`.kv-legend-item[data-verdict="${verdict}"] path`)
        .getAttribute('d');
      const marks = await sweep
        .locator(`.kv-sweep-mark[aria-label*=": ${verdict},"] path.recharts-symbols`)
        .first()
        .getAttribute('d');
      expect(legend, verdict).toBe(marks);
    }
    await expectToFit('sweep, light');
    await screenshotWhole('phone-390-sweep-light.png');
    await setTheme('dark');
    await expectToFit('sweep, dark');
    await screenshotWhole('phone-390-sweep-dark.png');

    // A tap on the mark of 31.75 MiB (step 4 of 0…8) puts it in the scenario.
    await sweep.locator('[data-sweep-index="4"]').tap();
    await expect
      .poll(() => page.getByLabel('Gap (MiB)', { exact: true }).inputValue())
      .toBe('31.75');
    expect(await sweep.locator('[data-sweep-index="4"]').getAttribute('aria-current')).toBe('true');
    expect(watched.errors).toEqual([]);
  });
});
