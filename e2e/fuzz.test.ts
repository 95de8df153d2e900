/**
 * 1,000 random, mutated and hostile URL hashes never leave a blank or broken
 * page: the app still renders, it shows either the link's scenario or an
 * alert and the default scenario (exactly when the codec refuses the hash),
 * nothing from a hash is ever rendered as markup, and nothing throws.
 *
 * The page reads its hash once, at load, so each hash is a new document: the
 * app opened in an iframe that a blank driver page navigates, in batches, from
 * inside the browser. To keep 1,000 documents cheap, the toolchain worker's
 * script is answered with an empty module: the hash is decoded on the page,
 * not in the worker, and a real link opening a real run is tested in
 * parity.test.ts.
 */
import lz from 'lz-string';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { encodeScenarioHash, MAX_HASH_LENGTH } from '../src/toolchain/scenario/permalink.ts';
import { decodeLinkHash } from '../src/toolchain/scenario/permalink-view.ts';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';
import type { Scenario } from '../src/toolchain/scenario/schema.ts';
import { baseUrl, launchProfile, type Profile, type WatchedPage } from './browser.ts';
import { BLANK_PATH, NO_TOOLCHAIN_COOKIE } from './request-log.ts';
import { recordTiming } from './timings.ts';
import { mulberry32 } from '../src/toolchain/random/mulberry32.ts';

const COUNT = Number(process.env.E2E_FUZZ_COUNT ?? 1000);
const SEED = Number(process.env.E2E_FUZZ_SEED ?? 20261126);

/** Seeded draws (mulberry32), so a failure names a hash that can be replayed. */
function prng(seed: number) {
  const next = mulberry32(seed);
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
  /** location.hash as the app's document saw it. */
  hash: string;
  alert: string | null;
  preset: string | null;
  /** Each labelled select's value, by its label. */
  choices: Record<string, string>;
  injected: unknown;
  polluted: unknown;
  markup: number;
  /** Uncaught errors, rejections and console errors in the app's document. */
  errors: string[];
}

/**
 * Runs in every document the browser creates (the driver page and each app document in its
 * iframe) before the document's own scripts: records what a page error would be.
 */
function recordErrors() {
  const errors: string[] = [];
  (window as unknown as { __fuzzErrors: string[] }).__fuzzErrors = errors;
  addEventListener('error', (event) => errors.push(`error: ${event.message}`));
  addEventListener('unhandledrejection', (event) =>
    errors.push(`unhandled rejection: ${String(event.reason)}`),
  );
  const consoleError = console.error.bind(console);
  console.error = (...args: unknown[]) => {
    errors.push(`console.error: ${args.map(String).join(' ')}`);
    consoleError(...args);
  };
}

/**
 * The fuzz loop, inside the browser: opens the app at each URL in an iframe (a new document
 * each time, so the app reads the hash at load as it does when a link is opened), waits for
 * it to render and reads what a user would see. Driving from inside the page halves the cost
 * of each navigation compared with a protocol round trip per step.
 */
function openEach(urls: string[]): Promise<PageState[]> {
  const frame = document.createElement('iframe');
  frame.style.width = '480px';
  frame.style.height = '360px';
  document.body.append(frame);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  const open = (url: string) =>
    new Promise<void>((resolve) => {
      frame.onload = () => resolve();
      frame.src = url;
    });
  const read = async (): Promise<PageState> => {
    const started = performance.now();
    for (;;) {
      const doc = frame.contentDocument!;
      const win = frame.contentWindow as Window &
        typeof globalThis & { __injected?: unknown; __fuzzErrors?: string[] };
      const root = doc.getElementById('root');
      const select = doc.querySelector<HTMLSelectElement>('.preset select, select');
      const rendered = !!root && root.childElementCount > 0 && !!select;
      if (rendered || performance.now() - started > 10_000) {
        const alert = doc.querySelector('[role="alert"]');
        return {
          rendered,
          hash: win.location.hash,
          alert: alert ? (alert.textContent ?? '') : null,
          preset: select?.value ?? null,
          choices: Object.fromEntries(
            [...doc.querySelectorAll('label[for]')].flatMap((label) => {
              const control = doc.getElementById(label.getAttribute('for') ?? '');
              return control instanceof win.HTMLSelectElement
                ? [[(label.textContent ?? '').trim(), control.value]]
                : [];
            }),
          ),
          injected: win.__injected,
          polluted: (new win.Object() as { polluted?: unknown }).polluted,
          markup: doc.querySelectorAll('img[src="x"], svg[onload], #root script').length,
          errors: [...(win.__fuzzErrors ?? [])],
        };
      }
      await sleep(2);
    }
  };
  return (async () => {
    const states: PageState[] = [];
    for (const url of urls) {
      await open(url);
      states.push(await read());
    }
    frame.remove();
    return states;
  })();
}

