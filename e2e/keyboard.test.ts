/**
 * The page by keyboard alone (issue 9, point 5), in Chromium against the
 * built site: the skip link is the first tab stop and lands on Run; the run
 * controls come before the scenario's form; Run, Step and Stop keep the
 * focus on the run controls (never <body>) while they disable themselves;
 * Ctrl+Shift+Enter steps and Esc stops from anywhere; `?` opens the
 * shortcut list, a modal dialog that Esc closes. And a sweep's marks are
 * reached with Tab and the arrows, and Enter loads a value (issue 9, point 7).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  launchProfile,
  readPassTable,
  verdict,
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
  // Records every moment focus sits on <body> (a button that disabled itself drops it there).
  await page.addInitScript(() => {
    const w = window as unknown as { __focusFellToBody: number; __watchFocus: boolean };
    w.__focusFellToBody = 0;
    w.__watchFocus = false;
    const check = () => {
      if (w.__watchFocus && document.activeElement === document.body) w.__focusFellToBody++;
      requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
    document.addEventListener('focusout', () =>
      queueMicrotask(() => {
        if (w.__watchFocus && document.activeElement === document.body) w.__focusFellToBody++;
      }),
    );
  });
  await page.goto(baseUrl());
  await waitForToolchain(page);
});

afterAll(async () => {
  await profile?.close();
});

/** The focused element, described: its role-ish tag and its name. */
function focused(): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    if (!el || el === document.body) return 'body';
    const name = el.getAttribute('aria-label') ?? el.textContent?.trim() ?? '';
    return `${el.tagName.toLowerCase()}:${name}`;
  });
}

const watchFocus = (on: boolean) =>
  page.evaluate((value) => {
    const w = window as unknown as { __watchFocus: boolean; __focusFellToBody: number };
    w.__watchFocus = value;
    if (value) w.__focusFellToBody = 0;
  }, on);
const focusFellToBody = () =>
  page.evaluate(() => (window as unknown as { __focusFellToBody: number }).__focusFellToBody);

// Every link: numbered trial links, then vmlinux.
const rows = async () =>
  (await readPassTable(page)).filter((r) => /^(\d+|vmlinux)$/.test(r.Link)).length;

