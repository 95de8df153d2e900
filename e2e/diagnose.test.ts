/**
 * "Your own build" (issue 11, point 3) in Chromium against the built site:
 * the last trial image and vmlinux of a real run of the 2020 report (linked
 * here in Node with the WebAssembly ld.lld, as the page links them) are
 * given by file picker, and the page reports exactly the System.map lines
 * the run's check reports, with the stubs that appeared as the likely cause;
 * a pasted listing gives a table per generation; bad input gets a clear
 * message and keeps the reader's text; a kernel-sized image (over 60 MB,
 * 150,000+ symbols) is read in the worker with progress, and Cancel stops it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/toolchain/corpus/load-corpus.ts';
import { nodeCorpusSource } from '../src/toolchain/corpus/node-source.ts';
import type { RunRecord } from '../src/toolchain/kbuild/records.ts';
import { runLinkLoop } from '../src/toolchain/kbuild/run-loop.ts';
import { createWasmToolchain } from '../src/toolchain/llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../src/toolchain/scenario/loop-config.ts';
import { findPreset } from '../src/toolchain/scenario/presets.ts';
import { makeKernelSizedImage } from '../src/toolchain/diagnose/testing/kernel-image.ts';
import { readFixture } from '../src/toolchain/kallsyms/testing/fixtures.ts';
import { baseUrl, launchProfile, type Profile, type WatchedPage } from './browser.ts';
import { screenshotPath } from './timings.ts';

let profile: Profile;
let watched: WatchedPage;
let page: Page;
let dir: string;
let record: RunRecord;
let lastTrial: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-diagnose-e2e-'));
  const scenario = findPreset('powerpc-2020')!.scenario;
  const corpus = await loadCorpus(nodeCorpusSource(), scenario.arch);
  const writes: Array<Promise<void>> = [];
  record = await runLinkLoop(createWasmToolchain(), scenarioLoopConfig(scenario, corpus), {
    onArtifact(name, bytes) {
      if (/^(vmlinux|\.tmp_vmlinux(\.kallsyms)?\d+)$/.test(name) && typeof bytes !== 'string')
        writes.push(writeFile(join(dir, name), bytes));
    },
  });
  await Promise.all(writes);
  lastTrial = record.passes.filter((p) => p.step === 'trial').at(-1)!.link.image;
  profile = await launchProfile();
  watched = await profile.newPage();
  page = watched.page;
  await page.goto(baseUrl());
  await page.getByRole('button', { name: 'Your own build' }).click();
});

afterAll(async () => {
  await profile?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const status = () => page.locator('.diag-status');
const diagnoseButton = () => page.getByRole('button', { name: 'Diagnose', exact: true });
const removeAll = async () => {
  const remove = page.getByRole('button', { name: 'Remove' });
  while ((await remove.count()) > 0) await remove.first().click();
};
/** Until the diagnosis in flight (if any) has ended. */
const settled = () =>
  page.waitForFunction(() => !document.querySelector('.diag-status [role="progressbar"]'), null, {
    timeout: 120_000,
    polling: 50,
  });
async function waitForResult(timeout = 120_000) {
  await page.waitForFunction(
    () =>
      !document.querySelector('.diag-status [role="progressbar"]') &&
      document.querySelector('.diag-result') !== null,
    null,
    { timeout, polling: 50 },
  );
}

