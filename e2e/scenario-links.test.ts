/**
 * The page never shows a result that is not its scenario's, links are the
 * state, links are counted in one way, and a link never makes the reader pay
 * (issue 9, points 1-4 and 7; issue 10, point 12), in Chromium against the
 * built site with the real toolchain:
 * - change the preset mid-run, edit while paused in Step, edit after a run;
 * - a link pasted into the open tab (hashchange), Back and Forward;
 * - a link that opens at a pass with a panel in view; a shared link's first screen;
 * - the pass numbering on one screen (banner, table, chart, step box);
 * - a link over the cost budget shows a button, not a run; the ceiling refuses in words;
 * - the link-failed banner says its message once; a gap of -5 says what is wrong;
 *   an old sweep is marked out of date.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../src/toolchain/scenario/loop-config.ts';
import { encodeScenarioHash } from '../src/toolchain/scenario/permalink.ts';
import { EMPTY_VIEW, encodeLinkHash } from '../src/toolchain/scenario/permalink-view.ts';
import { findPreset } from '../src/toolchain/scenario/presets.ts';
import type { Scenario } from '../src/toolchain/scenario/schema.ts';
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

const preset = (id: string) => findPreset(id)!.scenario;

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

const button = (name: string, p: Page = page) => p.getByRole('button', { name, exact: true });
const status = async (p: Page = page) => (await verdict(p).innerText()).trim();
const choosePreset = (id: string) => page.getByLabel('Preset', { exact: true }).selectOption(id);
const gapField = (p: Page = page) => p.getByRole('textbox', { name: 'Gap (MiB)' });
const selected = (label: string, p: Page = page) =>
  p.getByLabel(label, { exact: true }).inputValue();

/** Opens `hash` in a new document of the profile (a link followed, a tab reopened). */
async function openLink(hash: string): Promise<WatchedPage> {
  const opened = await profile.newPage();
  await opened.page.goto(`${baseUrl()}#${hash}`);
  return opened;
}

/** small-converges with a fill of `size` (a linker-script expression) in the text segment. */
function filled(size: string): Scenario {
  const scenario = preset('small-converges');
  return {
    ...scenario,
    linkerScript: scenarioLinkerScript(scenario).replace(
      '  /* The rest of a big kernel',
      `  .fill : { . = . + ${size}; } :text\n  /* The rest of a big kernel`,
    ),
  };
}

describe('results belong to a scenario (issue 9, point 1)', () => {
  it('changing the preset mid-run stops the run: its verdict never sits beside the new preset', async () => {
    await choosePreset('never-converges');
    await runButton(page).click();
    await expect
      .poll(async () => (await readPassTable(page)).length, { timeout: 60_000, interval: 50 })
      .toBeGreaterThanOrEqual(2);
    await choosePreset('small-converges');
    await expect
      .poll(() => status())
      .toMatch(
        /^Stopped after \d+ trial links?: the scenario changed \(gap, alignment and strategy\)\. Run or Step starts the scenario in the form from its first link\.$/,
      );
    // What is left on screen says whose it is.
    expect(await page.locator('.stale-note').first().innerText()).toMatch(
      /^Out of date: the form has changed since this run \(gap 31\.87890625 MiB → 8 MiB; alignment 16 bytes → 16777216 bytes; strategy fixpoint → latest\)/,
    );
    // Long enough for the old run's next pass and verdict, had it gone on.
    await page.waitForTimeout(3000);
    expect(await status()).toMatch(/^Stopped after/);
    expect(await selected('Preset')).toBe('small-converges');
    await page.screenshot({ path: screenshotPath('issue9-1-preset-changed-mid-run.png') });
  });

  it('editing the gap while paused in Step stops the run; the next Step links the new scenario from trial link 1', async () => {
    await choosePreset('powerpc-2020');
    await button('Step').click();
    await expect.poll(() => status(), { timeout: 60_000 }).toMatch(/^Paused after trial link 1/);
    await gapField().fill('31.5');
    await expect
      .poll(() => status())
      .toBe(
        'Stopped after 1 trial link: the scenario changed (gap). Run or Step starts the scenario in the form from its first link.',
      );
    await page.screenshot({ path: screenshotPath('issue9-1-edit-while-paused.png') });
    await button('Step').click();
    await expect.poll(() => status(), { timeout: 60_000 }).toMatch(/^Paused after trial link 1/);
    const rows = await readPassTable(page);
    expect(rows.map((r) => r.Link)).toEqual(['1']);
    // The one row is the new scenario's: nothing on screen is out of date.
    expect(await page.locator('.stale-note').count()).toBe(0);
    await button('Run').click();
    expect(await waitForVerdict(page)).toMatch(/^(Converged|Inconsistent)/);
  });

  it('an edit after a run leaves the result, marked out of date with what differs, until it is run again', async () => {
    await choosePreset('small-converges');
    await runButton(page).click();
    expect(await waitForVerdict(page)).toMatch(/^Converged after 2 trial links/);
    await gapField().fill('9');
    const note = page.locator('#result-out-of-date');
    await expect
      .poll(() => note.innerText())
      .toMatch(/^Out of date: the form has changed since this run \(gap 8 MiB → 9 MiB\)\./);
    expect(await status()).toMatch(/^Converged after 2 trial links/);
    expect(await page.locator('.run-results-stale').count()).toBe(1);
    await page.screenshot({ path: screenshotPath('issue9-1-edit-after-run.png') });
    // Its own scenario is one click away; running the form's clears the mark.
    expect(await note.getByRole('link').getAttribute('href')).toBe(
      `#${encodeScenarioHash(preset('small-converges'))}`,
    );
    await runButton(page).click();
    await waitForVerdict(page);
    await expect.poll(() => page.locator('.stale-note').count()).toBe(0);
  });
});

