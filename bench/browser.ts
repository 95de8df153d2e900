/**
 * The browser half of `npm run bench`:
 * the built site served by `vite preview` (the same server and headers as
 * `npm run preview`, plus the e2e request log), driven in Debian's headless
 * Chromium by playwright-core.
 *
 * - First visit: bytes on the wire (compressed), counted by the server for a
 *   new, empty profile from navigation until the page and its worker are idle
 *   (so the worker's own fetches, and the default scenario's warm-up, count).
 * - Cold start to ready (a new, empty profile each time) and warm start to
 *   ready (a new page in a profile that has been there): from navigation
 *   start, by the page's clock, to the moment no progressbar is left and Run
 *   is enabled. Right at ready, each warm visit also presses Run once and
 *   times the default scenario's loop (the case issue 3's target describes).
 * - Presets, in one warm page: the page warms up on the default scenario
 *   after ready (a whole loop, in the worker), so timing waits at least 3 s
 *   and until the renderer is idle. Then per preset: choose it in the Preset
 *   picker, one warm-up run (not counted: it also makes a generated corpus),
 *   then `runs` runs, each pressed once the page is idle again (at least 1 s
 *   after the last, as a reader reads a verdict before the next Run; the
 *   worker prepares ld.lld instances in that time); for each, Run→verdict on
 *   the page, the worker's `totalMs` and every trial pass's timings from the
 *   exported run JSON.
 * - Peak renderer memory: every ~100 ms, over this browser's renderer
 *   processes (cmdline has --type=renderer; the page's dedicated worker runs
 *   inside its renderer; not Chrome's own UI, --top-chrome-webui, which
 *   headless Chromium runs too: ~160 MB that is not the page's), the sum of
 *   PSS (/proc/PID/smaps_rollup: each page shared between them counted once,
 *   split among its sharers) and the sum of VmRSS (/proc/PID/status: shared
 *   pages counted in full in each, an upper bound), max kept per preset
 *   (warm-up run included). The kernel's own high-water mark (VmHWM) of each
 *   renderer is reported at the end too.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build, preview, type PreviewServer } from 'vite';
import { CHROMIUM, CHROMIUM_ARGS } from '../e2e/chromium.ts';
import {
  READY_EXPRESSION,
  VERDICT_PATTERN,
  VERDICT_SHOWN_EXPRESSION,
} from '../e2e/page-signals.ts';
import { REQUEST_LOG_PATH, requestLog, type LoggedRequest } from '../e2e/request-log.ts';
import type { RunRecord } from '../src/toolchain/kbuild/records.ts';

const root = resolve(import.meta.dirname, '..');

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[(s.length - 1) >> 1] + s[s.length >> 1]) / 2 : NaN;
};

/** Why the browser cannot be measured here, or null when it can. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM)
    ? null
    : `no Chromium at ${CHROMIUM} (install Debian's chromium, or set CHROMIUM=/path/to/chromium)`;
}

/** Rejects with `message` when `promise` takes longer than `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`timed out after ${(ms / 1000).toFixed(0)} s: ${message}`)),
          ms,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

// ---------------------------------------------------------------------------
// The site and its server

export interface Site {
  url: string;
  /** The server's request log since the last `clearLog`. */
  log(): Promise<LoggedRequest[]>;
  clearLog(): Promise<void>;
  /** Seconds spent building (0 when a dist was given). */
  buildSeconds: number;
  /** Every path the server answered with 200 or 304 since it started (clearing the log keeps them). */
  requested(): Promise<Set<string>>;
  /** The built site's files (paths from its root, with `/`) and their sizes. */
  files: Array<{ path: string; bytes: number }>;
}

/** What the site holds against what the page asked for during the whole measurement. */
export interface DistSummary {
  files: number;
  bytes: number;
  /** Files no request named (a precompressed copy counts as its original's). */
  unrequested: string[];
}

