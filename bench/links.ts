/**
 * `npm run bench:links`: what opening a link costs the reader (issue 10,
 * point 12). In headless Chromium against the built site, each case opens a
 * link in a new page of one warm profile and samples the renderers' VmRSS
 * every ~100 ms (bench/browser.ts), then, where the page holds the link for
 * its cost, presses "Run this link" too. Prints what the page showed, the
 * seconds it took and the peak memory of each, against the limits of
 * src/toolchain/scenario/cost.ts.
 *
 *   BENCH_DIST=DIR   a built site to serve (default: build one into a temp dir)
 *   BENCH_CASES=a,b  only these cases (names below)
 */
import type { Page } from 'playwright-core';
import { scenarioLinkerScript } from '../src/toolchain/scenario/loop-config.ts';
import { encodeScenarioHash } from '../src/toolchain/scenario/permalink.ts';
import { AUTO_RUN_BUDGET, PAGE_CEILING, formatSize } from '../src/toolchain/scenario/cost.ts';
import { findPreset } from '../src/toolchain/scenario/presets.ts';
import type { Scenario } from '../src/toolchain/scenario/schema.ts';
import {
  chromiumMissing,
  launchProfile,
  sampleRendererMemory,
  waitForReady,
  withSite,
} from './browser.ts';

const small = findPreset('small-converges')!.scenario;

/** small-converges with its template and `insert` before the gap, in the text segment. */
function withScript(insert: string): Scenario {
  return {
    ...small,
    linkerScript: scenarioLinkerScript(small).replace(
      '  /* The rest of a big kernel',
      `${insert}\n  /* The rest of a big kernel`,
    ),
  };
}

interface Case {
  name: string;
  what: string;
  scenario: Scenario | null;
  /** Press "Run this link" when the page holds it (the reader's own click). */
  click: boolean;
}

const CASES: Case[] = [
  {
    name: 'plain',
    what: 'the page with no link (its warm-up included)',
    scenario: null,
    click: false,
  },
  {
    name: 'fill-1.5g',
    what: 'a link whose script fills 1.5 GiB (took a tab to 6.0 GB on old main)',
    scenario: withScript('  .fill : { . = . + 0x60000000; } :text'),
    click: true,
  },
  {
    name: 'fill-unknown-320m',
    what: 'a link whose 320 MiB fill the estimate cannot read (a symbol), run anyway',
    scenario: withScript('  fill_size = 0x14000000;\n  .fill : { . = . + fill_size; } :text'),
    click: true,
  },
  {
    name: 'fill-200m',
    what: 'a link whose script fills 200 MiB (under the ceiling), run anyway',
    scenario: withScript('  .fill : { . = . + 0xc800000; } :text'),
    click: true,
  },
  {
    name: 'calls-6.4m',
    what: 'a link to a 400,000-function corpus with 6.4 million calls (4.4 GB on old main)',
    scenario: {
      ...small,
      corpus: 'generated-v1?symbols=400000&objects=2000&initFunctions=100000&callsPerInit=64',
    },
    click: true,
  },
  {
    name: 'lld-today-large',
    what: 'a link to the lld-today-large preset, run anyway',
    scenario: findPreset('lld-today-large')!.scenario,
    click: true,
  },
];

const SHOWN =
  /^\s*(Converged|Inconsistent kallsyms data|Not converged|Oscillating|Link failed|Run failed|Not run|Stopped)/;

/** The status line once it shows an outcome (or the gate's words), within `ms`. */
async function outcome(page: Page, ms: number): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const status = (await page.locator('[role="status"]').innerText()).trim();
    if (SHOWN.test(status) || Date.now() > deadline) return status.split('\n')[0].slice(0, 140);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function main() {
  const missing = chromiumMissing();
  if (missing) {
    console.error(missing);
    process.exit(2);
  }
  const only = process.env.BENCH_CASES?.split(',').filter(Boolean);
  console.log(
    `limits: a link runs unasked up to ${formatSize(AUTO_RUN_BUDGET.imageBytes)} images, ` +
      `${AUTO_RUN_BUDGET.symbols.toLocaleString('en')} functions, ${AUTO_RUN_BUDGET.calls.toLocaleString('en')} calls; ` +
      `the page runs up to ${formatSize(PAGE_CEILING.imageBytes)} images, ${PAGE_CEILING.calls.toLocaleString('en')} calls`,
  );
  await withSite(process.env.BENCH_DIST, async (site) => {
    const profile = await launchProfile();
    try {
      // A first visit fills the caches, so that every case starts warm.
      const first = await profile.context.newPage();
      await first.goto(site.url);
      await waitForReady(first);
      await first.close();
      for (const c of CASES.filter((c) => !only || only.includes(c.name))) {
        const page = await profile.context.newPage();
        const sampler = sampleRendererMemory(profile);
        const started = Date.now();
        await page.goto(c.scenario ? `${site.url}#${encodeScenarioHash(c.scenario)}` : site.url);
        await waitForReady(page);
        // A link the page runs by itself shows its outcome; one it holds shows the gate.
        const held = await page
          .getByRole('region', { name: /^This link asks for a large run/ })
          .waitFor({ timeout: 3000 })
          .then(() => true)
          .catch(() => false);
        let shown = held
          ? 'held: a button, no run'
          : c.scenario
            ? await outcome(page, 120_000)
            : (await page.locator('[role="status"]').innerText()).trim();
        if (held && c.click) {
          await page.getByRole('button', { name: 'Run this link', exact: true }).click();
          shown = `held; clicked: ${await outcome(page, 300_000)}`;
        } else if (!c.scenario) {
          // The page's own warm-up links the default scenario once after ready.
          await new Promise((r) => setTimeout(r, 5000));
        }
        const seconds = (Date.now() - started) / 1000;
        await new Promise((r) => setTimeout(r, 1000));
        const peak = await sampler.stop();
        console.log(
          `${c.name.padEnd(17)} ${seconds.toFixed(1).padStart(6)} s  peak renderers ${(peak.sum / 1e9).toFixed(2)} GB ` +
            `(largest ${(peak.largest / 1e9).toFixed(2)} GB)  ${c.what}\n${' '.repeat(19)}${shown}`,
        );
        await page.close();
      }
    } finally {
      await profile.close();
    }
  });
}

await main();