describe('links are the state (issue 9, points 2 and 3)', () => {
  it('a link pasted into the open tab loads its scenario and runs it; Share then copies it', async () => {
    const pasted = { ...preset('lld-today'), filterLldStubs: true };
    const hash = encodeScenarioHash(pasted);
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    await expect.poll(() => selected('Strategy')).toBe('latest');
    expect(await page.getByLabel("Ignore ld.lld's PPC64 stub symbols").isChecked()).toBe(true);
    await expect
      .poll(() => status(), { timeout: 60_000 })
      .toMatch(/^Converged after 2 trial links/);
    await page.screenshot({ path: screenshotPath('issue9-2-pasted-link-loads-and-runs.png') });
    await button('Share').click();
    await button('Link to this scenario').click();
    await expect
      .poll(() => page.evaluate(() => navigator.clipboard.readText()))
      .toBe(`${baseUrl()}#${hash}`);
  });

  it('Back and Forward load the scenario the URL had, and run it', async () => {
    await choosePreset('powerpc-2020');
    await runButton(page).click();
    expect(await waitForVerdict(page)).toMatch(/^Inconsistent kallsyms data after 3 trial links/);
    await choosePreset('small-converges');
    await runButton(page).click();
    expect(await waitForVerdict(page)).toMatch(/^Converged after 2 trial links/);
    await page.goBack();
    await expect.poll(() => selected('Preset')).toBe('powerpc-2020');
    await expect
      .poll(() => status(), { timeout: 60_000 })
      .toMatch(/^Inconsistent kallsyms data after 3 trial links/);
    expect(page.url()).toBe(`${baseUrl()}#${encodeScenarioHash(preset('powerpc-2020'))}`);
    await page.screenshot({ path: screenshotPath('issue9-2-back-loads-the-url.png') });
    await page.goForward();
    await expect.poll(() => selected('Preset')).toBe('small-converges');
    await expect
      .poll(() => status(), { timeout: 60_000 })
      .toMatch(/^Converged after 2 trial links/);
  });

  it('typing in a field makes one history entry for the whole edit', async () => {
    await choosePreset('powerpc-2020');
    await gapField().fill('31');
    await gapField().pressSequentially('.75', { delay: 20 });
    await page.getByLabel('Strategy', { exact: true }).selectOption('eight-passes');
    await page.goBack();
    await expect.poll(() => gapField().inputValue()).toBe('31.75');
    expect(await selected('Strategy')).toBe('v5.9');
    await page.goBack();
    await expect.poll(() => gapField().inputValue()).toBe('31.6875');
  });

  it('a link to a view opens at its pass, with its panel in view, once its run is there', async () => {
    const hash = encodeLinkHash(preset('powerpc-2020'), { ...EMPTY_VIEW, pass: 2, panel: 'stubs' });
    const opened = await openLink(hash);
    try {
      const p = opened.page;
      expect(await waitForVerdict(p, 180_000)).toMatch(/^Inconsistent kallsyms data/);
      const details = p.getByRole('heading', { name: /^Trial link 2: \.tmp_vmlinux\.kallsyms2$/ });
      await expect.poll(() => details.count()).toBe(1);
      const row = p.getByRole('table', { name: 'Passes' }).locator('tr[aria-current="true"]');
      expect(await row.locator('th').innerText()).toBe('2');
      const stubs = p.locator('#panel-stubs');
      await expect
        .poll(() => stubs.evaluate((el) => Math.round(el.getBoundingClientRect().top)))
        .toBeGreaterThanOrEqual(0);
      expect(await stubs.evaluate((el) => el.getBoundingClientRect().top)).toBeLessThan(200);
      expect(opened.errors).toEqual([]);
      await p.screenshot({ path: screenshotPath('issue9-2-link-opens-at-pass-2-stubs.png') });
    } finally {
      await opened.page.close();
    }
  });

  it('“Link to this view” copies the pass shown and the panel in view', async () => {
    await choosePreset('powerpc-2020');
    await runButton(page).click();
    await waitForVerdict(page);
    await page.getByLabel('Link shown', { exact: true }).selectOption({ label: 'vmlinux' });
    await page.locator('#panel-distances').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await button('Share').click();
    await page.screenshot({ path: screenshotPath('issue9-2-share-menu.png') });
    await button('Link to this view').click();
    const expected = `${baseUrl()}#${encodeLinkHash(preset('powerpc-2020'), {
      ...EMPTY_VIEW,
      pass: 'vmlinux',
      panel: 'distances',
    })}`;
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
    expect(await page.getByText('Link to this view copied').count()).toBe(1);
  });

  it('a shared link’s first screen: its scenario, the preset it came from, never “you have changed”', async () => {
    const linked = { ...preset('lld-today'), filterLldStubs: true };
    const opened = await openLink(encodeScenarioHash(linked));
    try {
      const p = opened.page;
      await waitForToolchain(p);
      const text = await p.locator('.preset-explanation').innerText();
      expect(text).not.toMatch(/You have changed/);
      expect(text).toContain(
        'This scenario came from a link: this preset with ld.lld stub filter off → on.',
      );
      expect(await waitForVerdict(p)).toMatch(/^Converged after 2 trial links/);
      await p.screenshot({ path: screenshotPath('issue9-3-shared-link-first-screen.png') });
      // The reader's own change is named as theirs.
      await p.getByLabel('Strategy', { exact: true }).selectOption('v5.9');
      await expect
        .poll(() => p.locator('.preset-explanation').innerText())
        .toContain('You have changed strategy since the link opened');
    } finally {
      await opened.page.close();
    }
  });
});

