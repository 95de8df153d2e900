/**
 * 1,000 random, mutated and hostile URL hashes never leave a blank or broken
 * page: the app still renders, it shows either the link's scenario or an
 * alert and the default scenario (exactly when the codec refuses the hash),
 * nothing from a hash is ever rendered as markup, and nothing throws.
 *
 * The page reads its hash once, at load, so each hash is a navigation. To
 * keep 1,000 navigations fast, the toolchain worker's script is answered
 * with an empty module here: the hash is decoded on the page, not in the
 * worker, and a real link opening a real run is tested in parity.test.ts.
 */
import lz from 'lz-string';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  decodeScenarioHash,
  encodeScenarioHash,
  MAX_HASH_LENGTH,
} from '../src/toolchain/scenario/permalink.ts';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';
import type { Scenario } from '../src/toolchain/scenario/schema.ts';
import { baseUrl, launchProfile, type Profile, type WatchedPage } from './browser.ts';
import { recordTiming } from './timings.ts';

const COUNT = Number(process.env.E2E_FUZZ_COUNT ?? 1000);
const SEED = Number(process.env.E2E_FUZZ_SEED ?? 20261126);

/** A small, seeded PRNG (mulberry32), so a failure names a hash that can be replayed. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  const pick = <T>(items: readonly T[]): T => items[int(items.length)];
  return { next, int, pick };
}

const LZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const PRINTABLE = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
const ODD = ['%', '%2', '%ZZ', '%00', '%E2%82', '\u202e', '\u0000', '😀', 'é', '\uFFFF', '#', '?'];

const HOSTILE_JSON = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"a":"<img src=x onerror=\\"window.__injected=1\\">"}',
  '{"l":"<img src=x onerror=\\"window.__injected=1\\"><script>window.__injected=2</script>"}',
  '{"l":"SECTIONS { .text : { *(.text) } } <b>bold</b>"}',
  '{"s":"fixpoint","m":1e308}',
  '{"g":-1}',
  '{"g":1e999}',
  '{"n":3}',
  '{"b":"0x<svg onload=window.__injected=3>"}',
  '{"e":["-o","/etc/passwd"]}',
  '{"e":' + JSON.stringify(Array.from({ length: 40 }, () => '--gc-sections')) + '}',
  '[1,2,3]',
  'null',
  '"s1."',
  '{"a":{"a":{"a":{"a":{}}}}}',
  '{"v":"v5.9","s":"v5.9","zz":1}',
];

function validHashes(): string[] {
  const out: string[] = [];
  for (const preset of PRESETS) {
    out.push(encodeScenarioHash(preset.scenario));
    out.push(encodeScenarioHash({ ...preset.scenario, filterLldStubs: true, extraPass: true }));
    out.push(
      encodeScenarioHash({
        ...preset.scenario,
        maxPasses: 5,
        linkerScript: '/* <b>not markup</b> */ SECTIONS { }',
      }),
    );
  }
  return out;
}

function makeHashes(count: number): string[] {
  const r = prng(SEED);
  const valid = validHashes();
  const text = (alphabet: string, length: number) =>
    Array.from({ length }, () => alphabet[r.int(alphabet.length)]).join('');
  const mutate = (hash: string): string => {
    let h = hash;
    const edits = 1 + r.int(4);
    for (let i = 0; i < edits; i++) {
      const at = r.int(h.length + 1);
      switch (r.int(8)) {
        case 0: // flip a character
          h = h.slice(0, at) + text(LZ_ALPHABET, 1) + h.slice(at + 1);
          break;
        case 1: // delete a run
          h = h.slice(0, at) + h.slice(at + 1 + r.int(6));
          break;
        case 2: // insert
          h = h.slice(0, at) + text(r.pick([LZ_ALPHABET, PRINTABLE]), 1 + r.int(4)) + h.slice(at);
          break;
        case 3: // truncate
          h = h.slice(0, at);
          break;
        case 4: // another format number
          h = h.replace(/^s\d+/, `s${r.pick([0, 2, 9, 10, 999999999, 1e10])}`);
          break;
        case 5: // odd characters and broken escapes
          h = h.slice(0, at) + r.pick(ODD) + h.slice(at);
          break;
        case 6: // duplicate a slice
          h = h.slice(0, at) + h.slice(at, at + 1 + r.int(20)) + h.slice(at);
          break;
        default: // drop or change the prefix
          h = r.pick(['', 's', 's1', 'S1.', 'v1.', '#s1.']) + h.replace(/^s\d+\./, '');
      }
    }
    return h;
  };
  const hashes: string[] = [];
  for (const json of HOSTILE_JSON) hashes.push(`s1.${lz.compressToEncodedURIComponent(json)}`);
  hashes.push('s1.' + 'A'.repeat(MAX_HASH_LENGTH + 10));
  hashes.push('s1.' + text(LZ_ALPHABET, 30_000));
  hashes.push('<img src=x onerror="window.__injected=4">');
  hashes.push('s1.<svg/onload=window.__injected=5>');
  hashes.push(...valid);
  while (hashes.length < count) {
    const kind = r.int(10);
    if (kind < 1) hashes.push(encodeScenarioHash(randomScenario(r)));
    else if (kind < 5) hashes.push(mutate(r.pick(valid)));
    else if (kind < 7) hashes.push(`s1.${text(LZ_ALPHABET, r.int(120))}`);
    else if (kind < 8) hashes.push(text(PRINTABLE, 1 + r.int(60)));
    else if (kind < 9) {
      const json = r.pick(HOSTILE_JSON);
      hashes.push(mutate(`s1.${lz.compressToEncodedURIComponent(json)}`));
    } else hashes.push(text(LZ_ALPHABET + ODD.join(''), 1 + r.int(200)));
  }
  return hashes.map((h) => h || 's1.').slice(0, count);
}

