/**
 * The phase map (issue 13, point 3), in Chromium against the built site: a
 * map of two parameters drawn from the sweep form on the worker pool, every
 * cell coloured by its verdict with its ranges in words per row and column
 * and a table of cells; a cell opened by keyboard puts its scenario in the
 * form and runs to the verdict the cell showed; the map is marked out of
 * date when the scenario changes; too many cells are refused in words; and
 * the map fits a 390 px phone.
 */
import type { Locator, Page } from 'playwright-core';
import { EMPTY_VIEW, encodeLinkHash } from '../src/toolchain/scenario/permalink-view.ts';
import { findPreset } from '../src/toolchain/scenario/presets.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let sweep: Locator;

beforeAll(async () => {
  profile = await launchProfile();
  watched = await profile.newPage();
  page = watched.page;
  await page.goto(baseUrl());
  await waitForToolchain(page);
  sweep = page.getByRole('region', { name: 'Sweep a parameter' });
});

afterAll(async () => {
  await profile?.close();
});

const cells = () => sweep.locator('[role="gridcell"]');

describe('the phase map', () => {
  it('draws gap × max passes on the pool, a colour and a line of words per row and column', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('powerpc-2020');
    await page.getByLabel('Strategy', { exact: true }).selectOption('fixpoint');
    await sweep.getByLabel('Parameter', { exact: true }).selectOption('gap');
    await sweep.getByLabel('From', { exact: true }).fill('31.5');
    await sweep.getByLabel('To', { exact: true }).fill('31.7');
    await sweep.getByLabel('Steps', { exact: true }).fill('3');
    await sweep.getByLabel('Second axis (rows of a map)').selectOption('maxPasses');
    await sweep.getByLabel('From (rows)', { exact: true }).fill('2');
    await sweep.getByLabel('To (rows)', { exact: true }).fill('3');
    await sweep.getByLabel('Rows', { exact: true }).fill('2');
    expect(await sweep.locator('.sweep-cells').innerText()).toBe('6 cells');
    await sweep.getByRole('button', { name: 'Draw map', exact: true }).click();
    await sweep.getByText(/^Swept 6 cells in [\d.]+ s on \d+ workers?/).waitFor({
      timeout: 180_000,
    });

    const grid = sweep.getByRole('grid');
    expect(await grid.getAttribute('aria-label')).toMatch(
      /^Phase map of gap across \(3 columns, 31\.5 MiB to 31\.7 MiB\) by maxPasses down \(2 rows, 2 to 3\): 6 of 6 cells done; /,
    );
    expect(await cells().count()).toBe(6);
    const verdicts = await cells().evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-verdict'), Number(e.getAttribute('data-passes'))]),
    );
    for (const [verdict, passes] of verdicts) {
      expect(verdict).toMatch(/^(converged|inconsistent|not-converged|oscillating|link-failed)$/);
      expect(passes).toBeGreaterThanOrEqual(1);
    }
    // A cell's colour is its verdict's: two cells of different verdicts are drawn differently.
    const colours = await cells().evaluateAll((els) =>
      els.map((e) => [e.getAttribute('data-verdict'), getComputedStyle(e).backgroundColor]),
    );
    const byVerdict = new Map(colours.map(([v, c]) => [v, c]));
    if (byVerdict.size > 1) expect(new Set(byVerdict.values()).size).toBe(byVerdict.size);
    // A cap of 2 trial links cannot converge when the table grows: the row says so in words.
    const rows = await sweep.getByRole('heading', { name: 'Each row: along gap' }).locator('..');
    const rowWords = (await rows.innerText()).split('\n').slice(1);
    expect(rowWords).toHaveLength(2);
    expect(rowWords[0]).toMatch(/^maxPasses 2: gap 31\.5/);
    const columnWords = await sweep
      .getByRole('heading', { name: 'Each column: along maxPasses' })
      .locator('..')
      .innerText();
    expect(columnWords.split('\n').slice(1)).toHaveLength(3);
    // The axis's ticks sit under the columns, not past them.
    const axis = await sweep.evaluate((el) => {
      const cellsBox = [...el.querySelectorAll('[role="gridcell"]')].map((c) =>
        c.getBoundingClientRect(),
      );
      const ticks = [...el.querySelectorAll('.kv-map-xtick')].map((t) => {
        const b = t.getBoundingClientRect();
        return (b.left + b.right) / 2;
      });
      return {
        left: Math.min(...cellsBox.map((b) => b.left)),
        right: Math.max(...cellsBox.map((b) => b.right)),
        ticks,
      };
    });
    expect(axis.ticks.length).toBeGreaterThan(0);
    for (const t of axis.ticks) {
      expect(t).toBeGreaterThanOrEqual(axis.left);
      expect(t).toBeLessThanOrEqual(axis.right);
    }
    // The table of cells says the same as the grid, cell by cell.
    await sweep.getByText('Every cell (6)').click();
    const table = sweep.getByRole('table', { name: /^Phase map cells/ });
    await expect.poll(() => table.locator('tbody tr').count()).toBe(6);
    await page.screenshot({ path: screenshotPath('phase-map-desktop.png'), fullPage: true });
  });

  it('opens a cell by keyboard: its scenario is in the form and runs to the cell’s verdict', async () => {
    await cells().first().click();
    await waitForVerdict(page);
    await cells().first().focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowDown');
    const target = cells().nth(4);
    expect(await target.evaluate((e) => e === document.activeElement)).toBe(true);
    const label = (await target.getAttribute('aria-label'))!;
    expect(label).toMatch(/^gap 31\.6 MiB, maxPasses 3: /);
    const cellVerdict = (await target.getAttribute('data-verdict'))!;
    await page.keyboard.press('Enter');
    expect(await page.getByLabel('Gap (MiB)', { exact: true }).inputValue()).toMatch(/^31\.6/);
    expect(await page.getByLabel('Max passes (fixpoint)', { exact: true }).inputValue()).toBe('3');
    const words = await waitForVerdict(page);
    const expected: Record<string, RegExp> = {
      converged: /^Converged/,
      inconsistent: /^Inconsistent/,
      'not-converged': /^Not converged/i,
      oscillating: /^Oscillating/i,
      'link-failed': /fail/i,
    };
    expect(words).toMatch(expected[cellVerdict]);
    expect(await target.getAttribute('aria-current')).toBe('true');
    await expect
      .poll(() => sweep.locator('.sweep-loaded').innerText())
      .toMatch(/^Opened the cell gap 31\.6 MiB, maxPasses 3/);
    // Not out of date: only the mapped parameters differ.
    expect(await sweep.locator('.stale-note').count()).toBe(0);
  });

  it('fits a 390 px phone', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    // The page lays itself out for the new width before it is measured.
    // (its charts measure their boxes and draw again a frame or more after the resize).
    await expect
      .poll(() =>
        page.evaluate(() => {
          const root = document.documentElement;
          return root.clientWidth <= 390 && root.scrollWidth <= root.clientWidth;
        }),
      )
      .toBe(true);
    const fit = await page.evaluate(() => {
      const grid = document.querySelector('[role="grid"]')!.getBoundingClientRect();
      return {
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
        right: grid.right,
      };
    });
    expect(fit.scroll).toBeLessThanOrEqual(fit.client);
    expect(fit.right).toBeLessThanOrEqual(390);
    await page.screenshot({ path: screenshotPath('phase-map-phone.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('is marked out of date when the scenario changes, and refuses too many cells in words', async () => {
    await page.getByLabel('kallsyms generation', { exact: true }).selectOption('v5.8');
    await expect
      .poll(() => sweep.locator('.stale-note').innerText())
      .toMatch(
        /^Out of date: the form has changed since this map \(kallsyms generation v5\.9 → v5\.8\)/,
      );
    await sweep.getByLabel('Steps', { exact: true }).fill('256');
    await sweep.getByLabel('Rows', { exact: true }).fill('32');
    expect(await sweep.locator('.sweep-cells').innerText()).toBe('8,192 cells: at most 4,096');
    await sweep.getByRole('button', { name: 'Draw map', exact: true }).click();
    await expect
      .poll(() => sweep.getByRole('alert').innerText())
      .toMatch(/8192 cells: a map has at most 4096/);
    // The map on screen stays, and so does what was typed.
    expect(await cells().count()).toBe(6);
    expect(await sweep.getByLabel('Steps', { exact: true }).inputValue()).toBe('256');
    expect(watched.errors).toEqual([]);
  });

  it('maps two knobs of a generated corpus, each cell’s corpus made in a pool worker', async () => {
    await page.getByLabel('Preset', { exact: true }).selectOption('pinned-oscillates');
    await sweep.getByLabel('Parameter', { exact: true }).selectOption('pinnedSpacing');
    await sweep.getByLabel('From', { exact: true }).fill('56');
    await sweep.getByLabel('To', { exact: true }).fill('64');
    await sweep.getByLabel('Steps', { exact: true }).fill('3');
    await sweep.getByLabel('Second axis (rows of a map)').selectOption('pinnedCallsPerInit');
    await sweep.getByLabel('From (rows)', { exact: true }).fill('1');
    await sweep.getByLabel('To (rows)', { exact: true }).fill('2');
    await sweep.getByLabel('Rows', { exact: true }).fill('2');
    await sweep.getByRole('button', { name: 'Draw map', exact: true }).click();
    await sweep.getByText(/^Swept 6 cells in [\d.]+ s/).waitFor({ timeout: 300_000 });
    // The preset's own cell (pinnedSpacing 60, one call per pinned caller) says what the preset
    // does on its own (presets-pinned.test.ts, on real links with both linkers).
    const own = cells().nth(1);
    expect(await own.getAttribute('aria-label')).toMatch(
      /^pinnedSpacing 60 bytes, pinnedCallsPerInit 1: oscillating after 4 trial links/,
    );
    expect(await sweep.locator('.stale-note').count()).toBe(0);
    expect(watched.errors).toEqual([]);
  });

  it('opens from a link to its view (format 2): the run, then the same map', async () => {
    const scenario = { ...findPreset('powerpc-2020')!.scenario, strategy: 'fixpoint' as const };
    const hash = encodeLinkHash(scenario, {
      ...EMPTY_VIEW,
      panel: 'sweep',
      sweep: { param: 'gap', from: '31.5', to: '31.7', steps: 3 },
      sweep2: { param: 'maxPasses', from: '2', to: '3', steps: 2 },
    });
    expect(hash).toMatch(/&view=2&panel=sweep&sweep=gap,31\.5,31\.7,3&sweep2=maxPasses,2,3,2$/);
    const opened = await profile.newPage();
    try {
      const p = opened.page;
      await p.goto(`${baseUrl()}#${hash}`);
      await waitForToolchain(p);
      const region = p.getByRole('region', { name: 'Sweep a parameter' });
      await region.getByText(/^Swept 6 cells in /).waitFor({ timeout: 180_000 });
      expect(await region.getByRole('grid').getAttribute('aria-label')).toMatch(
        /^Phase map of gap across \(3 columns, 31\.5 MiB to 31\.7 MiB\) by maxPasses down \(2 rows, 2 to 3\): 6 of 6 cells done/,
      );
      expect(await region.getByLabel('Second axis (rows of a map)').inputValue()).toBe('maxPasses');
      expect(opened.errors).toEqual([]);
    } finally {
      await opened.page.close();
    }
  });
});
