/**
 * A toolchain worker that ends without an error (issue 10, point 11), in
 * Chromium against the built site. Chromium tells the page nothing when a
 * worker calls self.close() or is terminated by someone else: the page
 * learns it from the worker's lifeline (a Web Lock, src/worker/lifeline.ts),
 * says so, and starts a new worker, during a run and while idle, and the
 * next Run works. The worker is ended both ways: from inside, by evaluating
 * self.close() in it through the DevTools protocol, and from outside, by
 * terminate() on the page's Worker object found through the protocol
 * (Target.closeTarget refuses dedicated workers: "Specified target doesn't
 * support closing").
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  baseUrl,
  launchProfile,
  readPassTable,
  runButton,
  verdict,
  waitForToolchain,
  waitForVerdict,
  type Profile,
  type WatchedPage,
} from './browser.ts';
import { screenshotPath } from './timings.ts';

const LOST =
  'The toolchain worker stopped without reporting an error (it closed itself, or the browser ended it). ' +
  'A new one has been started in its place.';

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

/** The page's toolchain worker (the only worker while no sweep runs). */
function toolchainWorker() {
  const workers = page.workers().filter((w) => /toolchain-worker/.test(w.url()));
  expect(workers, 'one toolchain worker').toHaveLength(1);
  return workers[0];
}

/** self.close() inside the worker, as its own code would call it. */
async function closeFromInside(): Promise<void> {
  const worker = toolchainWorker();
  const gone = new Promise<void>((resolve) => worker.once('close', () => resolve()));
  // Queued behind the link in progress, if any: it runs between two passes.
  await worker.evaluate('self.close()').catch(() => {});
  await gone;
}

/** terminate() on the page's Worker objects, found by the DevTools protocol: not the supervisor's doing. */
async function killFromOutside(): Promise<void> {
  const worker = toolchainWorker();
  const gone = new Promise<void>((resolve) => worker.once('close', () => resolve()));
  const cdp = await page.context().newCDPSession(page);
  try {
    const proto = await cdp.send('Runtime.evaluate', { expression: 'Worker.prototype' });
    const { objects } = await cdp.send('Runtime.queryObjects', {
      prototypeObjectId: proto.result.objectId!,
    });
    await cdp.send('Runtime.callFunctionOn', {
      objectId: objects.objectId!,
      functionDeclaration: 'function () { for (const worker of this) worker.terminate(); }',
    });
  } finally {
    await cdp.detach();
  }
  await gone;
}

const notice = () => page.locator('.toolchain-lost');
const rows = async () => (await readPassTable(page)).filter((r) => /^\d+$/.test(r.Link)).length;

async function choosePreset(id: string) {
  await page.getByLabel('Preset', { exact: true }).selectOption(id);
}

/** A long run (16 passes), ended when it has linked two. */
async function runUntilTwoPasses() {
  await choosePreset('never-converges');
  await runButton(page).click();
  await expect.poll(rows, { timeout: 60_000, interval: 50 }).toBeGreaterThanOrEqual(2);
  expect(await verdict(page).innerText()).toMatch(/^Running: \d+ trial links? so far/);
}

async function expectLostThenRunAgain(during: 'run' | 'idle') {
  if (during === 'run') {
    await expect
      .poll(() => verdict(page).innerText(), { timeout: 30_000 })
      .toBe(`Run failed: ${LOST}`);
  }
  await expect.poll(() => notice().innerText(), { timeout: 30_000 }).toContain(LOST);
  expect(await notice().getAttribute('role')).toBe('alert');
  // A new worker, ready again; the next Run neither hangs nor fails.
  await expect.poll(() => page.workers().length, { timeout: 30_000 }).toBe(1);
  await waitForToolchain(page, 60_000);
  await choosePreset('small-converges');
  await runButton(page).click();
  expect(await waitForVerdict(page, 60_000)).toMatch(/^Converged after 2/);
  await page.getByRole('button', { name: 'Dismiss', exact: true }).click();
  expect(await notice().count()).toBe(0);
}

describe('a toolchain worker that ends without an error', () => {
  it('closed from inside during a run: the run fails in words, a new worker runs the next', async () => {
    await runUntilTwoPasses();
    await closeFromInside();
    await expect
      .poll(() => verdict(page).innerText(), { timeout: 30_000 })
      .toBe(`Run failed: ${LOST}`);
    await page.screenshot({ path: screenshotPath('worker-lost-desktop.png') });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: screenshotPath('worker-lost-390.png') });
    await page.setViewportSize({ width: 1280, height: 800 });
    await expectLostThenRunAgain('run');
  });

  it('closed from inside while idle: said, replaced, and Run does not hang', async () => {
    await closeFromInside();
    await expectLostThenRunAgain('idle');
  });

  it('terminated from outside during a run: the run fails in words, a new worker runs the next', async () => {
    await runUntilTwoPasses();
    await killFromOutside();
    await expectLostThenRunAgain('run');
  });

  it('terminated from outside while idle: said, replaced, and Run does not hang', async () => {
    await killFromOutside();
    await expectLostThenRunAgain('idle');
    expect(watched.errors).toEqual([]);
  });
});
