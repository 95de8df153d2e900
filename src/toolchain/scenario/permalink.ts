/**
 * Permalinks: the URL hash that holds a whole scenario, so that a link made
 * today opens the same scenario forever (the habit of Compiler Explorer's
 * versioned URL state and the Rust playground's old links).
 *
 * ## Format
 *
 * The hash (after `#`) is `s<format>.<payload>`. `<format>` is a decimal
 * number; once published, a format never changes meaning: its decoder, its
 * baseline and its keys are frozen below, and a page that meets a format it
 * does not know says so instead of guessing.
 *
 * **Format 1** (published 2026-11-26). `<payload>` is lz-string's
 * `compressToEncodedURIComponent` (alphabet `A-Z a-z 0-9 + - $`) of a JSON
 * object that holds only the fields that differ from `FORMAT1_BASELINE`
 * (written out below, never derived from the presets, which may change),
 * under one-letter keys, `layout` flattened:
 *
 *     c corpus        a arch           b layout.base    n layout.align
 *     g layout.gap    l linkerScript   v generation     r baseRelative
 *     y allSymbols    f filterLldStubs s strategy       x extraPass
 *     m maxPasses     e extraLinkerFlags
 *
 * Values are the scenario's own JSON values. The encoder writes keys in this
 * order, so a scenario always gives the same link. Example: the
 * `powerpc-2020` preset is `{"v":"v5.9","s":"v5.9"}`, i.e.
 * `s1.N4IgbiBc4KwHQE4QBoQGcq0SAvkA`; the baseline itself is `s1.N4XyA`.
 *
 * ## Views: a separate part after the scenario
 *
 * A link may also say what was on screen (the pass shown, the panel in
 * view, the pinned run's scenario, the sweep request): `#<scenario>&view=1&…`.
 * That part is not a scenario format and is decoded by permalink-view.ts,
 * which documents it; this codec only ever sees the `<scenario>` before the
 * first `&`. Format-1 payloads never contain `&`, so every link made before
 * views still is a scenario link and opens exactly as made (the corpus
 * proves both kinds).
 *
 * ## Adding a format (when `scenarioSchema` changes)
 *
 * Old links must keep their meaning, so a schema change never edits format 1:
 * add format N+1 to `PERMALINK_FORMATS` with its own frozen decoder and a
 * `migrateFromPrevious` that turns format N's scenario into the new shape
 * *with the value that reproduces the old behaviour* (a new field gets the
 * value the old engine implied, not the new default); switch the encoder to
 * format N+1; run `permalink-corpus.generate.ts` to add links of the new
 * format. The corpus test then proves every old link still opens as made.
 * `SCHEMA_MATCHES_FORMAT1` stops compiling when the schema gains, loses or
 * renames a field, as a reminder.
 *
 * ## Hostile input
 *
 * Decoding never throws. Hashes longer than `MAX_HASH_LENGTH` are refused
 * before decompression, because lz-string output can grow with the square of
 * its input (a worst-case hash of 8 KiB decompresses to about 9 M characters,
 * in about 40 ms; one of 16 KiB to about 30 M). Keys such as `__proto__` are
 * refused, values are only ever copied to fixed paths (never `obj[key] = v`
 * with a key from the link), and the result is validated by `scenarioSchema`,
 * which is strict. Error messages echo at most a few escaped characters of the
 * input; they are plain text, never HTML.
 */
import * as lzNamespace from 'lz-string';
import { parseScenario, ScenarioError, type Scenario } from './schema.ts';

// lz-string is CommonJS whose exports Node cannot see by name: in Node its
// functions sit on `default`, in Vite on the namespace itself.
const lz: typeof lzNamespace =
  (lzNamespace as typeof lzNamespace & { default?: typeof lzNamespace }).default ?? lzNamespace;

/**
 * Longest hash (without `#`) accepted or produced. 8 KiB holds a custom
 * linker script of roughly 10 KB (the 1 KB template gives an 830-character
 * link) and bounds the worst-case decompression (see above).
 */
export const MAX_HASH_LENGTH = 8192;

/**
 * Longest decompressed JSON accepted: the schema's largest scenario (a
 * 200,000-character linker script, escaped) fits; a decompression bomb does
 * not reach JSON.parse.
 */
const MAX_JSON_LENGTH = 1_500_000;

const SHOWN_INSTEAD = 'The default scenario is shown instead';
const ASK_SENDER = `${SHOWN_INSTEAD}; ask the sender for a new link.`;

