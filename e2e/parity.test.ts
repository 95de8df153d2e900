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
  const started = Date.now();
  await runButton(page).click();
  // Wait for this run's verdict, not the previous one: the table empties when a run starts.
  await page.waitForFunction(
    () =>
      !/^\s*(Converged|Inconsistent|Not converged|Oscillating|Link failed)/.test(
        document.querySelector('[role="status"]')?.textContent ?? '',
      ),
    null,
    { timeout: 10_000, polling: 5 },
  );
  const verdict = await waitForVerdict(page, 180_000);
  const ms = Date.now() - started;
  return { verdict, rows: await readPassTable(page), record: await exportedRecord(page), ms };
}

let profile: Profile;
let watched: WatchedPage;

beforeAll(async () => {
  profile = await launchProfile();
  watched = await profile.newPage();
  await watched.page.goto(baseUrl());
  await waitForToolchain(watched.page);
});

afterAll(async () => {
  await profile?.close();
});

describe('every preset in the browser gives what the CLI gives', () => {
  const times: Record<string, { browserMs: number; cliMs: number; passes: number }> = {};
  afterAll(async () => {
    await recordTiming('parity', times);
  });

  for (const preset of PRESETS) {
    it(preset.id, async () => {
      const cliStarted = Date.now();
      const expected = await cli(['--preset', preset.id]);
      const cliMs = Date.now() - cliStarted;
      const shown = await pageRun(watched.page, preset.id);
      times[preset.id] = { browserMs: shown.ms, cliMs, passes: expected.passes.length };

      expect(shown.verdict.startsWith(expected.verdict.summary), shown.verdict).toBe(true);
      expect(withoutTimes(shown.rows)).toEqual(expectedTable(expected));
      expect(comparable(shown.record)).toEqual(comparable(expected));
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
    const preset = PRESETS.find((p) => p.id === 'lld-today')!;
    const scenario = { ...preset.scenario, filterLldStubs: true };
    const expected = await cli(['--preset', 'lld-today', '--filter-lld-stubs']);
    expect(expected.verdict.kind).toBe('converged');

    const fresh = await launchProfile();
    try {
      const { page, errors } = await fresh.newPage();
      await page.goto(`${baseUrl()}#${encodeScenarioHash(scenario)}`);
      // No click: the link runs by itself.
      const verdict = await waitForVerdict(page, 180_000);
      expect(verdict.startsWith(expected.verdict.summary), verdict).toBe(true);
      expect(withoutTimes(await readPassTable(page))).toEqual(expectedTable(expected));
      expect(comparable(await exportedRecord(page))).toEqual(comparable(expected));
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