const PAGES = Number(process.env.E2E_FUZZ_PAGES ?? 2);
const BATCH = 50;

let profile: Profile;
let pages: WatchedPage[];
let defaultPreset: string | null;

beforeAll(async () => {
  profile = await launchProfile({ viewport: { width: 600, height: 400 } });
  // The hash is decoded on the page; a toolchain in each of 1,000 documents would only add a
  // 75 MB compile per navigation. The preview server answers this profile's worker requests
  // with an empty module.
  await profile.context.addCookies([{ name: NO_TOOLCHAIN_COOKIE, value: '1', url: baseUrl() }]);
  pages = [];
  for (let i = 0; i < PAGES; i++) {
    const watched = await profile.newPage();
    await watched.page.addInitScript(recordErrors);
    // A blank document of the site's origin, so the driver can read its iframe.
    await watched.page.goto(new URL(BLANK_PATH, baseUrl()).href);
    pages.push(watched);
  }
  const [plain] = await pages[0].page.evaluate(openEach, [baseUrl()]);
  expect(plain.rendered).toBe(true);
  expect(plain.alert).toBeNull();
  expect(plain.errors).toEqual([]);
  defaultPreset = plain.preset;
});

afterAll(async () => {
  await profile?.close();
});

// About 60 ms of CPU per navigation: well under a minute on an idle two-core machine.
it(
  `${COUNT} random, mutated and hostile hashes never leave a blank or broken page`,
  { timeout: 900_000 },
  async () => {
    const hashes = makeHashes(COUNT);
    const started = Date.now();
    let alerts = 0;
    let next = 0;
    // Each driver page (its own renderer process) takes the next batch until none is left.
    const drive = async ({ page, errors }: WatchedPage) => {
      while (next < hashes.length) {
        const first = next;
        next = Math.min(hashes.length, next + BATCH);
        const indices = Array.from({ length: next - first }, (_, k) => first + k);
        // A new query string makes each a new document even when two hashes are the same.
        const urls = indices.map((i) => `${baseUrl()}?fuzz=${i}#${hashes[i]}`);
        const states = await page.evaluate(openEach, urls);
        for (const [k, state] of states.entries()) {
          const i = indices[k];
          const where = `hash #${i} (seed ${SEED}): ${JSON.stringify(hashes[i].slice(0, 200))}`;
          expect(state.rendered, `rendered after ${where}`).toBe(true);
          expect(state.errors, `errors after ${where}`).toEqual([]);
          expect(state.injected, `script from ${where}`).toBeUndefined();
          expect(state.polluted, `prototype polluted by ${where}`).toBeUndefined();
          expect(state.markup, `markup from ${where}`).toBe(0);
          // The page shows an alert exactly when the codec refuses what the page read
          // (the scenario, or the view after it: permalink-view.ts).
          const decoded = decodeLinkHash(state.hash);
          if (decoded.ok && decoded.viewError) {
            alerts++;
            expect(state.alert, `no alert for the view of ${where}`).not.toBeNull();
          } else if (decoded.ok) {
            expect(state.alert, `alert for a valid ${where}`).toBeNull();
            // The page shows the link's scenario.
            const { arch, strategy, generation } = decoded.scenario;
            expect(
              [
                state.choices['Architecture'],
                state.choices['Strategy'],
                state.choices['kallsyms generation'],
              ],
              `scenario shown for ${where}`,
            ).toEqual([arch, strategy, generation]);
          } else {
            alerts++;
            expect(state.alert, `no alert for ${where}`).not.toBeNull();
            expect(state.alert!.length).toBeGreaterThan(20);
            expect(state.preset, `default scenario after ${where}`).toBe(defaultPreset);
          }
        }
        expect(errors, `errors in the driver page`).toEqual([]);
      }
    };
    await Promise.all(pages.map(drive));
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
