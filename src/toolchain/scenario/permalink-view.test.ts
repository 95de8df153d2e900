/**
 * Links to a view (permalink-view.ts): a view round-trips, a scenario link is
 * a link without a view, a view that cannot be read leaves the scenario with a
 * message, and no view part, however hostile, throws or reaches the page raw.
 */
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { encodeScenarioHash } from './permalink.ts';
import {
  decodeLinkHash,
  EMPTY_VIEW,
  encodeLinkHash,
  linkViewSchema,
  VIEW_PANELS_1,
  VIEW_PANELS_2,
  VIEW_SWEEP_PARAMS_1,
  VIEW_SWEEP_PARAMS_2,
  viewFormatOf,
  type LinkView,
} from './permalink-view.ts';
import { findPreset } from './presets.ts';
import { SWEEP_AXES, SWEEP_PARAMS } from '../sweep/index.ts';

const scenario = findPreset('powerpc-2020')!.scenario;
const pin = findPreset('lld-today')!.scenario;
const scenarioHash = encodeScenarioHash(scenario);

const full: LinkView = {
  pass: 3,
  panel: 'stubs',
  pin,
  sweep: { param: 'gap', from: '31.5', to: '31.9', steps: 5 },
};

describe('links to a view', () => {
  it('round-trip: the scenario, then every key of the view', () => {
    const hash = encodeLinkHash(scenario, full);
    expect(hash).toBe(
      `${scenarioHash}&view=1&pass=3&panel=stubs&pin=${encodeScenarioHash(pin)}&sweep=gap,31.5,31.9,5`,
    );
    expect(decodeLinkHash(`#${hash}`)).toEqual({ ok: true, scenario, view: full, viewError: null });
    const final = { ...EMPTY_VIEW, pass: 'vmlinux' as const };
    expect(decodeLinkHash(encodeLinkHash(scenario, final))).toMatchObject({ view: final });
  });

  it('a scenario link is a link without a view, written as before', () => {
    expect(encodeLinkHash(scenario)).toBe(scenarioHash);
    expect(encodeLinkHash(scenario, null)).toBe(scenarioHash);
    expect(decodeLinkHash(scenarioHash)).toEqual({
      ok: true,
      scenario,
      view: null,
      viewError: null,
    });
  });

  it('survives mail programs: percent-encoded & and =, keys in any order', () => {
    const hash = encodeLinkHash(scenario, full);
    expect(decodeLinkHash(encodeURIComponent(hash))).toMatchObject({ view: full });
    const [head, ...parts] = hash.split('&');
    const shuffled = [head, parts[0], ...parts.slice(1).reverse()].join('&');
    expect(decodeLinkHash(shuffled)).toMatchObject({ view: full });
  });

  it('a view that cannot be read still opens the scenario, and says why', () => {
    const cases: Array<[string, RegExp]> = [
      ['view=3&pass=3', /newer kallsyms-lab \(view format 3\); reload/],
      ['view=0', /view format 0 was never published/],
      ['pass=3', /does not start with view=/],
      ['view=1&pass=65', /its pass is not valid/],
      ['view=1&pass=0x3', /its pass is not valid/],
      ['view=1&panel=<img src=x>', /its panel is not valid/],
      ['view=1&pass=3&pass=4', /"pass" is given twice/],
      ['view=1&__proto__=1', /a field "__proto__" that no view/],
      ['view=1&constructor=1', /a field "constructor" that no view/],
      ['view=1&pin=s1.%%%', /percent-escapes are broken/],
      ['view=1&pin=s1.AAAA', /pinned scenario is damaged/],
      ['view=1&sweep=gap,28,36', /<param>,<from>,<to>,<steps>/],
      ['view=1&sweep=size,28,36,64', /its sweep is not valid/],
      ['view=1&sweep=gap,28,36e9,64', /its sweep is not valid/],
      ['view=1&sweep=gap,28,36,999', /its sweep is not valid/],
      ['view=1&pass', /"pass" has no value/],
      [`view=1&pin=${'A'.repeat(30_000)}`, /far too long/],
    ];
    for (const [part, why] of cases) {
      const decoded = decodeLinkHash(`${scenarioHash}&${part}`);
      expect(decoded, part).toMatchObject({ ok: true, scenario, view: null });
      if (decoded.ok) {
        expect(decoded.viewError, part).toMatch(why);
        expect(decoded.viewError).toMatch(/The scenario opens at its start instead\.$/);
        expect(decoded.viewError!.length).toBeLessThan(300);
        expect(decoded.viewError).not.toMatch(/<img/);
      }
    }
  });

  it('a damaged scenario part fails the link as a scenario link does', () => {
    expect(decodeLinkHash('s1.AAAA&view=1&pass=3')).toMatchObject({ ok: false });
    expect(decodeLinkHash('&view=1')).toMatchObject({ ok: false });
  });

  it('2,000 random view parts: never a throw, a valid view or a bounded message', () => {
    const random = mulberry32(9);
    const pieces = [
      'view=1',
      'view=2',
      'pass=3',
      'pass=vmlinux',
      'pass=',
      'panel=chart',
      'panel=sweep',
      `pin=${encodeScenarioHash(pin)}`,
      'pin=s1.N4XyA',
      'sweep=gap,28,36,64',
      'sweep=base,0xc0000000,0xd0000000,16',
      '%',
      '=',
      '&',
      '__proto__=x',
      '\u202e',
      'a'.repeat(50),
    ];
    for (let i = 0; i < 2000; i++) {
      const n = 1 + Math.floor(random() * 5);
      const part = Array.from(
        { length: n },
        () => pieces[Math.floor(random() * pieces.length)],
      ).join(random() < 0.8 ? '&' : '');
      let decoded: ReturnType<typeof decodeLinkHash> | undefined;
      expect(() => (decoded = decodeLinkHash(`${scenarioHash}&${part}`))).not.toThrow();
      expect(decoded!.ok).toBe(true);
      if (decoded!.ok && decoded!.view)
        expect(linkViewSchema.safeParse(decoded!.view).success).toBe(true);
      if (decoded!.ok && decoded!.viewError) {
        expect(decoded!.viewError.length).toBeLessThan(300);
        // Nothing unprintable from the link reaches the page.
        expect([...decoded!.viewError].some((c) => c.charCodeAt(0) < 0x20 || c === '\u202e')).toBe(
          false,
        );
      }
    }
  });

  it('freezes the panels and sweep parameters of view format 1 (the sweep has no others today)', () => {
    expect(VIEW_PANELS_1).toHaveLength(9);
    expect([...VIEW_SWEEP_PARAMS_1]).toEqual([...SWEEP_PARAMS]);
  });
});

