/**
 * Links to a view: a scenario (permalink.ts, unchanged) and, after it, what
 * was on screen, so that a teacher's link opens "at trial link 3, with the
 * stubs in view, beside the pinned run and the sweep".
 *
 * ## Layout (see also permalink.ts's header)
 *
 *     #<scenario>                       a scenario link, as every link before views
 *     #<scenario>&view=1&<key>=<value>… a view link
 *
 * `<scenario>` is `s<format>.<payload>` and never contains `&`, so every old
 * link is still a scenario link and decodes exactly as before; a view is a
 * separate part, not a new scenario format. `view=<n>` comes first and names
 * the view format; a page meeting a view format it does not know opens the
 * scenario and says the view could not be read.
 *
 * **View format 1** (published 2026-12-01). Keys, each at most once, any
 * order, values percent-encoded where needed:
 *
 *     pass   the link shown: 1…64 (a trial link) or `vmlinux`
 *     panel  the part of the page in view: one of VIEW_PANELS_1
 *     pin    the pinned run's scenario, as a scenario link (`s1.…`)
 *     sweep  the sweep request: <param>,<from>,<to>,<steps>, e.g. gap,28,36,64
 *
 * **View format 2** (published 2026-12-01). Format 1's keys, and:
 *
 *     panel  also `growth` (VIEW_PANELS_2)
 *     sweep  any parameter the sweep module varies: the scenario's and a
 *            generated corpus's knobs (VIEW_SWEEP_PARAMS_2), e.g. nameLength,8,64,8
 *     sweep2 a second sweep parameter, the rows of a phase map, written as
 *            sweep is; only beside a sweep, and not its parameter again
 *
 * A view that format 1 can say is written as format 1, byte for byte as
 * before; only a view that needs format 2's keys or values says view=2. A
 * format 1 link never has them (a page reads `view=1&sweep2=…` as the
 * damaged view it is).
 *
 * A view never runs anything by itself: the page runs the scenario (and the
 * pinned one and the sweep) under the same rules as any link (the cost gate
 * of scenario/cost.ts), then shows the pass and the panel.
 *
 * ## Hostile input
 * Decoding never throws; the view part is bounded in length before it is
 * read; unknown keys, repeated keys and bad values are refused with a message
 * that echoes nothing from the link but the key's name (escaped, capped); the
 * result is checked by `linkViewSchema`.
 */
import { z } from 'zod';
import { decodeScenarioHash, encodeScenarioHash, MAX_HASH_LENGTH } from './permalink.ts';
import { scenarioSchema, type Scenario } from './schema.ts';

/** Every view format ever published, up to this one; a page reads these and no other. */
export const CURRENT_VIEW_FORMAT = 2;

/** The panels a view format 1 link may name, frozen with it (the page gives each an element). */
export const VIEW_PANELS_1 = [
  'verdict',
  'explanation',
  'chart',
  'table',
  'layout',
  'stubs',
  'distances',
  'pinned',
  'sweep',
] as const;

/** The panels a view format 2 link may name, frozen with it: format 1's and the growth ratio's. */
export const VIEW_PANELS_2 = [...VIEW_PANELS_1, 'growth'] as const;
export type ViewPanel = (typeof VIEW_PANELS_2)[number];

/** The sweep parameters a view format 1 link may name, frozen with it. */
export const VIEW_SWEEP_PARAMS_1 = ['gap', 'align', 'base', 'maxPasses'] as const;

/** The sweep parameters a view format 2 link may name, frozen with it (the sweep module's SWEEP_AXES then). */
export const VIEW_SWEEP_PARAMS_2 = [
  ...VIEW_SWEEP_PARAMS_1,
  'seed',
  'symbols',
  'objects',
  'initFunctions',
  'callsPerInit',
  'functionBody',
  'functionAlign',
  'nameLength',
  'nearTargets',
  'nearShare',
  'pinned',
  'pinnedSpacing',
  'pinnedCallsPerInit',
  'pinnedAt',
] as const;

