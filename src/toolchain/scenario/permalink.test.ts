/**
 * The permalink codec: links made in the past open as made (the corpus), every
 * scenario survives a round trip, links stay short, and no hash, however
 * damaged or hostile, makes the decoder throw or pollute a prototype.
 */
import * as lzNamespace from 'lz-string';
import { describe, expect, it } from 'vitest';
import { ARCH_IDS } from '../arch/targets.ts';
import { STRATEGY_IDS } from '../kbuild/strategy.ts';
import {
  CURRENT_PERMALINK_FORMAT,
  decodeScenarioHash,
  decodeScenarioHashWith,
  encodeScenarioHash,
  MAX_HASH_LENGTH,
  PERMALINK_FORMATS,
  PermalinkTooLongError,
  type DecodeResult,
  type PermalinkFormat,
} from './permalink.ts';
import corpusJson from './permalink-corpus.json';
import { decodeLinkHash, encodeLinkHash, type LinkView } from './permalink-view.ts';
import { PRESETS } from './presets.ts';
import {
  GENERATION_IDS,
  MAX_GAP_BYTES,
  parseScenario,
  ScenarioError,
  scenarioSchema,
  type Scenario,
} from './schema.ts';
import { mulberry32 } from '../random/mulberry32.ts';

// lz-string is CommonJS: see permalink.ts.
const lz: typeof lzNamespace =
  (lzNamespace as typeof lzNamespace & { default?: typeof lzNamespace }).default ?? lzNamespace;

interface CorpusEntry {
  name: string;
  hash: string;
  scenario: Scenario;
  /** Links to a view (permalink-view.ts) carry what they show; scenario links have none. */
  view?: LinkView;
  made: string;
}
const corpus = corpusJson as unknown as { note: string; entries: CorpusEntry[] };

/** A hash holding `json` as format 1 would, to reach the checks after decompression. */
const format1Hash = (json: string) => `s1.${lz.compressToEncodedURIComponent(json)}`;

const formatOf = (hash: string) => Number(/^s(\d+)\./.exec(hash)![1]);

/** Deterministic pseudo-random numbers, so a failure can be replayed. */
const rng = mulberry32;

const URL_SAFE = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';

/** Decodes, and checks the promise every result keeps: a valid scenario, or a bounded message. */
function decodeChecked(hash: string): DecodeResult {
  let result: DecodeResult | undefined;
  expect(() => {
    result = decodeScenarioHash(hash);
  }).not.toThrow();
  if (result!.ok) {
    expect(scenarioSchema.safeParse(result!.scenario).success).toBe(true);
  } else {
    expect(typeof result!.error).toBe('string');
    expect(result!.error.length).toBeLessThan(600);
    // The message tells the user what happens next.
    expect(result!.error).toMatch(/default scenario is shown|Reload the page/);
    // Nothing unprintable from the link reaches the page.
    const unprintable = (c: number) =>
      c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x2028 && c <= 0x202e);
    expect([...result!.error].some((ch) => unprintable(ch.codePointAt(0)!))).toBe(false);
  }
  return result!;
}