describe('view format 2: phase maps, corpus knobs, the growth panel', () => {
  const pinned = findPreset('pinned-oscillates')!.scenario;
  const pinnedHash = encodeScenarioHash(pinned);
  const map: LinkView = {
    ...EMPTY_VIEW,
    panel: 'sweep',
    sweep: { param: 'pinnedAt', from: '33630000', to: '33710000', steps: 9 },
    sweep2: { param: 'gap', from: '7.5', to: '8.5', steps: 3 },
  };

  it('round-trips a map of two parameters, a corpus knob among them', () => {
    const hash = encodeLinkHash(pinned, map);
    expect(hash).toBe(
      `${pinnedHash}&view=2&panel=sweep&sweep=pinnedAt,33630000,33710000,9&sweep2=gap,7.5,8.5,3`,
    );
    expect(decodeLinkHash(hash)).toEqual({
      ok: true,
      scenario: pinned,
      view: map,
      viewError: null,
    });
    const growth = { ...EMPTY_VIEW, pass: 2, panel: 'growth' as const };
    expect(encodeLinkHash(pinned, growth)).toBe(`${pinnedHash}&view=2&pass=2&panel=growth`);
    expect(decodeLinkHash(encodeLinkHash(pinned, growth))).toMatchObject({ view: growth });
    const knob = { ...EMPTY_VIEW, sweep: { param: 'nameLength', from: '8', to: '64', steps: 8 } };
    expect(encodeLinkHash(pinned, knob as LinkView)).toMatch(/&view=2&sweep=nameLength,8,64,8$/);
  });

  it('writes what format 1 can say as format 1, exactly as before', () => {
    expect(viewFormatOf(full)).toBe(1);
    expect(encodeLinkHash(scenario, full)).toMatch(/&view=1&/);
    expect(viewFormatOf({ ...EMPTY_VIEW, panel: 'growth' })).toBe(2);
    expect(viewFormatOf(map)).toBe(2);
    // A format 1 link decodes with no sweep2 key at all (deep-equal to what it was made from).
    const decoded = decodeLinkHash(encodeLinkHash(scenario, full));
    expect(decoded.ok && decoded.view && 'sweep2' in decoded.view).toBe(false);
  });

  it('refuses in format 1 what only format 2 has, and a second parameter that is not one', () => {
    const cases: Array<[string, RegExp]> = [
      [
        'view=1&sweep=gap,28,36,8&sweep2=nameLength,8,64,8',
        /a field "sweep2" that no view of format 1/,
      ],
      ['view=1&sweep=nameLength,8,64,8', /its sweep is not valid/],
      ['view=1&panel=growth', /its panel is not valid/],
      ['view=2&sweep2=gap,28,36,8', /its sweep2 is not valid/],
      ['view=2&sweep=gap,28,36,8&sweep2=gap,30,32,3', /its sweep2 is not valid/],
      ['view=2&sweep=gap,28,36,8&sweep2=gap,30,32', /its sweep2 is not <param>/],
      ['view=2&sweep=gap,28,36,8&sweep2=size,1,2,3', /its sweep2 is not valid/],
      ['view=2&sweep=gap,28,36,8&sweep2=seed,1,2,999', /its sweep2 is not valid/],
      ['view=2&panel=map', /its panel is not valid/],
      ['view=2&zoom=2', /a field "zoom" that no view of format 2 has/],
    ];
    for (const [part, why] of cases) {
      const decoded = decodeLinkHash(`${pinnedHash}&${part}`);
      expect(decoded, part).toMatchObject({ ok: true, scenario: pinned, view: null });
      if (decoded.ok) expect(decoded.viewError, part).toMatch(why);
    }
  });

  it('freezes the panels and sweep parameters of view format 2 (the sweep has no others today)', () => {
    expect(VIEW_PANELS_2).toEqual([...VIEW_PANELS_1, 'growth']);
    expect([...VIEW_SWEEP_PARAMS_2]).toEqual([...SWEEP_AXES]);
  });
});