export type DecodeResult =
  { ok: true; scenario: Scenario; migratedFrom?: number } | { ok: false; error: string };

type Step<T> = { ok: true; value: T } | { ok: false; error: string };
const fail = (error: string): { ok: false; error: string } => ({ ok: false, error });

/** A scenario object in some format's shape, not yet validated. */
export type RawScenario = Record<string, unknown>;

export interface PermalinkFormat {
  /** Payload (after `s<n>.`) to a scenario in the shape of this format's time. */
  decode(payload: string): Step<RawScenario>;
  /** Format n-1's scenario shape to this format's; every format but the first has one. */
  migrateFromPrevious?: (previous: RawScenario) => RawScenario;
}

export type PermalinkFormats = ReadonlyMap<number, PermalinkFormat>;

// ---------------------------------------------------------------------------
// Format 1. Frozen: do not edit below this line up to "Current format"; add a
// new format instead (see the header).

/** The scenario's shape when format 1 was made, written out so that it cannot drift. */
interface ScenarioV1 {
  corpus: string;
  arch: string;
  layout: { base: string; align: number; gap: number };
  linkerScript: string | null;
  generation: string;
  baseRelative: boolean;
  allSymbols: boolean;
  filterLldStubs: boolean;
  strategy: string;
  extraPass: boolean;
  maxPasses: number;
  extraLinkerFlags: string[];
}

/** What an empty format-1 payload means. Chosen so that the presets' links are short. */
const FORMAT1_BASELINE: ScenarioV1 = deepFreeze({
  corpus: 'kernel-like',
  arch: 'ppc64le',
  layout: { base: '0xc000000000000000', align: 16, gap: 0x1fb0000 },
  linkerScript: null,
  generation: 'latest',
  baseRelative: true,
  allSymbols: false,
  filterLldStubs: false,
  strategy: 'latest',
  extraPass: false,
  maxPasses: 16,
  extraLinkerFlags: [],
});

type V1Path =
  readonly [Exclude<keyof ScenarioV1, 'layout'>] | readonly ['layout', keyof ScenarioV1['layout']];

const FORMAT1_FIELDS: readonly { key: string; path: V1Path }[] = [
  { key: 'c', path: ['corpus'] },
  { key: 'a', path: ['arch'] },
  { key: 'b', path: ['layout', 'base'] },
  { key: 'n', path: ['layout', 'align'] },
  { key: 'g', path: ['layout', 'gap'] },
  { key: 'l', path: ['linkerScript'] },
  { key: 'v', path: ['generation'] },
  { key: 'r', path: ['baseRelative'] },
  { key: 'y', path: ['allSymbols'] },
  { key: 'f', path: ['filterLldStubs'] },
  { key: 's', path: ['strategy'] },
  { key: 'x', path: ['extraPass'] },
  { key: 'm', path: ['maxPasses'] },
  { key: 'e', path: ['extraLinkerFlags'] },
];

// A Map, not an object: `constructor` or `__proto__` must not find anything.
const FORMAT1_FIELD_BY_KEY = new Map(FORMAT1_FIELDS.map((f) => [f.key, f]));

function getV1(scenario: ScenarioV1, path: V1Path): unknown {
  return path[0] === 'layout'
    ? scenario.layout[path[1] as keyof ScenarioV1['layout']]
    : scenario[path[0]];
}

function encodeFormat1(scenario: ScenarioV1): string {
  const compact: Record<string, unknown> = {};
  for (const { key, path } of FORMAT1_FIELDS) {
    const value = getV1(scenario, path);
    if (!sameJsonValue(value, getV1(FORMAT1_BASELINE, path))) compact[key] = value;
  }
  return lz.compressToEncodedURIComponent(JSON.stringify(compact));
}

function decodeFormat1(payload: string): Step<RawScenario> {
  const parsed = decompressJson(payload);
  if (!parsed.ok) return parsed;
  const compact = parsed.value;
  // A fresh copy: the result is handed to the schema and must not alias the frozen baseline.
  const raw: RawScenario = {
    ...FORMAT1_BASELINE,
    layout: { ...FORMAT1_BASELINE.layout },
    extraLinkerFlags: [...FORMAT1_BASELINE.extraLinkerFlags],
  };
  for (const key of Object.keys(compact)) {
    const field = FORMAT1_FIELD_BY_KEY.get(key);
    if (!field)
      return fail(
        `This link's scenario is damaged (it has a field ${echo(key)} that no link of format 1 has). ${ASK_SENDER}`,
      );
    const value = compact[key];
    if (field.path[0] === 'layout') (raw.layout as Record<string, unknown>)[field.path[1]] = value;
    else raw[field.path[0]] = value;
  }
  return { ok: true, value: raw };
}