const sweepValue = z.string().regex(/^(0x[0-9a-fA-F]{1,16}|-?\d+(\.\d+)?)$/);
const sweepAxisSchema = z
  .object({
    param: z.enum(VIEW_SWEEP_PARAMS_2),
    from: sweepValue,
    to: sweepValue,
    steps: z.number().int().min(2).max(256),
  })
  .strict();

export const linkViewSchema = z
  .object({
    pass: z.union([z.number().int().min(1).max(64), z.literal('vmlinux')]).nullable(),
    panel: z.enum(VIEW_PANELS_2).nullable(),
    pin: scenarioSchema.nullable(),
    sweep: sweepAxisSchema.nullable(),
    /** Format 2: the phase map's second parameter (absent in format 1, and when there is none). */
    sweep2: sweepAxisSchema.optional(),
  })
  .strict()
  .refine((v) => v.sweep2 === undefined || (v.sweep !== null && v.sweep.param !== v.sweep2.param), {
    message: 'a second sweep parameter needs a first, and another one',
    path: ['sweep2'],
  });

export type LinkView = z.infer<typeof linkViewSchema>;
/** One sweep parameter of a view: its name, range (as typed) and steps. */
export type LinkViewSweep = NonNullable<LinkView['sweep']>;

const inFormat1 = (view: LinkView) =>
  view.sweep2 === undefined &&
  (view.panel === null || (VIEW_PANELS_1 as readonly string[]).includes(view.panel)) &&
  (view.sweep === null || (VIEW_SWEEP_PARAMS_1 as readonly string[]).includes(view.sweep.param));

/** The oldest view format that can say `view` (so a view format 1 could say is written as before). */
export function viewFormatOf(view: LinkView): 1 | 2 {
  return inFormat1(view) ? 1 : 2;
}

export const EMPTY_VIEW: LinkView = { pass: null, panel: null, pin: null, sweep: null };

/** Longest view part accepted (a pinned scenario link and a little more). */
const MAX_VIEW_LENGTH = MAX_HASH_LENGTH + 200;

export type LinkDecodeResult =
  | {
      ok: true;
      scenario: Scenario;
      /** What the link shows beyond the scenario; null for a scenario link (or a view that failed). */
      view: LinkView | null;
      /** Why the view part could not be read (the scenario still opens), or null. */
      viewError: string | null;
    }
  | { ok: false; error: string };

const VIEW_SHOWN_INSTEAD = 'The scenario opens at its start instead.';

/** The URL hash (without `#`) for a scenario and, if given, a view. Throws as `encodeScenarioHash` does. */
export function encodeLinkHash(scenario: Scenario, view?: LinkView | null): string {
  const base = encodeScenarioHash(scenario);
  if (!view) return base;
  const parts = [`view=${viewFormatOf(view)}`];
  if (view.pass !== null) parts.push(`pass=${view.pass}`);
  if (view.panel !== null) parts.push(`panel=${view.panel}`);
  if (view.pin !== null) parts.push(`pin=${encodeScenarioHash(view.pin)}`);
  const axis = ({ param, from, to, steps }: LinkViewSweep) => [param, from, to, steps].join(',');
  if (view.sweep !== null) parts.push(`sweep=${axis(view.sweep)}`);
  if (view.sweep2 !== undefined) parts.push(`sweep2=${axis(view.sweep2)}`);
  return `${base}&${parts.join('&')}`;
}

/**
 * The scenario and view a URL hash (with or without `#`) holds. Never throws.
 * A scenario part that fails fails the link (as `decodeScenarioHash` says);
 * a view part that fails leaves the scenario, with `viewError`.
 */
export function decodeLinkHash(hash: string): LinkDecodeResult {
  if (typeof hash !== 'string') return { ok: false, error: 'This link holds no scenario.' };
  let text = hash.trim().replace(/^#/, '');
  // A link whose every `&` was percent-encoded by a mail program.
  if (!text.includes('&') && /%26/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      // left to the scenario decoder, which names the broken escape
    }
  }
  const cut = text.indexOf('&');
  if (cut < 0) {
    const decoded = decodeScenarioHash(text);
    return decoded.ok
      ? { ok: true, scenario: decoded.scenario, view: null, viewError: null }
      : decoded;
  }
  const decoded = decodeScenarioHash(text.slice(0, cut));
  if (!decoded.ok) return decoded;
  const view = decodeView(text.slice(cut + 1));
  return view.ok
    ? { ok: true, scenario: decoded.scenario, view: view.view, viewError: null }
    : { ok: true, scenario: decoded.scenario, view: null, viewError: view.error };
}