describe('links as they were made (permalink-corpus.json)', () => {
  const scenarioLinks = corpus.entries.filter((e) => !e.view);
  const viewLinks = corpus.entries.filter((e) => e.view);

  it.each(scenarioLinks.map((e) => [e.name, e] as const))('%s opens as made', (_, entry) => {
    const format = formatOf(entry.hash);
    expect(decodeScenarioHash(entry.hash)).toEqual(
      format < CURRENT_PERMALINK_FORMAT
        ? { ok: true, scenario: entry.scenario, migratedFrom: format }
        : { ok: true, scenario: entry.scenario },
    );
    // Also as a full link's hash.
    expect(decodeScenarioHash(`#${entry.hash}`)).toMatchObject({ ok: true });
    // The page reads every link as a link that may have a view: a scenario link has none.
    expect(decodeLinkHash(`#${entry.hash}`)).toEqual({
      ok: true,
      scenario: entry.scenario,
      view: null,
      viewError: null,
    });
  });

  it.each(viewLinks.map((e) => [e.name, e] as const))('%s (a view) opens as made', (_, entry) => {
    expect(decodeLinkHash(`#${entry.hash}`)).toEqual({
      ok: true,
      scenario: entry.scenario,
      view: entry.view,
      viewError: null,
    });
  });

  it('links of the current format are still written exactly as then (a scenario has one link)', () => {
    const current = corpus.entries.filter((e) => formatOf(e.hash) === CURRENT_PERMALINK_FORMAT);
    expect(current.length).toBeGreaterThan(0);
    for (const entry of current) {
      const written = entry.view
        ? encodeLinkHash(entry.scenario, entry.view)
        : encodeScenarioHash(entry.scenario);
      expect(written, entry.name).toBe(entry.hash);
    }
    // The view links made so far use every key of each view format.
    const keysOf = (format: string) =>
      new Set(
        viewLinks
          .filter((e) => e.hash.includes(`&view=${format}`))
          .flatMap((e) => Object.keys(e.view!).filter((k) => e.view![k as keyof LinkView] != null)),
      );
    expect([...keysOf('1')].sort()).toEqual(['panel', 'pass', 'pin', 'sweep']);
    expect([...keysOf('2')].sort()).toEqual(['panel', 'pass', 'sweep', 'sweep2']);
  });

  it('covers every preset, arch, strategy and generation', () => {
    const names = new Set(corpus.entries.map((e) => e.name));
    expect(names.size, 'entry names are unique').toBe(corpus.entries.length);
    for (const p of PRESETS) {
      expect(names.has(`preset:${p.id}`), `run permalink-corpus.generate.ts for ${p.id}`).toBe(
        true,
      );
    }
    const scenarios = corpus.entries.map((e) => e.scenario);
    for (const arch of ARCH_IDS) expect(scenarios.some((s) => s.arch === arch)).toBe(true);
    for (const s of STRATEGY_IDS) expect(scenarios.some((x) => x.strategy === s)).toBe(true);
    for (const g of GENERATION_IDS) expect(scenarios.some((x) => x.generation === g)).toBe(true);
    for (const e of corpus.entries) expect(e.made).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('round trip', () => {
  it.each(PRESETS.map((p) => [p.id, p] as const))('preset %s', (_, preset) => {
    const hash = encodeScenarioHash(preset.scenario);
    expect(hash).toMatch(/^s1\.[A-Za-z0-9+\-$]+$/);
    expect(decodeScenarioHash(hash)).toEqual({ ok: true, scenario: preset.scenario });
    expect(decodeScenarioHash(`#${hash}`)).toEqual({ ok: true, scenario: preset.scenario });
  });

  it('keeps preset links short', () => {
    // Measured 2026-11-26 (characters after the #): small-converges 41,
    // powerpc-2020 31, lld-today 8, ppc32-thunks 57, never-converges 54.
    // Full JSON of a preset would be about 160. A preset on a shaped generated corpus
    // carries its id (pinned-oscillates: 120 characters, 202 in the link).
    for (const p of PRESETS) {
      const shaped = p.scenario.corpus.startsWith('generated-v1?') ? p.scenario.corpus.length : 0;
      expect(encodeScenarioHash(p.scenario).length, p.id).toBeLessThan(100 + shaped);
    }
  });

  it('survives mail and chat programs: percent-escapes, + as a space, whitespace around', () => {
    const scenario = corpus.entries.find((e) => e.name === 'every-field-differs')!.scenario;
    const hash = encodeScenarioHash(scenario);
    expect(hash).toMatch(/[+$]/);
    const mangled = ` #${hash.replace(/\$/g, '%24').replace(/\+/g, ' ')}\n`;
    expect(decodeScenarioHash(mangled)).toEqual({ ok: true, scenario });
  });

  it('300 random valid scenarios, with any text in the script and flags', () => {
    const random = rng(1);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)];
    const text = (max: number) => {
      let s = '';
      const n = Math.floor(random() * max);
      // Any UTF-16 code unit, lone surrogates included.
      for (let i = 0; i < n; i++) s += String.fromCharCode(Math.floor(random() * 0x10000));
      return s;
    };
    let checked = 0;
    while (checked < 300) {
      const candidate = {
        corpus: 'kernel-like',
        arch: pick(ARCH_IDS),
        layout: {
          base: `0x${Math.floor(random() * 2 ** 52)
            .toString(16)
            .slice(0, 1 + Math.floor(random() * 13))}`,
          align: 2 ** (2 + Math.floor(random() * 27)),
          gap: Math.floor(random() * (MAX_GAP_BYTES + 1)),
        },
        linkerScript: random() < 0.3 ? null : text(400),
        generation: pick(GENERATION_IDS),
        baseRelative: random() < 0.5,
        allSymbols: random() < 0.5,
        filterLldStubs: random() < 0.5,
        strategy: pick(STRATEGY_IDS),
        extraPass: random() < 0.5,
        maxPasses: 2 + Math.floor(random() * 63),
        extraLinkerFlags: Array.from({ length: Math.floor(random() * 4) }, () => `x${text(40)}`),
      };
      const valid = scenarioSchema.safeParse(candidate);
      if (!valid.success) continue;
      const hash = encodeScenarioHash(valid.data);
      expect(decodeScenarioHash(hash)).toEqual({ ok: true, scenario: valid.data });
      checked++;
    }
  });
});

describe('encoding refuses what could not be opened', () => {
  it('an invalid scenario', () => {
    const bad = { ...PRESETS[0].scenario, maxPasses: 1 };
    expect(() => encodeScenarioHash(bad)).toThrow(ScenarioError);
  });

  it('a scenario too large for a link, with a message for the user', () => {
    const random = rng(2);
    let script = '';
    for (let i = 0; i < 20_000; i++) script += String.fromCharCode(33 + Math.floor(random() * 90));
    const big = parseScenario({ ...PRESETS[0].scenario, linkerScript: script });
    expect(() => encodeScenarioHash(big)).toThrow(PermalinkTooLongError);
    expect(() => encodeScenarioHash(big)).toThrow(/too large to share by link/);
  });
});

describe('every failure says what was wrong and what to do', () => {
  const next = CURRENT_PERMALINK_FORMAT + 1;
  const valid = encodeScenarioHash(PRESETS[0].scenario);
  it.each([
    ['empty', '', /holds no scenario/],
    ['only #', '#', /holds no scenario/],
    ['not ours', '#passes', /does not hold a kallsyms-lab scenario.*"passes"/],
    ['next format', `s${next}.N4XyA`, new RegExp(`format ${next} is newer than this page`)],
    ['format 9', 's9.anything', /format 9 is newer than this page understands/],
    ['huge format', 's999999999.x', /newer/],
    ['format 0', 's0.N4XyA', /format 0, which kallsyms-lab never published/],
    ['no payload', 's1.', /missing/],
    ['stray character', 's1.N4X!yA', /contains "!", a character/],
    ['garbage', 's1.AAAA', /damaged \(it does not decompress/],
    ['cut short', valid.slice(0, -3), /damaged \(it does not decompress/],
    ['broken escape', 's1.N4%XyA', /percent-escapes/],
    ['not JSON', format1Hash('not json'), /not to scenario data/],
    ['a list', format1Hash('[1,2]'), /holds a list, not a scenario/],
    ['a number', format1Hash('42'), /holds a number/],
    ['a string', format1Hash('"x"'), /holds a string/],
    ['null', format1Hash('null'), /holds null/],
    ['unknown field', format1Hash('{"q":1}'), /field "q" that no link of format 1 has/],
    ['wrong type', format1Hash('{"g":"wide"}'), /not valid \(field layout\.gap: /],
    [
      'out of range',
      format1Hash('{"g":2000000000}'),
      /field layout\.gap: must be at most 1073741824 \(1 GiB\)/,
    ],
    ['bad enum', format1Hash('{"a":"x86"}'), /field arch: /],
    ['bad flag', format1Hash('{"e":["-o","x"]}'), /field extraLinkerFlags\.0: is set by the loop/],
    [
      'many problems',
      format1Hash('{"a":1,"b":2,"n":3,"g":-1,"m":0}'),
      /not valid \(field arch: .*; field layout\.base: .*; and \d more\)/,
    ],
    ['too long', `s1.${'A'.repeat(MAX_HASH_LENGTH)}`, /too long .*at most 8192/],
  ] as const)('%s', (_, hash, message) => {
    const result = decodeChecked(hash);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });
});

describe('hostile input', () => {
  const pollutionProbe = () =>
    (Object.prototype as Record<string, unknown>).polluted ??
    ({} as Record<string, unknown>).polluted ??
    (Array.prototype as unknown as Record<string, unknown>).polluted;

  it.each([
    ['__proto__', '{"__proto__":{"polluted":"yes"}}', /field named "__proto__"/],
    [
      'constructor',
      '{"constructor":{"prototype":{"polluted":"yes"}}}',
      /field named "constructor"/,
    ],
    ['prototype', '{"prototype":{"polluted":"yes"}}', /field named "prototype"/],
    ['beside real fields', '{"s":"v5.9","__proto__":{"polluted":"yes"}}', /__proto__/],
    ['nested in the flags', '{"e":[{"__proto__":{"polluted":"yes"}}]}', /extraLinkerFlags\.0/],
    ['nested in the script', '{"l":{"__proto__":{"polluted":"yes"}}}', /linkerScript/],
    [
      'nested constructor',
      '{"e":{"constructor":{"prototype":{"polluted":1}}}}',
      /extraLinkerFlags/,
    ],
  ])('%s is refused and pollutes nothing', (_, json, message) => {
    const result = decodeChecked(format1Hash(json));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
    expect(pollutionProbe()).toBeUndefined();
  });

  it('echoes at most a few escaped characters of the input', () => {
    const tail = 'onerror=alert(document.cookie)'.repeat(20);
    const result = decodeChecked(`#<img src=x ${tail}`);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toContain('"<img src=x onerr…"');
    expect(result.error).not.toContain('alert');
    const bidi = decodeChecked('\u202eevil\u0000');
    if (!bidi.ok) expect(bidi.error).toContain('\\u{202e}evil\\u{0}');
  });

  /**
   * The worst case for lz-string's output size: each code repeats the whole
   * of the previous one plus a character, so output grows with the square of
   * the input. Written bit by bit as lz-string's decoder reads them.
   */
  function lzBomb(ch: string, length: number): string {
    const bits: number[] = [];
    const put = (value: number, width: number) => {
      for (let i = 0; i < width; i++) bits.push((value >> i) & 1);
    };
    put(0, 2); // an 8-bit literal follows
    put(ch.charCodeAt(0), 8);
    let dictSize = 4;
    let numBits = 3;
    let enlargeIn = 4;
    while (Math.ceil((bits.length + 2 * numBits + 1) / 6) <= length) {
      put(dictSize, numBits); // the entry not yet made: previous + its first character
      dictSize++;
      if (--enlargeIn === 0) enlargeIn = 2 ** numBits++;
    }
    put(2, numBits); // end of stream
    let out = '';
    for (let i = 0; i < bits.length; i += 6) {
      let v = 0;
      for (let k = 0; k < 6; k++) v = (v << 1) | (bits[i + k] ?? 0);
      out += URL_SAFE[v];
    }
    return out;
  }

  it('a decompression bomb at the length cap is cheap; one over the cap is not decompressed', () => {
    const payload = lzBomb('a', MAX_HASH_LENGTH - 3);
    const hash = `s1.${payload}`;
    expect(hash.length).toBeLessThanOrEqual(MAX_HASH_LENGTH);
    // The bomb is real: millions of characters from 8 KiB.
    expect(lz.decompressFromEncodedURIComponent(payload).length).toBeGreaterThan(5_000_000);
    const start = performance.now();
    const result = decodeChecked(hash);
    expect(performance.now() - start).toBeLessThan(1500);
    expect(result.ok).toBe(false);
    expect(decodeChecked(`s1.${payload}AA`)).toMatchObject({ ok: false, error: /too long/ });
  });

  it('deeply nested JSON is refused without exhausting the stack', () => {
    for (const json of [
      '['.repeat(200_000),
      '{"e":' + '['.repeat(100_000) + ']'.repeat(100_000) + '}',
    ]) {
      expect(decodeChecked(format1Hash(json)).ok).toBe(false);
    }
  });
});

describe('fuzzing: no hash makes the decoder throw', () => {
  it('1,000 random strings', () => {
    const random = rng(3);
    const anyChar = () => String.fromCharCode(Math.floor(random() * 0x10000));
    const safeChar = () => URL_SAFE[Math.floor(random() * URL_SAFE.length)];
    for (let i = 0; i < 1000; i++) {
      const n = Math.floor(random() * 300);
      const kind = i % 4;
      let body = '';
      for (let k = 0; k < n; k++) body += kind === 0 ? anyChar() : safeChar();
      const hash =
        kind === 0
          ? body
          : kind === 1
            ? `s1.${body}`
            : kind === 2
              ? `#s${Math.floor(random() * 12)}.${body}`
              : `s1.N4Ig${body}`;
      decodeChecked(hash);
    }
  });

  it('1,000 mutations of valid links', () => {
    const random = rng(4);
    const hashes = corpus.entries.map((e) => e.hash);
    const pos = (s: string) => Math.floor(random() * (s.length + 1));
    const char = () =>
      random() < 0.8
        ? URL_SAFE[Math.floor(random() * URL_SAFE.length)]
        : String.fromCharCode(Math.floor(random() * 0x10000));
    const mutations: ((s: string) => string)[] = [
      (s) => {
        const i = pos(s);
        return s.slice(0, i) + char() + s.slice(i + 1); // flip
      },
      (s) => {
        const i = pos(s);
        return s.slice(0, i) + char() + s.slice(i); // insert
      },
      (s) => {
        const i = pos(s);
        return s.slice(0, i) + s.slice(i + 1); // delete
      },
      (s) => s.slice(0, pos(s)), // truncate
      (s) => s.replace(/^s\d+\./, `s${Math.floor(random() * 4)}.`), // swap the version
      (s) => {
        const i = pos(s);
        const j = pos(s);
        return (
          s.slice(0, Math.min(i, j)) +
          s.slice(Math.min(i, j), Math.max(i, j)).repeat(2) +
          s.slice(Math.max(i, j))
        ); // duplicate a run
      },
    ];
    let opened = 0;
    for (let i = 0; i < 1000; i++) {
      let hash = hashes[i % hashes.length];
      const count = 1 + Math.floor(random() * 3);
      for (let k = 0; k < count; k++)
        hash = mutations[Math.floor(random() * mutations.length)](hash);
      if (decodeChecked(hash).ok) opened++;
    }
    // Some mutations keep a link valid (a flipped last character, a no-op version swap), most do not.
    expect(opened).toBeLessThan(1000);
  });
});

describe('format versions and migrations', () => {
  it('the published table is complete: formats 1..current, each later one migrating from the one before', () => {
    expect([...PERMALINK_FORMATS.keys()].sort((a, b) => a - b)).toEqual(
      Array.from({ length: CURRENT_PERMALINK_FORMAT }, (_, i) => i + 1),
    );
    for (const [n, format] of PERMALINK_FORMATS) {
      expect(format.migrateFromPrevious === undefined, `format ${n}`).toBe(n === 1);
    }
  });

  // A hypothetical format 2, only here: it proves old links are decoded by
  // their own format and then brought up to date, and that gaps are reported.
  const format1 = PERMALINK_FORMATS.get(1)!;
  const format2: PermalinkFormat = {
    decode: (payload) => ({ ok: true, value: JSON.parse(decodeURIComponent(payload)) }),
    migrateFromPrevious: (v1) => ({ ...v1, maxPasses: (v1.maxPasses as number) + 1 }),
  };
  const preset = PRESETS[0].scenario;
  const v1Link = encodeScenarioHash(preset);

  it('a format-1 link is decoded as format 1, then migrated', () => {
    const formats = new Map([
      [1, format1],
      [2, format2],
    ]);
    expect(decodeScenarioHashWith(formats, v1Link)).toEqual({
      ok: true,
      scenario: { ...preset, maxPasses: preset.maxPasses + 1 },
      migratedFrom: 1,
    });
    const v2Link = `s2.${encodeURIComponent(JSON.stringify(preset))}`;
    expect(decodeScenarioHashWith(formats, v2Link)).toEqual({ ok: true, scenario: preset });
    expect(decodeScenarioHashWith(formats, 's3.x')).toMatchObject({
      ok: false,
      error: expect.stringMatching(/format 3 is newer .*format 2 at most/),
    });
  });

  it('a missing or failing migration is an error, not a throw', () => {
    const missing = new Map([
      [1, format1],
      [2, { decode: format2.decode }],
    ]);
    expect(decodeScenarioHashWith(missing, v1Link)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/cannot bring a format-1 link up to date/),
    });
    const throwing = new Map([
      [1, format1],
      [
        2,
        {
          ...format2,
          migrateFromPrevious: () => {
            throw new Error('bug');
          },
        },
      ],
    ]);
    expect(decodeScenarioHashWith(throwing, v1Link)).toMatchObject({ ok: false });
  });
});