describe('one way to count (issue 9, point 4)', () => {
  it('banner, table, chart and step box count trial links and name the final link vmlinux', async () => {
    await choosePreset('powerpc-2020');
    await runButton(page).click();
    const text = await waitForVerdict(page);
    const counted = Number(/^Inconsistent kallsyms data after (\d+) trial links/.exec(text)![1]);
    const rows = await readPassTable(page);
    expect(rows.map((r) => r.Link)).toEqual(['1', '2', '3', 'vmlinux']);
    expect(rows.filter((r) => /^\d+$/.test(r.Link))).toHaveLength(counted);
    // The chart's x axis: the same labels.
    const ticks = page
      .locator('.kv-chart-panel')
      .first()
      .locator('.recharts-xAxis-tick-labels .kv-pass-tick');
    await expect.poll(() => ticks.allTextContents()).toEqual(['1', '2', '3', 'vmlinux']);
    // The step box, latest and chosen.
    const box = page.getByRole('region', { name: /^What/ });
    expect(await box.innerText()).toMatch(/The final link: vmlinux/);
    await page.getByRole('table', { name: 'Passes' }).getByRole('button', { name: '3' }).click();
    await expect.poll(() => box.innerText()).toMatch(/^What happened at trial link 3\n/);
    expect(await box.innerText()).toMatch(/Trial link 3: \.tmp_vmlinux\.kallsyms3/);
    await page.screenshot({
      path: screenshotPath('issue9-4-one-way-to-count.png'),
      fullPage: true,
    });
  });
});