const FORMAT1: PermalinkFormat = { decode: decodeFormat1 };

// ---------------------------------------------------------------------------
// Current format: what links are written in today. Change these when a format is added.

/** Every format ever published. Entries are never edited or removed, only added. */
export const PERMALINK_FORMATS: PermalinkFormats = new Map([[1, FORMAT1]]);

export const CURRENT_PERMALINK_FORMAT = 1;

type SameKeys<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never]
  ? true
  : false;

/**
 * Compile-time alarm: this stops compiling when the schema gains, loses or
 * renames a field, since format 1 could then no longer say what a scenario
 * means. Add a format (see the header) instead of editing format 1.
 */
export const SCHEMA_MATCHES_FORMAT1: SameKeys<Scenario, ScenarioV1> &
  SameKeys<Scenario['layout'], ScenarioV1['layout']> = true;

/** Thrown by `encodeScenarioHash` when a scenario is too big for a link; the message is for users. */
export class PermalinkTooLongError extends Error {
  readonly length: number;
  constructor(length: number) {
    super(
      `This scenario is too large to share by link (the link would be ${length} characters; ` +
        `links hold at most ${MAX_HASH_LENGTH}). Shorten the custom linker script to share it.`,
    );
    this.name = 'PermalinkTooLongError';
    this.length = length;
  }
}

/**
 * The URL hash (without `#`) for a scenario, in the current format.
 * Throws `ScenarioError` for an invalid scenario (its link would not open)
 * and `PermalinkTooLongError` when the link would exceed `MAX_HASH_LENGTH`.
 */
export function encodeScenarioHash(scenario: Scenario): string {
  const valid = parseScenario(scenario, 'scenario to share');
  const hash = `s${CURRENT_PERMALINK_FORMAT}.${encodeFormat1(valid)}`;
  if (hash.length > MAX_HASH_LENGTH) throw new PermalinkTooLongError(hash.length);
  return hash;
}

/**
 * The scenario a URL hash (with or without `#`) holds. Never throws: every
 * failure is a message for the user that says what was wrong and what to do.
 * `migratedFrom` is the link's format when it was older than the current one.
 */
export function decodeScenarioHash(hash: string): DecodeResult {
  return decodeScenarioHashWith(PERMALINK_FORMATS, hash);
}

/** `decodeScenarioHash` over a given table of formats: the migration machinery, testable. */
export function decodeScenarioHashWith(formats: PermalinkFormats, hash: string): DecodeResult {
  try {
    return decodeUnguarded(formats, hash);
  } catch {
    // Nothing above is meant to throw; this keeps the promise if something does.
    return fail(`This link's scenario could not be read. ${ASK_SENDER}`);
  }
}

function decodeUnguarded(formats: PermalinkFormats, hash: string): DecodeResult {
  if (typeof hash !== 'string') return fail(`This link holds no scenario. ${SHOWN_INSTEAD}.`);
  // Checked before any other work, so a huge hash costs nothing.
  if (hash.length > MAX_HASH_LENGTH * 3 + 1) return tooLong(hash.length);
  let text = hash.trim();
  if (text.startsWith('#')) text = text.slice(1);
  // Some mail and chat programs percent-encode `$`.
  if (text.includes('%')) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return fail(
        `This link's scenario is damaged (its percent-escapes are broken). ${ASK_SENDER}`,
      );
    }
  }
  if (text.length > MAX_HASH_LENGTH) return tooLong(text.length);
  if (text === '')
    return fail(`This link holds no scenario (nothing follows the #). ${SHOWN_INSTEAD}.`);

  const match = /^s(\d{1,9})\.(.*)$/s.exec(text);
  if (!match) {
    return fail(
      `This link does not hold a kallsyms-lab scenario (after the # it should start with ` +
        `"s${CURRENT_PERMALINK_FORMAT}.", but it starts with ${echo(text)}). ${SHOWN_INSTEAD}; ` +
        `check that the whole link was copied, or ask the sender for a new one.`,
    );
  }
  const format = Number(match[1]);
  const current = Math.max(...formats.keys());
  if (format > current) {
    return fail(
      `This link was made by a newer kallsyms-lab: its format ${format} is newer than this page ` +
        `understands (format ${current} at most). Reload the page to get the newest version; ` +
        `until then the default scenario is shown.`,
    );
  }
  const decoder = formats.get(format);
  if (!decoder) {
    return fail(
      `This link uses format ${format}, which kallsyms-lab never published. ${ASK_SENDER}`,
    );
  }

  const decoded = decoder.decode(match[2]);
  if (!decoded.ok) return decoded;
  let raw = decoded.value;
  for (let next = format + 1; next <= current; next++) {
    const migrate = formats.get(next)?.migrateFromPrevious;
    if (!migrate) {
      return fail(
        `This page cannot bring a format-${format} link up to date (format ${next} is missing). ${SHOWN_INSTEAD}.`,
      );
    }
    raw = migrate(raw);
  }

  try {
    const scenario = parseScenario(raw, 'permalink');
    return format < current ? { ok: true, scenario, migratedFrom: format } : { ok: true, scenario };
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    return fail(
      `This link's scenario is not valid (${describeProblems(e.problems)}). ${ASK_SENDER}`,
    );
  }
}

