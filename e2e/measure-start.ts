/**
 * Measures delivery in headless Chromium against the built site served by
 * `vite preview` (the same server and headers as `npm run preview`):
 *
 * - bytes a first visit downloads (on the wire, compressed) and from where;
 * - cold start to ready (a new, empty profile) and warm start to ready (a
 *   new visit in a profile that has been there), from navigation start to
 *   the moment no progressbar is left and Run can be pressed;
 * - the default scenario's whole loop after ready (Run to verdict).
 *
 *   node --import tsx e2e/measure-start.ts [--runs 5] [--dist DIR]
 *
 * Without --dist it builds the site into a temporary folder first.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright-core';
import { build, preview } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from './chromium.ts';
import { REQUEST_LOG_PATH, requestLog, type LoggedRequest } from './request-log.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, dist: { type: 'string' } },
});
const runs = Number(values.runs);
const root = resolve(import.meta.dirname, '..');

// Strings, not functions: tsx would wrap named inner functions in a helper the page lacks.
const READY = `(() => {
  if (document.querySelector('[role="progressbar"]')) return false;
  const run = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run');
  return run && !run.disabled ? performance.now() : false;
})()`;
const VERDICT = `/^\\s*(Converged|Inconsistent kallsyms data|Not converged|Oscillating|Link failed)/.test(
  document.querySelector('[role="status"]')?.textContent ?? '') ? performance.now() : false`;

async function ready(page: Page): Promise<number> {
  const handle = await page.waitForFunction(READY, null, { timeout: 180_000, polling: 10 });
  return (await handle.jsonValue()) as number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;

const outDir = values.dist ?? (await mkdtemp(join(tmpdir(), 'kallsyms-lab-measure-')));
if (!values.dist) {
  await build({
    root,
    configFile: join(root, 'vite.config.ts'),
    logLevel: 'error',
    build: { outDir, emptyOutDir: true },
  });
}
const server = await preview({
  root,
  configFile: join(root, 'vite.config.ts'),
  logLevel: 'error',
  build: { outDir },
  plugins: [requestLog()],
  preview: { host: '127.0.0.1', port: 0, strictPort: true },
});
const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
const log = async (): Promise<LoggedRequest[]> =>
  (await fetch(new URL(REQUEST_LOG_PATH, url))).json() as Promise<LoggedRequest[]>;
const clearLog = () => fetch(new URL(REQUEST_LOG_PATH, url), { method: 'DELETE' });

const profiles: string[] = [];
async function launch() {
  const dir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-measure-profile-'));
  profiles.push(dir);
  return chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1280, height: 800 },
  });
}

try {
  const cold: number[] = [];
  const warm: number[] = [];
  const loops: number[] = [];
  let firstVisit: LoggedRequest[] = [];
  for (let i = 0; i < Math.max(1, Math.ceil(runs / 2)); i++) {
    const context = await launch();
    const page = await context.newPage();
    await clearLog();
    await page.goto(url);
    cold.push(await ready(page));
    if (i === 0) firstVisit = await log();
    await page.close();
    // Warm visits in the same profile.
    for (let j = 0; j < runs; j++) {
      const again = await context.newPage();
      await again.goto(url);
      warm.push(await ready(again));
      if (i === 0) {
        // The default scenario's whole loop, from Run to the verdict.
        const clicked = (await again.evaluate(`(() => {
          const run = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run');
          run.click();
          return performance.now();
        })()`)) as number;
        const done = (await (
          await again.waitForFunction(VERDICT, null, { timeout: 180_000, polling: 5 })
        ).jsonValue()) as number;
        loops.push(done - clicked);
      }
      await again.close();
    }
    await context.close();
  }

  const bytes = firstVisit.reduce((sum, r) => sum + r.bytes, 0);
  console.log(
    `machine: ${cpus().length} cores, load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
  console.log(`first visit: ${mb(bytes)} on the wire in ${firstVisit.length} requests`);
  for (const r of firstVisit.filter((r) => r.bytes > 50_000)) {
    console.log(`  ${r.path}  ${mb(r.bytes)}  ${r.contentEncoding ?? 'identity'}`);
  }
  console.log(
    `cold start to ready: ${cold.map(Math.round).join(', ')} ms (median ${Math.round(median(cold))})`,
  );
  console.log(
    `warm start to ready: ${warm.map(Math.round).join(', ')} ms (median ${Math.round(median(warm))})`,
  );
  console.log(
    `default scenario, Run to verdict: ${loops.map(Math.round).join(', ')} ms (median ${Math.round(median(loops))})`,
  );
} finally {
  await server.close();
  for (const dir of profiles) await rm(dir, { recursive: true, force: true });
  if (!values.dist) await rm(outDir, { recursive: true, force: true });
}
