/**
 * The browser gives what the CLI gives: for every preset, the same verdict
 * and the same numbers for every pass (the page's pass table and its JSON
 * export against `kallsyms-lab run --preset ID --json`, run in-process with
 * the same WebAssembly toolchain in Node). And a permalink opened in a fresh
 * browser profile reproduces its scenario's run.
 */
import { readFile } from 'node:fs/promises';
import lz from 'lz-string';
import type { Download, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import type { RunRecord } from '../src/toolchain/kbuild/records.ts';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';
import { encodeScenarioHash } from '../src/toolchain/scenario/permalink.ts';
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
import { recordTiming } from './timings.ts';

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

/** A record without what differs from run to run (times). */
function comparable(record: RunRecord): unknown {
  return JSON.parse(
    JSON.stringify(record, (key, value: unknown) =>
      key === 'ms' || key === 'totalMs' || key === 'timings' || key === 'scenario'
        ? undefined
        : value,
    ),
  );
}

/** Paths at which two JSON values differ (at most `limit`), for a readable failure. */
function differences(a: unknown, b: unknown, path = '$', out: string[] = [], limit = 20): string[] {
  if (out.length >= limit) return out;
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || a === null || b === null) {
    if (a !== b)
      out.push(`${path}: ${JSON.stringify(a)?.slice(0, 80)} ≠ ${JSON.stringify(b)?.slice(0, 80)}`);
    return out;
  }
  if (typeof a !== 'object') {
    if (a !== b)
      out.push(`${path}: ${JSON.stringify(a).slice(0, 80)} ≠ ${JSON.stringify(b).slice(0, 80)}`);
    return out;
  }
  const keys = new Set([...Object.keys(a as object), ...Object.keys(b as object)]);
  for (const key of keys) {
    differences(
      (a as Record<string, unknown>)[key],
      (b as Record<string, unknown>)[key],
      Array.isArray(a) ? `${path}[${key}]` : `${path}.${key}`,
      out,
      limit,
    );
  }
  return out;
}

/** The pass table the page should show for a record, cell for cell. */
function expectedTable(record: RunRecord): Array<Record<string, string>> {
  return record.passes.map((pass) =>
    Object.fromEntries(
      PASS_COLUMNS.filter((c) => c.column !== 'linkMs').map((c) => {
        const value = c.value(pass);
        return [c.title, value === null ? '–' : String(value)];
      }),
    ),
  );
}

function withoutTimes(rows: Array<Record<string, string>>): Array<Record<string, string>> {
  const linkMs = PASS_COLUMNS.find((c) => c.column === 'linkMs')!.title;
  return rows.map((row) => Object.fromEntries(Object.entries(row).filter(([k]) => k !== linkMs)));
}

async function exportedRecord(page: Page): Promise<RunRecord> {
  const [download] = (await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Export JSON', exact: true }).click(),
  ])) as [Download, void];
  return JSON.parse(await readFile((await download.path())!, 'utf8')) as RunRecord;
}