function tooLong(length: number): { ok: false; error: string } {
  return fail(
    `This link is too long to be a kallsyms-lab scenario (${length} characters after the #; ` +
      `at most ${MAX_HASH_LENGTH}). ${ASK_SENDER}`,
  );
}

/**
 * lz-string payload → the JSON object it holds; every way of failing named.
 * Part of format 1: a later format with another wire encoding gets its own.
 */
function decompressJson(payload: string): Step<Record<string, unknown>> {
  // `+` may arrive as a space from form-style decoding; lz-string itself reads it so.
  payload = payload.replace(/ /g, '+');
  if (!/^[A-Za-z0-9+\-$]+$/.test(payload)) {
    const bad = /[^A-Za-z0-9+\-$]/.exec(payload);
    return fail(
      payload === ''
        ? `This link's scenario is missing (nothing follows the format number). ${ASK_SENDER}`
        : `This link's scenario is damaged (it contains ${echo(bad?.[0] ?? '', 4)}, a character ` +
            `that kallsyms-lab links never contain). ${ASK_SENDER}`,
    );
  }
  let text: string | null;
  try {
    text = lz.decompressFromEncodedURIComponent(payload);
  } catch {
    text = null;
  }
  // lz-string gives "" or null for a truncated or garbled stream.
  if (!text) {
    return fail(
      `This link's scenario is damaged (it does not decompress; perhaps the link was cut short ` +
        `when it was copied). ${ASK_SENDER}`,
    );
  }
  if (text.length > MAX_JSON_LENGTH) {
    return fail(
      `This link's scenario is damaged (it decompresses to far more data than a scenario holds). ${ASK_SENDER}`,
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail(
      `This link's scenario is damaged (it decompresses, but not to scenario data). ${ASK_SENDER}`,
    );
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    const what = json === null ? 'null' : Array.isArray(json) ? 'a list' : `a ${typeof json}`;
    return fail(
      `This link's scenario is damaged (it holds ${what}, not a scenario). ${ASK_SENDER}`,
    );
  }
  // JSON.parse makes these own keys (no pollution yet); refuse them outright so nothing later can misuse them.
  for (const key of Object.keys(json)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') {
      return fail(
        `This link's scenario is damaged (it has a field named ${echo(key)}, which no scenario has). ${ASK_SENDER}`,
      );
    }
  }
  return { ok: true, value: json as Record<string, unknown> };
}

/** The schema's problems, at most three and each capped, for a sentence. */
function describeProblems(problems: readonly string[]): string {
  const shown = problems.slice(0, 3).map((p) => `field ${capText(p, 120)}`);
  const more = problems.length - shown.length;
  return shown.join('; ') + (more > 0 ? `; and ${more} more` : '');
}

/**
 * Quotes a little of the input for a message: at most `max` characters, with
 * anything but printable ASCII escaped, so that no control, bidi or
 * look-alike character from a link reaches the page.
 */
function echo(text: string, max = 16): string {
  const chars = Array.from(text);
  const shown = chars
    .slice(0, max)
    .map((ch) =>
      /^[\x20-\x7e]$/.test(ch) && ch !== '"' && ch !== '\\'
        ? ch
        : `\\u{${ch.codePointAt(0)!.toString(16)}}`,
    )
    .join('');
  return `"${shown}${chars.length > max ? '…' : ''}"`;
}

function capText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function sameJsonValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((x, i) => sameJsonValue(x, b[i]));
  }
  return a === b;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
