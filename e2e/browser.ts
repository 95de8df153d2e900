/** Helpers for the browser tests: profiles, pages that record errors, the page's landmarks. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { inject } from 'vitest';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';
import { READY_EXPRESSION, VERDICT_SHOWN_EXPRESSION } from './page-signals.ts';
import { REQUEST_LOG_PATH, type LoggedRequest } from './request-log.ts';

export { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';

export function baseUrl(): string {
  return inject('baseUrl');
}

export interface Profile {
  context: BrowserContext;
  /** A fresh page that records uncaught errors (see `errors`). */
  newPage(): Promise<WatchedPage>;
  close(): Promise<void>;
}

export interface WatchedPage {
  page: Page;
  /** Uncaught exceptions and console errors the page reported so far. */
  errors: string[];
}

/**
 * A new, empty Chromium profile on disk: a real HTTP disk cache (an
 * incognito context keeps its cache in memory, too small for the toolchain),
 * so a second visit in the same profile is a warm start.
 */
export async function launchProfile(
  options: {
    viewport?: { width: number; height: number };
    colorScheme?: 'light' | 'dark';
    /** A phone: touch events and `(pointer: coarse)`, `(hover: none)`. */
    touch?: boolean;
  } = {},
): Promise<Profile> {
  const dir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: options.viewport ?? { width: 1280, height: 800 },
    colorScheme: options.colorScheme ?? 'light',
    hasTouch: options.touch ?? false,
    isMobile: options.touch ?? false,
    acceptDownloads: true,
  });
  // Share needs the clipboard.
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baseUrl() });
  for (const page of context.pages()) await page.close();
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !/favicon\.ico/.test(message.location().url)) {
          errors.push(`console: ${message.text()}`);
        }
      });
      return { page, errors };
    },
    async close() {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** The Run button, found by its accessible name. */
export function runButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Run', exact: true });
}

/**
 * Waits until the toolchain is ready: no progressbar and Run enabled. Returns
 * the time from navigation start, as the page's clock gives it.
 */
export async function waitForToolchain(page: Page, timeout = 180_000): Promise<number> {
  const handle = await page.waitForFunction(READY_EXPRESSION, null, { timeout, polling: 20 });
  return (await handle.jsonValue()) as number;
}

/** The verdict banner. */
export function verdict(page: Page): Locator {
  return page.getByRole('status');
}

/** Waits for a verdict (text starting with one of the words) and returns its text. */
export async function waitForVerdict(page: Page, timeout = 120_000): Promise<string> {
  await page.waitForFunction(VERDICT_SHOWN_EXPRESSION, null, { timeout, polling: 20 });
  return (await verdict(page).innerText()).trim();
}

/** The pass table, by its caption. */
export function passTable(page: Page): Locator {
  return page.getByRole('table', { name: 'Passes' });
}

/** The pass table as rows of cell texts keyed by column header. */
export async function readPassTable(page: Page): Promise<Array<Record<string, string>>> {
  return passTable(page).evaluate((table) => {
    const el = table as HTMLTableElement;
    // A header's name without its decoration (sort marks are aria-hidden).
    const headers = [...el.querySelectorAll('thead th')].map((th) => {
      const copy = th.cloneNode(true) as Element;
      for (const hidden of copy.querySelectorAll('[aria-hidden="true"]')) hidden.remove();
      return (copy.textContent ?? '').trim();
    });
    return [...el.querySelectorAll('tbody tr')].map((tr) => {
      const cells = [...tr.querySelectorAll('th, td')].map((td) => (td.textContent ?? '').trim());
      return Object.fromEntries(headers.map((h, i) => [h, cells[i] ?? '']));
    });
  });
}

export async function requestLog(): Promise<LoggedRequest[]> {
  const response = await fetch(new URL(REQUEST_LOG_PATH, baseUrl()));
  return (await response.json()) as LoggedRequest[];
}

export async function clearRequestLog(): Promise<void> {
  await fetch(new URL(REQUEST_LOG_PATH, baseUrl()), { method: 'DELETE' });
}