export async function summariseDist(site: Site): Promise<DistSummary> {
  const requested = await site.requested();
  const variants = /\.(br|gz)$/;
  const unrequested = site.files
    .map((f) => f.path)
    .filter((path) => !requested.has(path.replace(variants, '')))
    .filter((path, i, all) => all.indexOf(path) === i);
  return {
    files: site.files.length,
    bytes: site.files.reduce((sum, f) => sum + f.bytes, 0),
    unrequested,
  };
}

async function listFiles(
  dir: string,
  prefix = '/',
): Promise<Array<{ path: string; bytes: number }>> {
  const out: Array<{ path: string; bytes: number }> = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await listFiles(full, `${prefix}${entry.name}/`)));
    else if (entry.isFile())
      out.push({ path: prefix + entry.name, bytes: (await stat(full)).size });
  }
  return out;
}

/**
 * Builds the site into a temporary folder (unless `dist` is given), serves it
 * with `vite preview` on a free port, calls `work`, and always closes the
 * server and removes the temporary build.
 */
export async function withSite<T>(dist: string | undefined, work: (site: Site) => Promise<T>) {
  if (dist && !existsSync(join(dist, 'index.html')))
    throw new Error(`no built site in ${dist} (no index.html there)`);
  const outDir = dist ?? (await mkdtemp(join(tmpdir(), 'kallsyms-lab-bench-dist-')));
  let server: PreviewServer | undefined;
  try {
    const started = performance.now();
    if (!dist) {
      await withTimeout(
        build({
          root,
          configFile: join(root, 'vite.config.ts'),
          logLevel: 'error',
          build: { outDir, emptyOutDir: true },
        }),
        600_000,
        'building the site with Vite',
      );
    }
    const buildSeconds = dist ? 0 : (performance.now() - started) / 1000;
    server = await preview({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'error',
      build: { outDir },
      plugins: [requestLog()],
      preview: { host: '127.0.0.1', port: 0, strictPort: true },
    });
    const url = `http://127.0.0.1:${(server.httpServer.address() as AddressInfo).port}/`;
    const seen = new Set<string>();
    const log = async () => {
      const entries = (await (
        await fetch(new URL(REQUEST_LOG_PATH, url))
      ).json()) as LoggedRequest[];
      for (const r of entries) {
        if (r.status === 200 || r.status === 304)
          seen.add(r.path.endsWith('/') ? `${r.path}index.html` : r.path);
      }
      return entries;
    };
    return await work({
      url,
      buildSeconds,
      log,
      clearLog: async () => {
        await log(); // what was asked for so far still counts for the site's summary
        await fetch(new URL(REQUEST_LOG_PATH, url), { method: 'DELETE' });
      },
      requested: async () => {
        await log();
        return seen;
      },
      files: await listFiles(outDir),
    });
  } finally {
    await server?.close();
    if (!dist) await rm(outDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------
// Profiles and Chromium's processes

export interface Profile {
  dir: string;
  context: BrowserContext;
  /** Pids of this browser's renderer processes (re-scanned on every call). */
  renderers(): Promise<number[]>;
  /** Pids of the browser process and all its descendants (GPU, network, storage, renderers). */
  processes(): Promise<number[]>;
  close(): Promise<void>;
}

/** A new, empty on-disk profile (a real HTTP disk cache and Cache Storage). */
export async function launchProfile(): Promise<Profile> {
  const dir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-bench-profile-'));
  let context: BrowserContext;
  try {
    context = await withTimeout(
      chromium.launchPersistentContext(dir, {
        executablePath: CHROMIUM,
        args: CHROMIUM_ARGS,
        headless: true,
        viewport: { width: 1280, height: 800 },
        acceptDownloads: true,
      }),
      60_000,
      `launching ${CHROMIUM}`,
    );
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  for (const page of context.pages()) await page.close();
  let browserPid: number | null = null;
  /** This browser's process and its descendants, by the process table. */
  const family = async () => {
    const procs = await processTable();
    browserPid ??=
      procs.find(
        (p) => p.cmdline.includes(`--user-data-dir=${dir}`) && !p.cmdline.includes('--type='),
      )?.pid ?? null;
    if (browserPid === null) return [];
    const byPid = new Map(procs.map((p) => [p.pid, p]));
    const descends = (pid: number) => {
      for (let p = byPid.get(pid), hops = 0; p && hops < 10; p = byPid.get(p.ppid), hops++)
        if (p.ppid === browserPid) return true;
      return false;
    };
    return procs.filter((p) => p.pid === browserPid || descends(p.pid));
  };
  return {
    dir,
    context,
    async renderers() {
      return (await family())
        .filter((p) => p.cmdline.includes('--type=renderer'))
        .filter((p) => !p.cmdline.includes('--top-chrome-webui')) // Chrome's UI, not a page
        .map((p) => p.pid);
    },
    async processes() {
      return (await family()).map((p) => p.pid);
    },
    async close() {
      await withTimeout(context.close(), 30_000, 'closing Chromium').catch((error: unknown) =>
        console.error(`  (${String(error)})`),
      );
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

const cmdlines = new Map<number, string>();

async function processTable(): Promise<Proc[]> {
  const procs: Proc[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    try {
      const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      let cmdline = cmdlines.get(pid);
      if (cmdline === undefined) {
        cmdline = (await readFile(`/proc/${pid}/cmdline`, 'utf8')).replace(/\0/g, ' ');
        // A zygote's child rewrites its cmdline to --type=renderer: cache only the final one.
        if (cmdline.includes('--type=renderer')) cmdlines.set(pid, cmdline);
      }
      procs.push({ pid, ppid, cmdline });
    } catch {
      // gone meanwhile
    }
  }
  return procs;
}

/** A `Field:   N kB` line of a /proc file, in bytes (0 when the process is gone). */
async function procKb(path: string, field: string): Promise<number> {
  try {
    const text = await readFile(path, 'utf8');
    const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const statusField = (pid: number, field: string) => procKb(`/proc/${pid}/status`, field);

/** A process's proportional set size (its private pages, and its share of each shared one), bytes. */
const pss = (pid: number) => procKb(`/proc/${pid}/smaps_rollup`, 'Pss');

/** utime + stime of a process, in ms (clock ticks of 10 ms). */
async function cpuMs(pid: number): Promise<number> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/**
 * Samples the renderers' memory every ~100 ms until stopped; returns the
 * peaks of their summed PSS, of their summed VmRSS and of the largest one's
 * VmRSS, in bytes.
 */
export function sampleRendererMemory(profile: Profile): {
  stop(): Promise<{ pss: number; sum: number; largest: number }>;
} {
  let pssPeak = 0;
  let sumPeak = 0;
  let largestPeak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const pids = await profile.renderers();
      let sum = 0;
      let pssSum = 0;
      for (const pid of pids) {
        const rss = await statusField(pid, 'VmRSS');
        sum += rss;
        pssSum += await pss(pid);
        largestPeak = Math.max(largestPeak, rss);
      }
      sumPeak = Math.max(sumPeak, sum);
      pssPeak = Math.max(pssPeak, pssSum);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { pss: pssPeak, sum: sumPeak, largest: largestPeak };
    },
  };
}

/** VmHWM (the kernel's peak RSS) of each renderer still running, in bytes. */
export async function rendererHighWaterMarks(profile: Profile): Promise<number[]> {
  const marks: number[] = [];
  for (const pid of await profile.renderers()) marks.push(await statusField(pid, 'VmHWM'));
  return marks;
}

/**
 * Waits at least `minMs`, then until the renderers (`which`: or the whole
 * browser, its storage and network processes included) used under 10% of one
 * core over a 500 ms window (the page's warm-up is over), at most `maxMs`.
 * Returns the ms waited.
 */
export async function waitUntilIdle(
  profile: Profile,
  minMs = 3000,
  maxMs = 60_000,
  which: 'renderers' | 'processes' = 'renderers',
) {
  const start = performance.now();
  await new Promise((r) => setTimeout(r, minMs));
  const total = async () => {
    let sum = 0;
    for (const pid of await profile[which]()) sum += await cpuMs(pid);
    return sum;
  };
  while (performance.now() - start < maxMs) {
    const before = await total();
    const t = performance.now();
    await new Promise((r) => setTimeout(r, 500));
    if ((await total()) - before < 0.1 * (performance.now() - t)) break;
  }
  return performance.now() - start;
}

// ---------------------------------------------------------------------------
// The page

/** Ms from navigation start until ready (no progressbar, Run enabled), by the page's clock. */
export async function waitForReady(page: Page, timeout = 180_000): Promise<number> {
  try {
    const handle = await page.waitForFunction(READY_EXPRESSION, null, { timeout, polling: 10 });
    return (await handle.jsonValue()) as number;
  } catch (error) {
    const status = await page
      .locator('[role="status"], [role="progressbar"], [role="alert"]')
      .allInnerTexts()
      .catch(() => []);
    throw new Error(
      `the page did not become ready (no progressbar, Run enabled) within ${timeout / 1000} s; ` +
        `it shows: ${JSON.stringify(status.join(' | ').slice(0, 400))} (${String(error).split('\n')[0]})`,
      { cause: error },
    );
  }
}

/** Where the ready page says its compiled toolchain came from ("downloaded", "from this browser’s cache", …). */
async function toolchainFrom(page: Page): Promise<string> {
  const label = await page.locator('.toolchain-ready').innerText();
  return /, ([^,]+)$/.exec(label)?.[1].trim() ?? 'unknown';
}

/**
 * Presses Run and resolves, in the page, when the status has left the
 * previous verdict and shows a new one (a MutationObserver, so no polling
 * delay). Rejects for "Run failed" or "Stopped".
 */
const RUN_TO_VERDICT = `new Promise((resolve, reject) => {
  const verdict = new RegExp(${JSON.stringify(VERDICT_PATTERN.source)});
  const run = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run');
  if (!run || run.disabled) return reject(new Error('Run is not enabled'));
  let running = false;
  const check = () => {
    const text = document.querySelector('[role="status"]')?.textContent ?? '';
    if (!running) {
      if (!verdict.test(text)) running = true;
      return;
    }
    if (verdict.test(text)) {
      observer.disconnect();
      resolve({ ms: performance.now() - start, text: text.slice(0, 200) });
    } else if (/^\\s*(Run failed|Stopped)/.test(text)) {
      observer.disconnect();
      reject(new Error(text.slice(0, 400)));
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  const start = performance.now();
  run.click();
  check();
})`;

export interface PageRun {
  /** Run pressed to verdict shown, by the page's clock. */
  pageMs: number;
}

export async function runToVerdict(page: Page, timeout: number): Promise<PageRun> {
  const result = (await withTimeout(
    page.evaluate(RUN_TO_VERDICT),
    timeout,
    'waiting for a verdict after pressing Run',
  )) as { ms: number; text: string };
  return { pageMs: result.ms };
}

/** The current run's record, through the page's Export JSON button (a download). */
export async function exportRecord(page: Page): Promise<RunRecord> {
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    page.getByRole('button', { name: 'Export JSON', exact: true }).click({ timeout: 30_000 }),
  ]);
  const path = await download.path();
  const record = JSON.parse(await readFile(path, 'utf8')) as RunRecord;
  await download.delete();
  return record;
}

// ---------------------------------------------------------------------------
// Measurements

export interface LargeFile {
  path: string;
  bytes: number;
  encoding: string;
}

export interface StartResult {
  firstVisit: { bytes: number; requests: number; largeFiles: LargeFile[] };
  /** Ms from navigation start to ready, one per fresh profile. */
  cold: number[];
  /** Ms from navigation start to ready, new pages in a visited profile. */
  warm: number[];
  /** Where each warm visit's compiled toolchain came from, as the page says it ("from this browser's cache", …). */
  warmFrom: string[];
  /** The default scenario's loop, Run pressed right at a warm ready to verdict (page clock). */
  defaultLoopAtReady: number[];
}

/**
 * `profiles` fresh profiles, each: a cold visit, then `warmPerProfile` warm
 * visits (new pages). The first profile's first visit is counted in bytes,
 * until the page is idle. Returns the last profile, still open, for more work.
 *
 * "Warm" means cached: the cold page stays open until it is idle, as the
 * worker writes the toolchain into Cache Storage after ready (a page closed
 * at ready loses that write: its next visit downloads again, from the HTTP
 * cache, ~1.2-1.7 s). And each warm visit starts in an idle browser: the
 * previous page's renderer gone, so its teardown is not counted.
 */
export async function measureStart(
  site: Site,
  profiles: number,
  warmPerProfile: number,
  log: (line: string) => void = () => {},
): Promise<{ result: StartResult; profile: Profile }> {
  const result: StartResult = {
    firstVisit: { bytes: 0, requests: 0, largeFiles: [] },
    cold: [],
    warm: [],
    warmFrom: [],
    defaultLoopAtReady: [],
  };
  let profile: Profile | undefined;
  try {
    for (let i = 0; i < profiles; i++) {
      await profile?.close();
      profile = undefined;
      profile = await launchProfile();
      const page = await profile.context.newPage();
      await site.clearLog();
      await page.goto(site.url, { timeout: 60_000 });
      result.cold.push(await waitForReady(page));
      await waitUntilIdle(profile, 3000);
      if (i === 0) {
        const requests = await site.log();
        result.firstVisit = {
          bytes: requests.reduce((sum, r) => sum + r.bytes, 0),
          requests: requests.length,
          largeFiles: requests
            .filter((r) => r.bytes > 50_000)
            .map((r) => ({
              path: r.path,
              bytes: r.bytes,
              encoding: r.contentEncoding ?? 'identity',
            })),
        };
      }
      await page.close();
      log(`  browser: cold start ${i + 1}/${profiles}: ${result.cold.at(-1)!.toFixed(0)} ms`);
      for (let j = 0; j < warmPerProfile; j++) {
        await waitUntilIdle(profile, 500, 30_000, 'processes');
        const again = await profile.context.newPage();
        await again.goto(site.url, { timeout: 60_000 });
        result.warm.push(await waitForReady(again));
        result.warmFrom.push(await toolchainFrom(again));
        result.defaultLoopAtReady.push((await runToVerdict(again, 120_000)).pageMs);
        await again.close();
      }
    }
    return { result, profile: profile! };
  } catch (error) {
    await profile?.close();
    throw error;
  }
}

/** A preset's loop on one toolchain: medians per trial pass and of the whole loop, ms. */
export interface LoopRow {
  preset: string;
  toolchain: string;
  passes: number;
  verdict: string;
  link: number;
  listing: number;
  kallsyms: number;
  object: number;
  /** The worker's (or Node's) totalMs. */
  loop: number;
}

/** The first cells of a table row for a LoopRow (the columns Node and browser rows share). */
export function loopRowCells(r: LoopRow, fixed: (x: number) => string): string[] {
  return [
    r.preset,
    r.toolchain,
    String(r.passes),
    r.verdict,
    ...[r.link, r.listing, r.kallsyms, r.object, r.loop].map(fixed),
  ];
}

export interface BrowserPresetRow extends LoopRow {
  toolchain: 'browser';
  /** Median of Run pressed to verdict shown (page clock): the loop as the user sees it. */
  pageLoop: number;
  /** Median over the timed runs' trial passes of link+listing+kallsyms+object. */
  fullPass: number;
  /** The longest pass (trial or vmlinux, link+listing+kallsyms+object) of any timed run. */
  maxPass: number;
  /** Peak summed VmRSS of the renderer processes during this preset (warm-up included), bytes. */
  peakRendererRss: number;
  /** Peak summed PSS of the same (shared pages counted once), bytes. */
  peakRendererPss: number;
  /** Peak VmRSS of the largest renderer (the page's, which holds the worker), bytes. */
  peakLargestRendererRss: number;
  runs: { pageMs: number; totalMs: number; verdict: string; passes: number }[];
}

const PARTS = ['link', 'listing', 'kallsyms', 'object'] as const;

/** In one page (ready, idle): each preset chosen in the picker, one warm-up run, then `runs` runs. */
export async function measurePresets(
  page: Page,
  profile: Profile,
  presets: readonly { id: string; scenario: { corpus: string } }[],
  runs: number,
  log: (line: string) => void = () => {},
): Promise<BrowserPresetRow[]> {
  const rows: BrowserPresetRow[] = [];
  for (const preset of presets) {
    const large = preset.scenario.corpus !== 'kernel-like';
    const timeout = large ? 600_000 : 120_000;
    const sampler = sampleRendererMemory(profile);
    try {
      await page.getByLabel('Preset', { exact: true }).selectOption(preset.id, { timeout: 30_000 });
      const started = performance.now();
      await runToVerdict(page, timeout); // warm-up, not counted (a generated corpus is made here)
      log(
        `  browser ${preset.id}: warm-up run ${((performance.now() - started) / 1000).toFixed(1)} s`,
      );
      const parts = { link: [], listing: [], kallsyms: [], object: [] } as Record<
        (typeof PARTS)[number],
        number[]
      >;
      const full: number[] = [];
      let maxPass = 0;
      const timed: BrowserPresetRow['runs'] = [];
      for (let i = 0; i < runs; i++) {
        await waitUntilIdle(profile, 1000);
        const { pageMs } = await runToVerdict(page, timeout);
        const record = await exportRecord(page);
        timed.push({
          pageMs,
          totalMs: record.totalMs,
          verdict: record.verdict.kind,
          passes: record.verdict.passes,
        });
        for (const pass of record.passes) {
          const whole = PARTS.reduce((sum, key) => sum + pass.timings[key], 0);
          maxPass = Math.max(maxPass, whole);
          if (pass.step !== 'trial') continue;
          for (const key of PARTS) parts[key].push(pass.timings[key]);
          full.push(whole);
        }
      }
      const peak = await sampler.stop();
      const last = timed.at(-1)!;
      rows.push({
        preset: preset.id,
        toolchain: 'browser',
        passes: last.passes,
        verdict: last.verdict,
        link: median(parts.link),
        listing: median(parts.listing),
        kallsyms: median(parts.kallsyms),
        object: median(parts.object),
        loop: median(timed.map((r) => r.totalMs)),
        pageLoop: median(timed.map((r) => r.pageMs)),
        fullPass: median(full),
        maxPass,
        peakRendererRss: peak.sum,
        peakRendererPss: peak.pss,
        peakLargestRendererRss: peak.largest,
        runs: timed,
      });
      log(
        `  browser ${preset.id}: ${median(timed.map((r) => r.pageMs)).toFixed(0)} ms Run→verdict, ` +
          `peak renderer PSS ${(peak.pss / 1e6).toFixed(0)} MB, RSS ${(peak.sum / 1e6).toFixed(0)} MB ` +
          `(largest renderer ${(peak.largest / 1e6).toFixed(0)} MB)`,
      );
    } catch (error) {
      await sampler.stop();
      throw new Error(`browser, preset ${preset.id}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return rows;
}

export interface SweepResult {
  preset: string;
  steps: number;
  /** Sweep pressed to "Swept N steps" shown, by the page's clock. */
  pageMs: number;
  /** What the page said: "Swept 64 steps in 20.7 s on 2 workers." */
  statusText: string;
  ranges: string[];
}

/** The page's own sweep (gap 28..36 MiB in `steps` steps) of a preset, once. */
export async function measureSweep(
  page: Page,
  preset: string,
  steps: number,
  log: (line: string) => void = () => {},
): Promise<SweepResult> {
  await page.getByLabel('Preset', { exact: true }).selectOption(preset, { timeout: 30_000 });
  const sweep = page.getByRole('region', { name: 'Sweep a parameter' });
  await sweep.getByLabel('Parameter').selectOption('gap');
  await sweep.getByLabel('From', { exact: true }).fill('28');
  await sweep.getByLabel('To', { exact: true }).fill('36');
  await sweep.getByLabel('Steps', { exact: true }).fill(String(steps));
  const result = (await withTimeout(
    page.evaluate(`new Promise((resolve, reject) => {
      const section = [...document.querySelectorAll('section')].find((s) =>
        s.querySelector('h2')?.textContent?.startsWith('Sweep a parameter'));
      const button = [...section.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Sweep');
      const check = () => {
        const text = section.querySelector('.sweep-status')?.textContent ?? '';
        if (/^Swept \\d+ steps/.test(text)) { observer.disconnect(); resolve({ ms: performance.now() - start, text }); }
        else if (/^Sweep (failed|stopped)/.test(text)) { observer.disconnect(); reject(new Error(text)); }
      };
      const observer = new MutationObserver(check);
      observer.observe(section, { subtree: true, childList: true, characterData: true });
      const start = performance.now();
      button.click();
    })`),
    600_000,
    'waiting for the sweep to finish',
  )) as { ms: number; text: string };
  const ranges = await sweep
    .getByRole('list', { name: 'Where the verdict holds' })
    .locator('li')
    .allInnerTexts();
  log(
    `  browser sweep ${preset} ${steps} steps: ${(result.ms / 1000).toFixed(1)} s (${result.text})`,
  );
  return { preset, steps, pageMs: result.ms, statusText: result.text, ranges };
}

export interface StopResult {
  /** Stop pressed to the banner saying Stopped with Run enabled. */
  toControlMs: number;
  /** Run pressed right after (small-converges) to its first pass in the table. */
  runToFirstPassMs: number;
  /** That run's first trial pass in the worker (link+listing+kallsyms+object): the part not due to Stop. */
  firstPassWorkMs: number;
  /** The toolchain said "Restarting" (the worker was replaced, not kept). */
  restarted: boolean;
}

/** Stop a long run (never-converges) after 3 passes, then Run small-converges at once. */
export async function measureStop(
  page: Page,
  runs: number,
  log: (line: string) => void = () => {},
): Promise<StopResult[]> {
  const out: StopResult[] = [];
  for (let i = 0; i < runs; i++) {
    await page.getByLabel('Preset', { exact: true }).selectOption('never-converges');
    await page.getByRole('button', { name: 'Run', exact: true }).click();
    await page.waitForFunction(
      `[...document.querySelectorAll('table')].find((t) => t.caption?.textContent === 'Passes')
        ?.querySelectorAll('tbody tr td:nth-child(2)').length >= 3`,
      null,
      { timeout: 60_000, polling: 10 },
    );
    const stop = (await page.evaluate(`new Promise((resolve) => {
      const button = (name) => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === name);
      let restarted = false;
      const watch = new MutationObserver(() => {
        if (document.querySelector('.toolchain')?.textContent.includes('Restarting')) restarted = true;
      });
      watch.observe(document.body, { subtree: true, childList: true, characterData: true });
      setTimeout(() => { watch.disconnect(); window.__restarted = restarted; }, 3000);
      const start = performance.now();
      button('Stop').click();
      const check = () => {
        const status = document.querySelector('[role="status"]')?.textContent ?? '';
        if (/Stopped after/.test(status) && !button('Run').disabled) resolve(performance.now() - start);
        else requestAnimationFrame(check);
      };
      check();
    })`)) as number;
    await page.getByLabel('Preset', { exact: true }).selectOption('small-converges');
    const first = (await page.evaluate(`new Promise((resolve) => {
      const rows = () => [...document.querySelectorAll('table')].find((t) => t.caption?.textContent === 'Passes')
        ?.querySelectorAll('tbody tr td:nth-child(2)').length ?? 0;
      const start = performance.now();
      [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run').click();
      const check = () => (rows() >= 1 ? resolve(performance.now() - start) : requestAnimationFrame(check));
      requestAnimationFrame(check);
    })`)) as number;
    await waitForVerdictShown(page);
    const record = await exportRecord(page);
    const pass = record.passes[0];
    await page.waitForTimeout(3000);
    const restarted = (await page.evaluate('window.__restarted === true')) as boolean;
    const result = {
      toControlMs: stop,
      runToFirstPassMs: first,
      firstPassWorkMs: PARTS.reduce((sum, key) => sum + pass.timings[key], 0),
      restarted,
    };
    log(
      `  browser stop ${i + 1}/${runs}: control after ${Math.round(stop)} ms; next Run → first pass ${Math.round(first)} ms (its work ${Math.round(result.firstPassWorkMs)} ms)${restarted ? '; worker replaced' : '; worker kept'}`,
    );
    out.push(result);
  }
  return out;
}

async function waitForVerdictShown(page: Page): Promise<void> {
  await page.waitForFunction(VERDICT_SHOWN_EXPRESSION, null, {
    timeout: 120_000,
    polling: 10,
  });
}

export interface BrowserBench {
  url: string;
  buildSeconds: number;
  /** The served site against what the page asked for over the whole measurement. */
  dist: DistSummary;
  start: StartResult;
  /** Ms waited after ready for the page's warm-up of the default scenario to end. */
  idleWaitMs: number;
  presets: BrowserPresetRow[];
  sweep: SweepResult | null;
  stops: StopResult[];
  /** VmHWM of each renderer at the end (the kernel's peak RSS since the process started). */
  rendererHighWaterMarks: number[];
  /** Seconds spent in each phase. */
  phases: Record<string, number>;
}

/**
 * The whole browser measurement: build (unless `dist`), serve, `runs` cold
 * profiles with three warm visits each (more samples: a median of warm starts on a shared 2-core VM moved by ±50 ms between runs), then the presets in one warm page.
 */
export async function benchBrowser(options: {
  dist?: string;
  runs: number;
  presets: readonly { id: string; scenario: { corpus: string } }[];
  /** The preset to sweep 64 steps of in the page (none: no sweep). */
  sweepPreset?: string;
  log?: (line: string) => void;
}): Promise<BrowserBench> {
  const log = options.log ?? (() => {});
  const phases: Record<string, number> = {};
  const t0 = performance.now();
  return withSite(options.dist, async (site) => {
    phases.build = site.buildSeconds;
    log(`  browser: site ${options.dist ? 'given' : 'built'}, served at ${site.url}`);
    let t = performance.now();
    const { result: start, profile } = await measureStart(site, options.runs, 3, log);
    phases.startVisits = (performance.now() - t) / 1000;
    try {
      t = performance.now();
      const page = await profile.context.newPage();
      await page.goto(site.url, { timeout: 60_000 });
      start.warm.push(await waitForReady(page));
      start.warmFrom.push(await toolchainFrom(page));
      const idleWaitMs = await waitUntilIdle(profile, 3000);
      log(`  browser: warm page ready, idle after ${(idleWaitMs / 1000).toFixed(1)} s more`);
      phases.idleWait = (performance.now() - t) / 1000;
      t = performance.now();
      const presets = await measurePresets(page, profile, options.presets, options.runs, log);
      phases.presets = (performance.now() - t) / 1000;
      t = performance.now();
      const stops = options.presets.some((p) => p.id === 'never-converges')
        ? await measureStop(page, options.runs, log)
        : [];
      phases.stops = (performance.now() - t) / 1000;
      t = performance.now();
      const sweep = options.sweepPreset
        ? await measureSweep(page, options.sweepPreset, 64, log)
        : null;
      phases.sweep = (performance.now() - t) / 1000;
      const marks = await rendererHighWaterMarks(profile);
      phases.total = (performance.now() - t0) / 1000;
      return {
        url: site.url,
        buildSeconds: site.buildSeconds,
        dist: await summariseDist(site),
        start,
        idleWaitMs,
        presets,
        sweep,
        stops,
        rendererHighWaterMarks: marks,
        phases,
      };
    } finally {
      await profile.close();
    }
  });
}
