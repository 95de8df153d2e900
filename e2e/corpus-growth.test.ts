/**
 * The corpus section and the growth ratio (issue 13, points 2 and 3 of the
 * page), in Chromium against the built site: a generated corpus's knob is a
 * field that refuses a bad value in words and keeps it, a good one goes into
 * the link (a fresh tab opening the link shows it), and a run shows the
 * worker making the corpus. Each trial shows its growth ratio beside its
 * prediction, the same numbers the CLI prints for the same scenario (run
 * in-process with the same WebAssembly toolchain).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { describeGrowth } from '../src/toolchain/kbuild/growth-words.ts';
import type { RunRecord } from '../src/toolchain/kbuild/records.ts';
import { PASS_COLUMNS } from '../src/ui/pass-columns.ts';
import {
  baseUrl,
  launchProfile,
  readPassTable,
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

/** `kallsyms-lab run ARGS --json`, in this process; the record it prints. */
async function cli(args: string[]): Promise<RunRecord> {
  let stdout = '';
  let stderr = '';
  const status = await main(['run', ...args, '--json'], {
    stdout: (text) => {
      stdout += typeof text === 'string' ? text : new TextDecoder().decode(text);
    },
    stderr: (text) => {
      stderr += text;
    },
    readInput: () => Promise.reject(new Error('no input in this test')),
  });
  expect(status, stderr).toBeLessThan(2);
  return JSON.parse(stdout) as RunRecord;
}

const knob = (p: Page, key: string) => p.getByLabel(key, { exact: true });

describe('the corpus section', () => {
  it('refuses a bad knob in words, keeps a good one in the link, and shows the worker making it', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('pinned-oscillates');
    expect(await page.getByLabel('Which corpus', { exact: true }).inputValue()).toBe('generated');
    expect(await knob(page, 'pinned').inputValue()).toBe('400');
    const before = page.url();

    await knob(page, 'nameLength').fill('long');
    await page.getByText('Enter a whole number from 0 to 100, not "long".').waitFor();
    expect(await knob(page, 'nameLength').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(before);
    await knob(page, 'nameLength').fill('5');
    await expect.poll(() => knob(page, 'nameLength').getAttribute('aria-invalid')).toBe('true');
    expect(page.url()).toBe(before);

    await knob(page, 'nameLength').fill('12');
    await expect.poll(() => page.url()).not.toBe(before);
    expect(await knob(page, 'nameLength').getAttribute('aria-invalid')).toBeNull();
    const link = page.url();
    // The link holds the knob: a fresh tab opened at it shows it.
    const other = await profile.newPage();
    await other.page.goto(link);
    await expect.poll(() => knob(other.page, 'nameLength').inputValue()).toBe('12');
    expect(await other.page.getByLabel('Which corpus', { exact: true }).inputValue()).toBe(
      'generated',
    );
    await other.page.close();

    // The worker makes the corpus before the first link, and the banner says so.
    await page.evaluate(() => {
      const w = window as unknown as { __banner: string[] };
      w.__banner = [];
      const banner = document.getElementById('panel-verdict')!;
      new MutationObserver(() => w.__banner.push(banner.innerText)).observe(banner, {
        subtree: true,
        childList: true,
        characterData: true,
      });
    });
    await expect.poll(() => runButton(page).isEnabled()).toBe(true);
    await runButton(page).click();
    await waitForVerdict(page);
    const seen = await page.evaluate(() => (window as unknown as { __banner: string[] }).__banner);
    expect(
      seen.some((t) => /^Running: (making|made) the generated corpus in the worker/.test(t)),
    ).toBe(true);
    await page.screenshot({ path: screenshotPath('corpus-section.png'), fullPage: true });
    expect(watched.errors).toEqual([]);
  });

  it('is refused in Run’s words when the knobs ask for more than the page runs', async () => {
    await knob(page, 'pinned').fill('0');
    await knob(page, 'symbols').fill('400000');
    await knob(page, 'initFunctions').fill('100000');
    await knob(page, 'callsPerInit').fill('8');
    await expect
      .poll(() => page.locator('.corpus-cost').innerText())
      .toMatch(/^Not run: this scenario asks for .*init→core calls/);
    await page.getByRole('button', { name: /Reset the knobs/ }).click();
    await expect
      .poll(() => page.locator('.corpus-cost').innerText())
      .toMatch(/^150,000 functions and [\d,]+ init→core calls, made in the worker/);
    // The knobs fit a 390 px phone: one to a row, nothing wider than the screen.
    await page.setViewportSize({ width: 390, height: 844 });
    // The page lays itself out for the new width before it is measured.
    await expect
      .poll(() => page.evaluate(() => document.documentElement.clientWidth))
      .toBeLessThanOrEqual(390);
    const fit = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      client: document.documentElement.clientWidth,
      right: document.querySelector('.corpus-fields')!.getBoundingClientRect().right,
    }));
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('corpus-section-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});

describe('the growth ratio of each pass', () => {
  it('shows what the CLI measures, beside its prediction, in the table and the step box', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('pinned-oscillates');
    await expect.poll(() => runButton(page).isEnabled()).toBe(true);
    await runButton(page).click();
    expect(await waitForVerdict(page)).toMatch(/^Oscillating with period 2 after 4 trial links/);
    const record = await cli(['--preset', 'pinned-oscillates']);
    const rows = await readPassTable(page);
    const growthColumns = PASS_COLUMNS.filter((c) =>
      ['bytesPerStub', 'targetSpacing', 'growthRatio', 'prediction'].includes(c.column),
    );
    expect(rows.map((row) => growthColumns.map((c) => row[c.title]))).toEqual(
      record.passes.map((p) =>
        growthColumns.map((c) => {
          const v = c.value(p);
          return v === null ? '–' : String(v);
        }),
      ),
    );
    // The pinned layout: a stub-free table after the first, then a cycle the ratio predicts.
    expect(rows.map((row) => row.Predicts)).toEqual(['dies out', 'cycles', 'cycles', 'cycles']);
    // The step box says it in a sentence, for the pass chosen in the table.
    await page.getByTitle('Show trial link 2 in the panels below').click();
    await expect
      .poll(() => page.locator('#panel-growth').innerText())
      .toBe(`Growth ratio: ${describeGrowth(record.passes[1].growth!)}`);
    expect(watched.errors).toEqual([]);
  });
});