function decodeView(part: string): { ok: true; view: LinkView } | { ok: false; error: string } {
  const fail = (why: string) => ({
    ok: false as const,
    error: `This link's view could not be read (${why}). ${VIEW_SHOWN_INSTEAD}`,
  });
  if (part.length > MAX_VIEW_LENGTH * 3) return fail('it is far too long');
  const pairs: Array<[string, string]> = [];
  for (const piece of part.split('&')) {
    const eq = piece.indexOf('=');
    if (eq < 0) return fail(`${echo(piece)} has no value`);
    let key: string;
    let value: string;
    try {
      key = decodeURIComponent(piece.slice(0, eq));
      value = decodeURIComponent(piece.slice(eq + 1));
    } catch {
      return fail('its percent-escapes are broken');
    }
    pairs.push([key, value]);
  }
  const [first, ...rest] = pairs;
  if (first?.[0] !== 'view') return fail('it does not start with view=');
  if (!/^\d{1,9}$/.test(first[1])) return fail('its view format is not a number');
  const format = Number(first[1]);
  if (format > CURRENT_VIEW_FORMAT)
    return fail(
      `it was made by a newer kallsyms-lab (view format ${format}); reload the page to get the newest version`,
    );
  if (format < 1) return fail(`view format ${format} was never published`);
  if (rest.reduce((n, [, v]) => n + v.length, 0) > MAX_VIEW_LENGTH) return fail('it is too long');

  const raw: Record<string, unknown> = { ...EMPTY_VIEW };
  const seen = new Set<string>();
  for (const [key, value] of rest) {
    if (seen.has(key)) return fail(`${echo(key)} is given twice`);
    seen.add(key);
    switch (key) {
      case 'pass':
        raw.pass = value === 'vmlinux' ? value : /^\d{1,3}$/.test(value) ? Number(value) : NaN;
        break;
      case 'panel':
        raw.panel = value;
        break;
      case 'pin': {
        const pin = decodeScenarioHash(value);
        if (!pin.ok) return fail('its pinned scenario is damaged');
        raw.pin = pin.scenario;
        break;
      }
      case 'sweep':
      case 'sweep2': {
        if (key === 'sweep2' && format < 2)
          return fail(`it has a field ${echo(key)} that no view of format 1 has`);
        const [param, from, to, steps, extra] = value.split(',');
        if (extra !== undefined || steps === undefined)
          return fail(`its ${key} is not <param>,<from>,<to>,<steps>`);
        raw[key] = {
          param,
          from,
          to,
          steps: /^\d{1,3}$/.test(steps) ? Number(steps) : NaN,
        };
        break;
      }
      default:
        return fail(`it has a field ${echo(key)} that no view of format ${format} has`);
    }
  }
  const checked = linkViewSchema.safeParse(raw);
  if (!checked.success) {
    const field = checked.error.issues[0]?.path[0];
    return fail(`its ${typeof field === 'string' ? field : 'view'} is not valid`);
  }
  // Format 1 froze its panels and sweep parameters: what only format 2 has is not format 1's.
  if (format === 1 && !inFormat1(checked.data)) {
    const field =
      checked.data.sweep !== null && !inFormat1({ ...checked.data, panel: null })
        ? 'sweep'
        : 'panel';
    return fail(`its ${field} is not valid`);
  }
  return { ok: true, view: checked.data };
}

/** A little of the link, quoted for a message: printable ASCII only, capped. */
function echo(text: string, max = 16): string {
  const shown = Array.from(text)
    .slice(0, max)
    .map((ch) =>
      /^[\x20-\x7e]$/.test(ch) && ch !== '"' && ch !== '\\'
        ? ch
        : `\\u{${ch.codePointAt(0)!.toString(16)}}`,
    )
    .join('');
  return `"${shown}${Array.from(text).length > max ? '…' : ''}"`;
}