/** A valid scenario with random choices: its link must open, without an alert, as made. */
function randomScenario(r: ReturnType<typeof prng>): Scenario {
  const preset = r.pick(PRESETS).scenario;
  return {
    ...preset,
    arch: r.pick(['ppc64le', 'ppc64', 'ppc32'] as const),
    layout: {
      base: preset.layout.base,
      align: 2 ** (2 + r.int(27)),
      gap: r.int(64 * 1024 * 1024),
    },
    generation: r.pick(['v5.8', 'v5.9', 'latest'] as const),
    strategy: r.pick(['v5.9', 'eight-passes', 'latest', 'fixpoint'] as const),
    filterLldStubs: r.next() < 0.5,
    extraPass: r.next() < 0.5,
    allSymbols: r.next() < 0.5,
    baseRelative: r.next() < 0.5,
    maxPasses: 2 + r.int(63),
  };
}

interface PageState {
  rendered: boolean;
  hash: string;
  alert: string | null;
  preset: string | null;
  /** Each labelled select's value, by its label. */
  choices: Record<string, string>;
  injected: unknown;
  polluted: unknown;
  markup: number;
}

/** Waits for the app to render, then reads what a user would see. */
function readState(page: Page): Promise<PageState> {
  return page.evaluate(
    () =>
      new Promise<PageState>((resolve) => {
        const started = performance.now();
        const check = () => {
          const root = document.getElementById('root');
          const select = document.querySelector<HTMLSelectElement>('.preset select, select');
          const rendered = !!root && root.childElementCount > 0 && !!select;
          if (!rendered && performance.now() - started < 10_000) {
            // Not requestAnimationFrame: a page that is not in front may get no frames.
            setTimeout(check, 5);
            return;
          }
          const alert = document.querySelector('[role="alert"]');
          resolve({
            rendered,
            hash: location.hash,
            alert: alert ? (alert.textContent ?? '') : null,
            preset: select?.value ?? null,
            choices: Object.fromEntries(
              [...document.querySelectorAll('label[for]')].flatMap((label) => {
                const control = document.getElementById(label.getAttribute('for') ?? '');
                return control instanceof HTMLSelectElement
                  ? [[(label.textContent ?? '').trim(), control.value]]
                  : [];
              }),
            ),
            injected: (window as { __injected?: unknown }).__injected,
            polluted: ({} as { polluted?: unknown }).polluted,
            markup: document.querySelectorAll('img[src="x"], svg[onload], #root script').length,
          });
        };
        check();
      }),
  );
}

const PAGES = Number(process.env.E2E_FUZZ_PAGES ?? 2);
const stubWorker = (page: Page) =>
  page.route('**/assets/toolchain-worker-*.js', (route) =>
    route.fulfill({ status: 200, contentType: 'text/javascript', body: '// no toolchain' }),
  );

let profile: Profile;
let pages: WatchedPage[];
let defaultPreset: string | null;

beforeAll(async () => {
  profile = await launchProfile();
  pages = [];
  for (let i = 0; i < PAGES; i++) {
    const watched = await profile.newPage();
    await stubWorker(watched.page);
    pages.push(watched);
  }
  await pages[0].page.goto(baseUrl());
  const plain = await readState(pages[0].page);
  expect(plain.rendered).toBe(true);
  expect(plain.alert).toBeNull();
  defaultPreset = plain.preset;
});

afterAll(async () => {
  await profile?.close();
});

// About 0.15 s of CPU per navigation: a minute or two on an idle two-core machine.
it(
  `${COUNT} random, mutated and hostile hashes never leave a blank or broken page`,
  { timeout: 900_000 },
  async () => {
    const hashes = makeHashes(COUNT);
    const started = Date.now();
    let alerts = 0;
    let next = 0;
    // Each page (its own renderer process) takes the next hash until none is left.
    const worker = async ({ page, errors }: WatchedPage) => {
      while (next < hashes.length) {
        const i = next++;
        const hash = hashes[i];
        // A new query string makes each a real navigation (the page reads its hash at load).
        await page.goto(`${baseUrl()}?fuzz=${i}#${hash}`, { waitUntil: 'commit' });
        const state = await readState(page);
        const where = `hash #${i} (seed ${SEED}): ${JSON.stringify(hash.slice(0, 200))}`;
        expect(state.rendered, `rendered after ${where}`).toBe(true);
        expect(state.injected, `script from ${where}`).toBeUndefined();
        expect(state.polluted, `prototype polluted by ${where}`).toBeUndefined();
        expect(state.markup, `markup from ${where}`).toBe(0);
        expect(errors, `errors after ${where}`).toEqual([]);
        // The page shows an alert exactly when the codec refuses what the page read.
        const decoded = decodeScenarioHash(state.hash);
        if (decoded.ok) {
          expect(state.alert, `alert for a valid ${where}`).toBeNull();
        } else {
          alerts++;
          expect(state.alert, `no alert for ${where}`).not.toBeNull();
          expect(state.alert!.length).toBeGreaterThan(20);
          expect(state.preset, `default scenario after ${where}`).toBe(defaultPreset);
        }
      }
    };
    await Promise.all(pages.map(worker));
    const ms = Date.now() - started;
    await recordTiming('fuzz', {
      hashes: hashes.length,
      refused: alerts,
      opened: hashes.length - alerts,
      pages: pages.length,
      ms,
      msPerHash: Math.round((ms / hashes.length) * 10) / 10,
    });
  },
);
