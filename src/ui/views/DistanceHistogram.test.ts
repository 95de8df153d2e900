import { describe, expect, it } from 'vitest';
import { BRANCH_REACH as ENGINE_REACH } from '../../toolchain/reach/call-sites.ts';
import { FIXTURES } from './__fixtures__/load-run.ts';
import { attributeValues, render, textOf } from './__fixtures__/ssr.ts';
import { binDistances, DistanceHistogram } from './DistanceHistogram.tsx';
import { KiB, MiB } from './format.ts';
import { BRANCH_REACH } from './reach.ts';

describe('DistanceHistogram', () => {
  it('judges reach exactly as the engine does', () => {
    expect(BRANCH_REACH).toEqual(ENGINE_REACH);
  });

  for (const [preset, run] of Object.entries(FIXTURES)) {
    for (const pass of run.passes) {
      describe(`${preset} pass ${pass.pass}`, () => {
        const model = binDistances(pass, run.callSites);

        it('counts every call once and the out-of-reach ones as the engine did', () => {
          expect(pass.reach.distances.length).toBe(pass.reach.calls);
          expect(model.calls).toBe(pass.reach.calls);
          expect(model.bins.reduce((n, b) => n + b.inReach + b.outOfReach, 0)).toBe(
            pass.reach.calls,
          );
          expect(model.outOfReach).toBe(pass.reach.outOfReach);
          expect(model.bins.reduce((n, b) => n + b.outOfReach, 0)).toBe(pass.reach.outOfReach);
          expect(model.targetsOutOfReach).toBe(pass.reach.targetsOutOfReach);
          expect(model.farthest[0].margin).toBe(pass.reach.worstMargin);
        });

        it('draws bars whose out-of-reach counts add up to reach.outOfReach, and says so', () => {
          const html = render(DistanceHistogram, { pass, callSites: run.callSites });
          const out = attributeValues(html, 'data-out').map(Number);
          const inside = attributeValues(html, 'data-in').map(Number);
          expect(out.reduce((a, b) => a + b, 0)).toBe(pass.reach.outOfReach);
          expect(inside.reduce((a, b) => a + b, 0)).toBe(pass.reach.calls - pass.reach.outOfReach);
          expect(attributeValues(html, 'data-out-of-reach')).toEqual([
            String(pass.reach.outOfReach),
          ]);
          const text = textOf(html);
          expect(text).toContain(
            `${pass.reach.calls.toLocaleString('en-US')} init→core calls in ` +
              `${pass.step === 'vmlinux' ? 'vmlinux' : `trial link ${pass.pass}`}: ${pass.reach.outOfReach.toLocaleString('en-US')} out of reach`,
          );
          expect(text).toContain(
            `32 MiB, the reach of bl: ${pass.reach.outOfReach.toLocaleString('en-US')} calls out of reach`,
          );
        });

        it('has fine bins (4–64 KiB, ~24 of them) around the 32 MiB line, with an edge on it, in ascending order', () => {
          const fine = model.bins.filter((b) => b.zone === 'fine');
          expect([4, 8, 16, 32, 64].map((k) => k * KiB)).toContain(model.fineWidth);
          expect(fine.every((b) => b.hi - b.lo === model.fineWidth)).toBe(true);
          expect(fine.length >= 24 || model.fineWidth === 4 * KiB).toBe(true);
          expect(fine.length).toBeLessThanOrEqual((2 * MiB) / model.fineWidth);
          expect(fine.some((b) => b.lo === 32 * MiB)).toBe(true);
          expect(fine.some((b) => b.hi === 32 * MiB)).toBe(true);
          for (let i = 1; i < model.bins.length; i++)
            expect(model.bins[i].lo).toBe(model.bins[i - 1].hi);
          expect(model.bins[0].lo).toBeLessThanOrEqual(model.min);
          expect(model.bins[model.bins.length - 1].hi).toBeGreaterThanOrEqual(model.max);
        });
      });
    }
  }

  it('names the farthest calls with their sites and targets', () => {
    const run = FIXTURES['powerpc-2020'];
    const pass = run.passes[3];
    const text = textOf(render(DistanceHistogram, { pass, callSites: run.callSites }));
    const worst = binDistances(pass, run.callSites).farthest[0];
    expect(text).toContain(
      `misses by ${(pass.reach.worstMargin / KiB).toFixed(1)} KiB (${pass.reach.worstMargin.toLocaleString('en-US')} B)`,
    );
    expect(text).toContain(
      `${worst.site!.object} .init.text+0x${worst.site!.offset.toString(16)} ${worst.site!.target}`,
    );
  });

  it('puts far-away distances in coarse bins and still marks the limit', () => {
    const pass = FIXTURES['ppc32-thunks'].passes[0];
    const far = {
      ...pass,
      reach: {
        ...pass.reach,
        distances: [-3 * MiB, -10 * MiB - 5, -33 * MiB],
        siteIndex: [0, 1, 2],
      },
    };
    const model = binDistances(far, FIXTURES['ppc32-thunks'].callSites);
    expect(model.bins.filter((b) => b.zone === 'below').every((b) => b.hi - b.lo >= MiB)).toBe(
      true,
    );
    expect(model.outOfReach).toBe(1);
    expect(model.bins.reduce((n, b) => n + b.inReach + b.outOfReach, 0)).toBe(3);
  });
});
