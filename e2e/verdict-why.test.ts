/**
 * Under the verdict (issue 11, point 2), in Chromium against the built site:
 * the kernel's message stays verbatim and is marked as the kernel's; the
 * "why" names the trial link that failed; "what would change it" runs each
 * alternative in the background and shows its outcome in words; opening one
 * (by keyboard) runs that scenario, and its verdict is the outcome shown.
 * And the alternatives belong to their run: a change to the form dims them
 * with the run and stops any still running.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

let profile: Profile;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  profile = await launchProfile();
  watched = await profile.newPage();
  page = watched.page;
  await page.goto(baseUrl());
  await waitForToolchain(page);
});

afterAll(async () => {
  await profile?.close();
});

const why = () => page.locator('#verdict-why');
const alternative = (id: string) => why().locator(`li[data-alternative="${id}"]`);

/** Each alternative's line ("label: outcome") once none is running any more. */
async function outcomes(): Promise<Record<string, string>> {
  await page.waitForFunction(
    () => {
      const items = [...document.querySelectorAll('#verdict-why li[data-alternative]')];
      return items.length > 0 && items.every((li) => !/running…/.test(li.textContent ?? ''));
    },
    null,
    { timeout: 240_000, polling: 100 },
  );
  return why()
    .locator('li[data-alternative]')
    .evaluateAll((items) =>
      Object.fromEntries(
        items.map((li) => [
          li.getAttribute('data-alternative')!,
          (li.querySelector('.alt-head')?.textContent ?? '').replace(/\s+/g, ' ').trim(),
        ]),
      ),
    );
}

describe('why, and what would change it', () => {
  it('the 2020 report: the kernel’s words marked as its own, the why, and each alternative’s real outcome', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('powerpc-2020');
    await runButton(page).click();
    const summary = await waitForVerdict(page);
    expect(summary).toMatch(/^Inconsistent kallsyms data after 3 trial links/);

    const kernel = page.locator('figure.kernel-words');
    expect(await kernel.locator('figcaption').innerText()).toMatch(/kernel’s message, verbatim/);
    expect(await kernel.locator('pre').innerText()).toBe(
      'Inconsistent kallsyms data\nTry "make KALLSYMS_EXTRA_PASS=1" as a workaround',
    );

    const whyText = await why().locator('.why-text').innerText();
    expect(whyText).toMatch(/Trial link 1 was made/);
    expect(whyText).toMatch(/vmlinux, linked with it, does not match trial link 3/);
    // The first differing System.map line the why quotes is the one the check's table shows.
    const firstDiff = await page.locator('table.map-diff tbody tr').first().locator('td').first();
    expect(whyText).toContain(
      `System.map first differs at line ${Number(await firstDiff.innerText()).toLocaleString('en-US')}`,
    );

    const lines = await outcomes();
    expect(lines['extra-pass']).toMatch(
      /^KALLSYMS_EXTRA_PASS=1: still inconsistent after \d trial links$/,
    );
    expect(lines['eight-passes']).toBe('eight passes: converges after 5 trial links');
    expect(lines['filter-lld-stubs']).toMatch(
      /^the ld\.lld stub filter: converges after \d trial links$/,
    );
    await why().screenshot({ path: screenshotPath('verdict-why-2020.png') });
  });

  it('one keypress opens an alternative, and its run ends as the outcome said', async () => {
    const lines = await outcomes();
    const expected = lines['extra-pass'].replace(/^KALLSYMS_EXTRA_PASS=1: still /, '');
    await alternative('extra-pass').getByRole('link').focus();
    await page.keyboard.press('Enter');
    const summary = await waitForVerdict(page);
    // "inconsistent after 4 trial links" → "Inconsistent kallsyms data after 4 trial links".
    expect(summary).toMatch(
      new RegExp(`^Inconsistent kallsyms data ${expected.replace(/^inconsistent /, '')}`),
    );
    expect(await page.getByLabel('KALLSYMS_EXTRA_PASS=1').isChecked()).toBe(true);
    await page.goBack();
    const back = await waitForVerdict(page);
    expect(back).toMatch(/^Inconsistent kallsyms data after 3 trial links/);
    await outcomes();
    await alternative('eight-passes').getByRole('link').click();
    expect(await waitForVerdict(page)).toMatch(/^Converged after 5 trial links/);
  });

  it('belongs to its run: a changed form dims it, and a run in flight for the old scenario stops', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('lld-today');
    await runButton(page).click();
    expect(await waitForVerdict(page)).toMatch(/^Inconsistent kallsyms data/);
    await expect.poll(() => why().locator('li[data-alternative]').count()).toBeGreaterThan(0);
    // Change the scenario while the alternatives are still running.
    await page.getByLabel('Preset', { exact: true }).selectOption('small-converges');
    await expect
      .poll(() => page.locator('.run-results-stale #verdict-why').count(), { timeout: 10_000 })
      .toBe(1);
    const text = await why().innerText();
    if (/running…/.test(text)) throw new Error('alternatives still running after the change');
    // Six real runs on one background worker take longer than the change: they stopped, saying why.
    expect(text).toMatch(/Stopped: the scenario changed \(/);
    expect(text).toMatch(/not tried/);
  });
});