describe('smaller things (issue 9, point 7)', () => {
  it('the link-failed banner says the linker’s message once', async () => {
    await choosePreset('small-converges');
    // It defines the symbols the loop reads (else it is refused before any link) and ends too soon.
    await page
      .getByLabel('vmlinux.lds', { exact: true })
      .fill(
        '_text = 0; _stext = 0; _etext = 0; _sinittext = 0; _einittext = 0;\nSECTIONS { .text : { *(.text) } ',
      );
    await runButton(page).click();
    const text = await waitForVerdict(page);
    expect(text).toMatch(/^Link failed at trial link 1 \(\.tmp_vmlinux1\): ld\.lld: error:/);
    const line = /ld\.lld: error: [^\n]*/.exec(text)![0];
    expect(text.split(line).length - 1).toBe(1);
    await page.screenshot({ path: screenshotPath('issue9-7-link-failed-once.png') });
    await choosePreset('small-converges');
  });

  it('a script that does not define the symbols the loop reads is refused before any link, naming them', async () => {
    await choosePreset('small-converges');
    const script = page.getByLabel('vmlinux.lds', { exact: true });
    await script.fill('SECTIONS { .text : { *(.text) } }');
    await runButton(page).click();
    // Said in words, before trial link 1 is linked (the old page linked and failed with
    // "undefined symbol: _text"); the reader's script stays as typed.
    await expect
      .poll(async () => (await page.locator('body').innerText()).includes('does not define _text'))
      .toBe(true);
    expect(await page.locator('body').innerText()).not.toMatch(/undefined symbol: _text/);
    const linked = (await readPassTable(page)).filter((r) => /^(\d+|vmlinux)$/.test(r.Link));
    expect(linked).toHaveLength(0);
    expect(await script.inputValue()).toBe('SECTIONS { .text : { *(.text) } }');
    await page.screenshot({ path: screenshotPath('issue9-7-script-refused.png') });
    await choosePreset('small-converges');
  });

  it('a gap of -5 says what is wrong and the range', async () => {
    await gapField().fill('-5');
    await expect
      .poll(() => page.locator('.field-error').first().innerText())
      .toBe(
        'The gap cannot be negative (-5): enter the gap in MiB from 0 to 1024 MiB, such as 31.6875 (or bytes in hex, 0x1fb0000).',
      );
    await page.screenshot({ path: screenshotPath('issue9-7-gap-negative.png') });
    await gapField().fill('8');
  });

  it('an old sweep is marked out of date when the scenario changes', async () => {
    await choosePreset('powerpc-2020');
    const sweep = page.getByRole('region', { name: 'Sweep a parameter' });
    await sweep.getByLabel('From', { exact: true }).fill('31.5');
    await sweep.getByLabel('To', { exact: true }).fill('31.6');
    await sweep.getByLabel('Steps', { exact: true }).fill('2');
    await sweep.getByRole('button', { name: 'Sweep', exact: true }).click();
    await sweep.getByText(/^Swept 2 steps in/).waitFor({ timeout: 120_000 });
    expect(await sweep.locator('.stale-note').count()).toBe(0);
    await page.getByLabel('Strategy', { exact: true }).selectOption('latest');
    await expect
      .poll(() => sweep.locator('.stale-note').innerText())
      .toMatch(/^Out of date: the form has changed since this sweep \(strategy v5\.9 → latest\)/);
    await sweep.screenshot({ path: screenshotPath('issue9-7-old-sweep-out-of-date.png') });
    // The gap is the swept value: changing it does not make the sweep another scenario's.
    await page.getByLabel('Strategy', { exact: true }).selectOption('v5.9');
    await gapField().fill('31.55');
    await expect.poll(() => sweep.locator('.stale-note').count()).toBe(0);
  });
});

describe('a link never makes the reader pay (issue 10, point 12)', () => {
  it('a link over the cost budget shows its scenario and a button, not a run', async () => {
    const opened = await openLink(encodeScenarioHash(preset('lld-today-large')));
    try {
      const p = opened.page;
      await waitForToolchain(p);
      const gate = p.getByRole('region', { name: /^This link asks for a large run/ });
      await gate.waitFor();
      expect(await gate.innerText()).toMatch(
        /asks for 150,000 functions \(the limit is 20,000\), 24,000 init→core calls \(the limit is 20,000\)/,
      );
      expect(await status(p)).toMatch(/^Not run yet: this link asks for more/);
      await p.waitForTimeout(3000);
      expect((await readPassTable(p)).map((r) => r.Link)).toEqual(['No passes yet.']);
      await p.screenshot({ path: screenshotPath('issue10-12-link-over-budget.png') });
      // The reader's click runs it.
      await button('Run this link', p).click();
      await expect.poll(() => status(p)).toMatch(/^Running/);
      await button('Stop', p).click();
    } finally {
      await opened.page.close();
    }
  });

  it('a link whose script fills 1.5 GiB waits; run anyway, it is refused in words before linking', async () => {
    const opened = await openLink(encodeScenarioHash(filled('0x60000000')));
    try {
      const p = opened.page;
      await waitForToolchain(p);
      const gate = p.getByRole('region', { name: /^This link asks for a large run/ });
      await gate.waitFor();
      expect(await gate.innerText()).toMatch(/an image of up to 1\.5 GiB \(the limit is 64 MiB\)/);
      await button('Run this link', p).click();
      await expect
        .poll(() => status(p))
        .toMatch(
          /^Not run: this scenario asks for an image of up to 1\.5 GiB \(the limit is 256 MiB\), more than this page runs\./,
        );
      expect((await readPassTable(p)).map((r) => r.Link)).toEqual(['No passes yet.']);
      await p.screenshot({ path: screenshotPath('issue10-12-ceiling-refused.png') });
    } finally {
      await opened.page.close();
    }
  });
});

describe('no errors', () => {
  it('logged none on the page', () => {
    expect(watched.errors).toEqual([]);
  });
});