async function pageRun(page: Page, presetId: string) {
  await page.getByLabel('Preset', { exact: true }).selectOption(presetId);
  await expect.poll(() => runButton(page).isEnabled()).toBe(true);
  // Wait for this run's verdict, not the previous one: the status leaves the verdict when a
  // run starts. Watched from before the click: a run of the scenario the page warmed up on
  // takes over the warm-up's record, and can end before a poll would see it start.
  await page.evaluate(() => {
    const shown = () =>
      /^\s*(Converged|Inconsistent|Not converged|Oscillating|Link failed)/.test(
        document.querySelector('[role="status"]')?.textContent ?? '',
      );
    const seen = window as unknown as { __runStarted: boolean };
    seen.__runStarted = false;
    const observer = new MutationObserver(() => {
      if (!shown()) {
        seen.__runStarted = true;
        observer.disconnect();
      }
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  const started = Date.now();
  await runButton(page).click();
  await page.waitForFunction(
    () => (window as unknown as { __runStarted: boolean }).__runStarted,
    null,
    { timeout: 10_000, polling: 5 },
  );
  const verdict = await waitForVerdict(page, 1_500_000);
  const ms = Date.now() - started;
  return { verdict, rows: await readPassTable(page), record: await exportedRecord(page), ms };
}

let profile: Profile;
let watched: WatchedPage;

/**
 * Every preset, the kernel-sized ones too (a generated corpus of 150,000 symbols: since
 * images come through stdout, its loop takes ~4-8 s in Node and in the browser).
 */
const isLarge = (preset: (typeof PRESETS)[number]) => preset.scenario.corpus !== 'kernel-like';
const COMPARED = PRESETS;

/** The permalink test's scenario: a preset changed the way a user would before sharing. */
const LINKED = {
  scenario: { ...PRESETS.find((p) => p.id === 'lld-today')!.scenario, filterLldStubs: true },
  cliArgs: ['--preset', 'lld-today', '--filter-lld-stubs'],
};

/**
 * The CLI runs one after another in the background while the browser runs its own:
 * Chromium's worker and this process's WebAssembly each keep a core busy, so the file
 * takes about the longer of the two, not their sum.
 */
const cliRuns = new Map<string, Promise<{ record: RunRecord; ms: number }>>();
function startCliRuns(): void {
  let previous: Promise<unknown> = Promise.resolve();
  const jobs: Array<[string, string[]]> = [
    // Not the kernel-sized ones: their synchronous links (~0.3-0.6 s each) would hold this
    // process, and Playwright in it, in the middle of a browser run; those run the CLI
    // first, in their own test.
    ...COMPARED.filter((p) => !isLarge(p)).map((p): [string, string[]] => [
      p.id,
      ['--preset', p.id],
    ]),
    ['linked', LINKED.cliArgs],
  ];
  for (const [id, args] of jobs) {
    const run = previous.then(async () => {
      const started = Date.now();
      const record = await cli(args);
      return { record, ms: Date.now() - started };
    });
    run.catch(() => undefined); // reported by the test that awaits it
    cliRuns.set(id, run);
    previous = run.catch(() => undefined);
  }
}

beforeAll(async () => {
  startCliRuns();
  profile = await launchProfile();
  watched = await profile.newPage();
  await watched.page.goto(baseUrl());
  await waitForToolchain(watched.page);
});

afterAll(async () => {
  await Promise.allSettled(cliRuns.values());
  await profile?.close();
});

describe('every preset in the browser gives what the CLI gives', () => {
  const times: Record<string, { browserMs: number; cliMs: number; passes: number }> = {};
  /**
   * The CLI runs one after another while the browser runs its own: Chromium's worker and
   * this process's WebAssembly each keep one core busy, so the file takes the longer of the
   * two, not their sum.
   */
  afterAll(async () => {
    await recordTiming('parity', times);
  });

  for (const preset of COMPARED) {
    it(preset.id, { timeout: isLarge(preset) ? 1_800_000 : 300_000 }, async () => {
      if (isLarge(preset)) {
        await Promise.allSettled(cliRuns.values());
        const started = Date.now();
        const record = await cli(['--preset', preset.id]);
        cliRuns.set(preset.id, Promise.resolve({ record, ms: Date.now() - started }));
      }
      const shown = await pageRun(watched.page, preset.id);
      const { record: expected, ms: cliMs } = await cliRuns.get(preset.id)!;
      times[preset.id] = { browserMs: shown.ms, cliMs, passes: expected.passes.length };

      expect(shown.verdict.startsWith(expected.verdict.summary), shown.verdict).toBe(true);
      expect(withoutTimes(shown.rows)).toEqual(expectedTable(expected));
      expect(differences(comparable(shown.record), comparable(expected))).toEqual([]);
      expect(watched.errors).toEqual([]);
    });
  }
});

describe('permalinks', () => {
  /** What a page without a hash shows: the default scenario. */
  let defaultPreset: string;
  beforeAll(async () => {
    const { page } = await profile.newPage();
    await page.goto(baseUrl());
    defaultPreset = await page.getByLabel('Preset', { exact: true }).inputValue();
    await page.close();
  });

  it('open in a fresh profile, restore the scenario and reproduce its run once the toolchain is ready', async () => {
    const { record: expected } = await cliRuns.get('linked')!;
    expect(expected.verdict.kind).toBe('converged');

    const fresh = await launchProfile();
    try {
      const { page, errors } = await fresh.newPage();
      await page.goto(`${baseUrl()}#${encodeScenarioHash(LINKED.scenario)}`);
      // No click: the link runs by itself.
      const verdict = await waitForVerdict(page, 1_500_000);
      expect(verdict.startsWith(expected.verdict.summary), verdict).toBe(true);
      expect(withoutTimes(await readPassTable(page))).toEqual(expectedTable(expected));
      expect(differences(comparable(await exportedRecord(page)), comparable(expected))).toEqual([]);
      expect(await page.getByLabel("Ignore ld.lld's PPC64 stub symbols").isChecked()).toBe(true);
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await fresh.close();
    }
  });

  it.each([
    ['not a scenario', 'hello'],
    ['a damaged payload', 's1.%%%'],
    ['a format from the future', 's99.N4XyA'],
    ['an arch that does not exist', `s1.${lz.compressToEncodedURIComponent('{"a":"mips"}')}`],
    ['a truncated link', 's1.N4IgbiBc4KwHQE4QB'],
    ['markup', 's1.<img src=x onerror="window.__injected=1">'],
  ])('say what is wrong with %s in an alert and show the default scenario', async (_, hash) => {
    const { page, errors } = await profile.newPage();
    try {
      await page.goto(`${baseUrl()}#${hash}`);
      const alert = page.getByRole('alert');
      await alert.waitFor({ timeout: 30_000 });
      const text = await alert.innerText();
      expect(text).toMatch(/link/i);
      expect(text.length).toBeGreaterThan(30);
      expect(await alert.locator('img').count()).toBe(0);
      expect(await page.evaluate(() => (window as { __injected?: number }).__injected)).toBe(
        undefined,
      );
      expect(await page.getByLabel('Preset', { exact: true }).inputValue()).toBe(defaultPreset);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