describe('the page by keyboard alone', () => {
  it('the first tab stop is a skip link, shown when focused, that lands on Run', async () => {
    expect(await focused()).toBe('body');
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('a:Skip to the run controls');
    const link = page.getByRole('link', { name: 'Skip to the run controls' });
    const box = (await link.boundingBox())!;
    expect(box.width, 'visible once focused').toBeGreaterThan(50);
    const hash = await page.evaluate(() => location.hash);
    await page.keyboard.press('Enter');
    expect(await focused()).toBe('button:Run');
    // The hash is the permalink: the skip link leaves it alone.
    expect(await page.evaluate(() => location.hash)).toBe(hash);
  });

  it('puts the run controls before the scenario’s form in the tab order', async () => {
    await page.reload(); // Tab from the top again
    await waitForToolchain(page);
    const stops: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      stops.push(await focused());
    }
    const run = stops.indexOf('button:Run');
    const preset = stops.findIndex((s) => s.startsWith('select:'));
    expect(run, stops.join(' | ')).toBeGreaterThanOrEqual(0);
    expect(run, 'Run within the first four stops').toBeLessThan(4);
    expect(preset, 'the form after the run controls').toBeGreaterThan(run);
  });

  it('runs with Enter on Run; focus goes to Stop while it runs and back to Run, never to <body>', async () => {
    // From the form, back up to Run.
    for (let i = 0; i < 15 && (await focused()) !== 'button:Run'; i++)
      await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button:Run');
    await watchFocus(true);
    await page.keyboard.press('Enter');
    expect(await waitForVerdict(page)).toMatch(/^Converged after 2/);
    await expect.poll(focused).toBe('button:Run');
    await watchFocus(false);
    expect(await focusFellToBody(), 'times focus was on <body>').toBe(0);
  });

  it('steps pass by pass with Enter on Step: focus comes back to Step after each pass', async () => {
    await page.keyboard.press('Tab');
    expect(await focused()).toBe('button:Step');
    await watchFocus(true);
    for (let pass = 1; pass <= 3; pass++) {
      await page.keyboard.press('Enter');
      await expect.poll(rows, { timeout: 60_000 }).toBe(pass);
      if (pass < 3) {
        await expect.poll(() => verdict(page).innerText()).toMatch(/^Paused after trial link/);
        // Back on Step, ready for the next Enter.
        await expect.poll(focused).toBe('button:Step');
      }
    }
    expect(await waitForVerdict(page)).toMatch(/^Converged after 2/);
    await watchFocus(false);
    expect(await focusFellToBody(), 'times focus was on <body>').toBe(0);
  });

  it('steps with Ctrl+Shift+Enter and stops with Esc, from wherever focus is', async () => {
    // In the scenario's form, on the preset.
    for (let i = 0; i < 10 && !(await focused()).startsWith('select:'); i++)
      await page.keyboard.press('Tab');
    expect(await focused()).toMatch(/^select:/);
    await page.keyboard.press('Control+Shift+Enter');
    await expect
      .poll(() => verdict(page).innerText(), { timeout: 60_000 })
      .toMatch(/^Paused after trial link 1 /);
    await page.keyboard.press('Escape');
    await expect.poll(() => verdict(page).innerText()).toMatch(/^Stopped after 1 trial link\./);
    expect(await focused()).toMatch(/^select:/); // Esc moved nothing
  });

  it('stops a long run with Esc, and with Enter on Stop (then focus moves to Run)', async () => {
    // The preset by keyboard: "Growth that does not die out" (never-converges) is the fifth.
    expect(await focused()).toMatch(/^select:/);
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowDown');
    expect(await page.getByLabel('Preset', { exact: true }).inputValue()).toBe('never-converges');
    await page.keyboard.press('Control+Enter');
    await expect.poll(rows, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    await page.keyboard.press('Escape');
    await expect.poll(() => verdict(page).innerText()).toMatch(/^Stopped after \d+ trial links?/);
    expect(await rows()).toBeLessThan(17);

    await page.keyboard.press('Control+Enter');
    await expect.poll(rows, { timeout: 60_000 }).toBeGreaterThanOrEqual(2);
    // Back from the form to Stop.
    for (let i = 0; i < 6 && (await focused()) !== 'button:Stop'; i++)
      await page.keyboard.press('Shift+Tab');
    expect(await focused()).toBe('button:Stop');
    await watchFocus(true);
    await page.keyboard.press('Enter');
    await expect.poll(() => verdict(page).innerText()).toMatch(/^Stopped after \d+ trial links?/);
    await expect.poll(focused).toBe('button:Run');
    await watchFocus(false);
    expect(await focusFellToBody()).toBe(0);
  });

  it('opens the shortcut list with ?, a modal dialog that lists the keys; Esc closes it and focus returns', async () => {
    expect(await focused()).toBe('button:Run');
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.evaluate((d) => (d as HTMLDialogElement).matches(':modal'))).toBe(true);
    const text = await dialog.innerText();
    for (const line of [
      /Ctrl\s*\+\s*Enter\s+Run the whole loop/,
      /Ctrl\s*\+\s*Shift\s*\+\s*Enter\s+Step/,
      /Esc\s+Stop the run/,
      /\?\s+Show this list/,
    ])
      expect(text).toMatch(line);
    // Focus is inside the dialog, and the page behind is inert: Tab reaches nothing of it
    // (Chromium sends focus on to the browser's own controls, not round the dialog).
    expect(await focused()).toBe('button:Close');
    for (let i = 0; i < 3; i++) {
      await page.keyboard.press('Tab');
      const outside = await dialog.evaluate(
        (d) =>
          document.activeElement !== null &&
          document.activeElement !== document.body &&
          !d.contains(document.activeElement),
      );
      expect(outside, 'focus on the page behind the dialog').toBe(false);
    }
    await page.keyboard.press('Shift+Tab');
    await page.screenshot({ path: screenshotPath('shortcut-list-desktop.png') });
    const before = await verdict(page).innerText();
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await focused()).toBe('button:Run');
    expect(await verdict(page).innerText()).toBe(before);
  });

  it('leaves ? to a field being typed in, and shows the key hints (a keyboard is here)', async () => {
    const flags = page.getByLabel('Extra ld.lld flags');
    await flags.focus();
    await page.keyboard.press('?');
    expect(await page.getByRole('dialog').isVisible()).toBe(false);
    expect(await flags.inputValue()).toContain('?');
    await page.keyboard.press('Backspace');
    expect(await page.getByText('Ctrl+Enter runs.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Keyboard shortcuts (?)' }).isVisible()).toBe(
      true,
    );
  });

  it('reaches a sweep’s marks with Tab, moves with the arrows, and loads a value with Enter', async () => {
    // Setting the sweep up is not the point here; picking a mark by keyboard is.
    await page.getByLabel('Preset', { exact: true }).selectOption('powerpc-2020');
    const sweep = page.getByRole('region', { name: 'Sweep a parameter' });
    await sweep.getByLabel('Parameter').selectOption('gap');
    await sweep.getByLabel('From', { exact: true }).fill('31.5');
    await sweep.getByLabel('To', { exact: true }).fill('31.9');
    await sweep.getByLabel('Steps', { exact: true }).fill('5');
    await sweep.getByRole('button', { name: 'Sweep', exact: true }).click();
    await sweep.getByText(/^Swept 5 steps/).waitFor({ timeout: 120_000 });

    await sweep.getByRole('button', { name: 'Sweep', exact: true }).focus();
    await page.keyboard.press('Tab'); // Stop sweep is disabled: the marks come next, one tab stop
    expect(await focused()).toMatch(/^g:gap 31\.5 MiB: converged, 2 trial links/);
    await page.keyboard.press('End');
    expect(await focused()).toMatch(/^g:gap 31\.9 MiB: inconsistent, 3 trial links/);
    await page.keyboard.press('ArrowLeft');
    expect(await focused()).toMatch(/^g:gap 31\.8 MiB: converged/);
    await page.keyboard.press('Enter');
    // The exact bytes the step ran (31.8 MiB rounded to a whole byte, as the sweep does).
    expect(await page.getByLabel('Gap (MiB)', { exact: true }).inputValue()).toMatch(/^31\.8/);
    await expect
      .poll(() => sweep.locator('.sweep-loaded').innerText())
      .toMatch(/^Loaded gap 31\.8 MiB into the scenario \(Converged/);
    // The loaded mark is marked as the scenario's own.
    expect(await sweep.locator('[data-sweep-index="3"]').getAttribute('aria-current')).toBe('true');
    // The next Tab leaves the marks: they are one stop.
    await page.keyboard.press('Tab');
    expect(await focused()).not.toMatch(/^g:/);
    // And the scenario now runs as that step did.
    await page.keyboard.press('Control+Enter');
    expect(await waitForVerdict(page)).toMatch(/^Converged/);
    expect(watched.errors).toEqual([]);
  });
});