describe('your own build', () => {
  it('the last trial and vmlinux: exactly the System.map lines the run’s check reports, and why', async () => {
    expect(record.verdict.kind).toBe('inconsistent');
    await page.getByLabel('Choose the first file').setInputFiles(join(dir, lastTrial));
    await page.getByLabel('Choose the second file').setInputFiles(join(dir, 'vmlinux'));
    await diagnoseButton().click();
    await waitForResult();
    expect(await page.locator('#diag-result-heading').innerText()).toBe(
      `Diagnosis of ${lastTrial} and vmlinux`,
    );
    const check = page.locator('.diag-check[data-generations*="v5.9"]');
    expect(await check.locator('h4').innerText()).toMatch(/check for .*v5\.9.*: fails/);
    expect(await check.locator('pre.kernel-message').innerText()).toBe(record.check!.message);
    const rows = await check
      .locator('table.diag-map-diff tbody tr')
      .evaluateAll((trs) =>
        trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
      );
    expect(rows).toEqual(
      record.check!.differences.map((d) => [
        String(d.line),
        d.trial ?? '(none)',
        d.final ?? '(none)',
      ]),
    );
    // vmlinux gained the stubs of its own link: the first cause says so.
    const causes = page.locator('.diag-causes li');
    expect(await causes.first().getAttribute('data-cause')).toBe('stubs-appeared');
    expect(watched.errors).toEqual([]);
    await page.screenshot({ path: screenshotPath('diagnose-2020-two-images.png'), fullPage: true });
  });

  it('a pasted nm -n listing: the table each generation builds, every rule named', async () => {
    await removeAll();
    const listing = readFixture('medium.nm');
    // As a paste does it: the whole text at once, one input event (Playwright's fill types it
    // through the editing commands, which takes over 30 s for 3,000 lines on a busy machine).
    await page.getByLabel('Paste the first listing').evaluate((el, text) => {
      const area = el as HTMLTextAreaElement;
      const setter = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value')!.set!;
      setter.call(area, text);
      area.dispatchEvent(new Event('input', { bubbles: true }));
    }, listing);
    await diagnoseButton().click();
    await waitForResult();
    expect(await page.locator('#diag-result-heading').innerText()).toBe(
      'Diagnosis of pasted text 1',
    );
    const header = await page.locator('table[data-table="generations"] thead th').allInnerTexts();
    expect(header.slice(1)).toEqual(['v5.8', 'v5.9', 'latest']);
    await page.locator('.diag-rules summary').click();
    expect(await page.locator('.diag-rules').innerText()).toMatch(/kept by|dropped by/);
  });

  it('bad input: a message that says what was wrong, and the reader’s text stays', async () => {
    const garbage = 'this is not a symbol listing\nnor is this\n';
    await page.getByLabel('Paste the first listing').fill(garbage);
    await diagnoseButton().click();
    await settled();
    const message = await status().innerText();
    expect(message).toMatch(/line 1|listing|System\.map|nm/i);
    expect(await page.getByLabel('Paste the first listing').inputValue()).toBe(garbage);
    expect(watched.errors).toEqual([]);
  });

  it('a kernel-sized image: read in the worker with progress, the page responsive, Cancel stops it', async () => {
    await page.getByLabel('Paste the first listing').fill('');
    const big = await makeKernelSizedImage(dir, { name: 'vmlinux-big' });
    expect(big.bytes).toBeGreaterThan(60_000_000);
    await page.getByLabel('Choose the first file').setInputFiles(big.path);
    await diagnoseButton().click();
    await page.getByRole('progressbar', { name: 'Diagnosis' }).waitFor({ timeout: 30_000 });
    // The page's own thread answers while the worker reads.
    const started = Date.now();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    expect(Date.now() - started).toBeLessThan(5_000);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => status().innerText()).toMatch(/^Cancelled/);
    expect(await page.locator('[data-slot="0"] .diag-file code').innerText()).toBe('vmlinux-big');
    // Again, to the end: progress reports arrive, then the table of 150,000+ symbols.
    await page.evaluate(() => {
      const w = window as unknown as { __fractions: number[] };
      w.__fractions = [];
      new MutationObserver(() => {
        const bar = document.querySelector('.diag-status [role="progressbar"]');
        if (bar) w.__fractions.push(Number(bar.getAttribute('aria-valuenow')));
      }).observe(document.body, { subtree: true, attributes: true, childList: true });
    });
    const t0 = Date.now();
    await diagnoseButton().click();
    await waitForResult(300_000);
    const ms = Date.now() - t0;
    const fractions = await page.evaluate(
      () => (window as unknown as { __fractions: number[] }).__fractions,
    );
    expect(new Set(fractions).size).toBeGreaterThan(2);
    const inTable = await page
      .locator('table[data-table="generations"] tr', { hasText: 'in the table (num_syms)' })
      .locator('td')
      .last()
      .innerText();
    expect(Number(inTable.replace(/,/g, ''))).toBeGreaterThan(150_000);
    console.log(`e2e diagnose: ${big.bytes} bytes image diagnosed in ${ms} ms`);
    await page.screenshot({ path: screenshotPath('diagnose-kernel-sized.png') });
  });
});

describe('its address', () => {
  it('Back leaves it for the playground and Forward returns to it with its result; its address opens it', async () => {
    const mode = (name: string) =>
      page.getByRole('navigation', { name: 'Modes' }).getByRole('button', { name });
    expect(new URL(page.url()).hash).toBe('#own-build');
    const shown = await status().innerText();
    await page.goBack();
    await expect.poll(() => mode('Playground').getAttribute('aria-current')).toBe('page');
    expect(await page.locator('.diag-status').count()).toBe(0);
    await page.goForward();
    await expect.poll(() => mode('Your own build').getAttribute('aria-current')).toBe('page');
    // What the reader gave and got is still there.
    expect(await status().innerText()).toBe(shown);
    // The address pasted into another tab opens it.
    const other = await profile.newPage();
    await other.page.goto(`${baseUrl()}#own-build`);
    await expect
      .poll(() =>
        other.page
          .getByRole('navigation', { name: 'Modes' })
          .getByRole('button', { name: 'Your own build' })
          .getAttribute('aria-current'),
      )
      .toBe('page');
    await other.page.close();
  });
});
