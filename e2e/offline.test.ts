/**
 * Offline after the first visit (issue 12): the page, served by a server
 * this test can cut, is visited once; with the server gone it loads again
 * from the service worker's copy and runs a preset (another architecture's
 * corpus than the first visit read) to its verdict; then a changed build is
 * deployed at the same address, and the next visit is that build, which
 * the page says, and which then works offline in turn.
 */
import {
  copyFile,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rm,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { precompressedMiddleware } from '../build/serve-precompressed.ts';
import { writeServiceWorker } from '../build/service-worker.ts';
import {
  launchProfile,
  runButton,
  waitForToolchain,
  waitForVerdict,
  type Profile,
} from './browser.ts';
import { VERDICT_PATTERN } from './page-signals.ts';

const distDir = inject('distDir');

/** A copy of a built site (the wasm files linked, not copied: 100 MB). */
async function copySite(from: string, to: string): Promise<void> {
  await mkdir(to, { recursive: true });
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(to, entry.name);
    if (entry.isDirectory()) await copySite(source, target);
    else if (entry.name.includes('.wasm')) await symlink(source, target);
    else await copyFile(source, target);
  }
}

/** The built site over HTTP, as `npm run preview` serves it; the site can be swapped, the server cut. */
class SiteServer {
  #server: Server | null = null;
  #port = 0;
  requests = 0;
  constructor(public root: string) {}
  get url(): string {
    return `http://127.0.0.1:${this.#port}/`;
  }
  async start(): Promise<void> {
    const serve = precompressedMiddleware({ root: this.root });
    this.#server = createServer((req, res) => {
      this.requests++;
      void serve(req, res, () => {
        res.statusCode = 404;
        res.end('not found');
      });
    });
    await new Promise<void>((resolve) => this.#server!.listen(this.#port, '127.0.0.1', resolve));
    this.#port = (this.#server.address() as AddressInfo).port;
  }
  /** Stops answering at once: open connections are dropped, new ones refused. */
  async cut(): Promise<void> {
    const server = this.#server!;
    this.#server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

const statusLine = (page: Page) => page.locator('.offline-status');
/** The mark the test put into the second build's page, or null. */
const testBuild = (page: Page) =>
  page.evaluate(
    () =>
      document.querySelector('meta[name="kallsyms-lab-test-build"]')?.getAttribute('content') ??
      null,
  );

describe('offline after the first visit', () => {
  let work: string;
  let server: SiteServer;
  let profile: Profile;
  let buildB: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'kallsyms-lab-offline-'));
    await copySite(distDir, join(work, 'a'));
    // The next deploy: the page changes (a mark the test can see), so its service worker does.
    await copySite(distDir, join(work, 'b'));
    const index = join(work, 'b', 'index.html');
    const html = await readFile(index, 'utf8');
    await writeFile(
      index,
      html.replace('<head>', '<head><meta name="kallsyms-lab-test-build" content="B">'),
    );
    await rm(join(work, 'b', 'index.html.br'), { force: true });
    await rm(join(work, 'b', 'index.html.gz'), { force: true });
    buildB = (await writeServiceWorker(join(work, 'b'))).build;
    await rm(join(work, 'b', 'sw.js.br'), { force: true });
    await rm(join(work, 'b', 'sw.js.gz'), { force: true });
    server = new SiteServer(join(work, 'a'));
    await server.start();
    profile = await launchProfile();
  });

  afterAll(async () => {
    await profile?.close();
    await server?.cut().catch(() => {});
    await rm(work, { recursive: true, force: true });
  });

  it('loads and runs a preset with the server gone, and takes a new build on the next visit', async () => {
    // 1. The first visit, online: the page keeps itself, the worker keeps the toolchain.
    const first = await profile.newPage();
    await first.page.goto(server.url);
    await waitForToolchain(first.page);
    await expect
      .poll(() => statusLine(first.page).innerText(), { timeout: 120_000 })
      .toMatch(/^Works offline: this browser keeps a copy \(build [0-9a-f]{12}\)\.$/);
    const buildA = /build ([0-9a-f]{12})/.exec(await statusLine(first.page).innerText())![1];
    await expect
      .poll(
        () =>
          first.page.evaluate(
            async () => (await (await caches.open('kallsyms-lab-toolchain')).keys()).length,
          ),
        { timeout: 60_000 },
      )
      .toBe(4);
    // The warm-up has read the default corpus once the linker's own version shows
    // ("ld.lld 22.1.0 (WebAssembly, …)": before ld.lld --version ran, no number follows).
    await expect
      .poll(() => first.page.locator('.toolchain-ready').innerText(), { timeout: 120_000 })
      .toMatch(/^ld\.lld \d/);
    expect(first.errors).toEqual([]);
    await first.page.close();

    // 2. The server is gone: the page, the toolchain and every corpus come from the browser.
    await server.cut();
    const before = server.requests;
    const offline = await profile.newPage();
    await offline.page.goto(server.url);
    await waitForToolchain(offline.page);
    expect(await statusLine(offline.page).innerText()).toBe(
      `Offline: running from this browser’s copy (build ${buildA}).`,
    );
    // ppc32: a corpus the first visit never read.
    await offline.page.getByLabel('Preset', { exact: true }).selectOption('ppc32-thunks');
    await runButton(offline.page).click();
    expect(await waitForVerdict(offline.page)).toMatch(VERDICT_PATTERN);
    expect(server.requests).toBe(before);
    await offline.page.close();

    // 3. A new build is deployed at the same address: the next visit is that build.
    server.root = join(work, 'b');
    await server.start();
    const next = await profile.newPage();
    await next.page.goto(server.url);
    expect(await testBuild(next.page)).toBe('B');
    await waitForToolchain(next.page);
    await expect
      .poll(() => statusLine(next.page).innerText(), { timeout: 120_000 })
      .toBe(`Updated to the new version (build ${buildB}); it works offline too.`);
    // Only the new build is kept (the old one's cache goes once the new worker is active).
    await expect
      .poll(() =>
        next.page.evaluate(async () =>
          (await caches.keys()).filter((name) => name.startsWith('kallsyms-lab-shell-')),
        ),
      )
      .toEqual([`kallsyms-lab-shell-${buildB}`]);
    expect(next.errors).toEqual([]);
    await next.page.close();

    // 4. And the new build, too, loads without the server.
    await server.cut();
    const again = await profile.newPage();
    await again.page.goto(server.url);
    expect(await testBuild(again.page)).toBe('B');
    await expect
      .poll(() => statusLine(again.page).innerText())
      .toBe(`Offline: running from this browser’s copy (build ${buildB}).`);
    await again.page.close();
  });
});
