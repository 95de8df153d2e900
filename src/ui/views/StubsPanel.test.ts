import { describe, expect, it } from 'vitest';
import { FIXTURES } from './__fixtures__/load-run.ts';
import { render, textOf } from './__fixtures__/ssr.ts';
import { filterStubs, StubsPanel, stubKindRows } from './StubsPanel.tsx';

/** The names inside one list (`data-list="added"` / `"removed"`), in order. */
function listed(html: string, list: 'added' | 'removed'): string[] {
  const m = new RegExp(`<ul[^>]*data-list="${list}"[^>]*>(.*?)</ul>`).exec(html);
  if (!m) return [];
  return [...m[1].matchAll(/<code[^>]*>([^<]*)<\/code>/g)].map((c) => c[1]);
}

describe('StubsPanel', () => {
  for (const [preset, run] of Object.entries(FIXTURES)) {
    run.passes.forEach((pass, i) => {
      const previous = i > 0 ? run.passes[i - 1] : null;
      it(`${preset} pass ${pass.pass}: lists exactly the stubs added and removed`, () => {
        const html = render(StubsPanel, { pass, previous, limit: Infinity });
        expect(listed(html, 'added')).toEqual(pass.stubs.added.map((s) => s.name));
        expect(listed(html, 'removed')).toEqual(pass.stubs.removed.map((s) => s.name));
        const text = textOf(html);
        expect(text).toContain(`${pass.stubs.added.length.toLocaleString('en-US')} added`);
      });

      it(`${preset} pass ${pass.pass}: counts stubs by kind as the record does`, () => {
        const rows = stubKindRows(pass, previous);
        for (const [kind, n] of Object.entries(pass.stubs.byKind)) {
          expect(rows.find((r) => r.kind === kind)?.total).toBe(n);
        }
        expect(rows.reduce((n, r) => n + r.added, 0)).toBe(pass.stubs.added.length);
        expect(rows.reduce((n, r) => n + r.total, 0)).toBe(pass.stubs.total);
        if (previous)
          expect(rows.reduce((n, r) => n + (r.before ?? 0), 0)).toBe(previous.stubs.total);
      });
    });
  }

  it('caps a long list and offers the rest', () => {
    const run = FIXTURES['powerpc-2020'];
    const pass = run.passes[1];
    expect(pass.stubs.added.length).toBe(208);
    const html = render(StubsPanel, { pass, previous: run.passes[0] });
    expect(listed(html, 'added')).toEqual(pass.stubs.added.slice(0, 200).map((s) => s.name));
    expect(textOf(html)).toContain('Show all 208');
  });

  it('names the kinds and the change since the pass before', () => {
    const run = FIXTURES['powerpc-2020'];
    const text = textOf(render(StubsPanel, { pass: run.passes[3], previous: run.passes[2] }));
    expect(text).toContain('vmlinux: 332 stubs (+1); 1 added, 0 removed, since trial link 3.');
    expect(text).toContain('long_branch');
    const first = textOf(render(StubsPanel, { pass: run.passes[0], previous: null }));
    expect(first).toContain('the first image: every stub is new');
  });

  it('filters by name or kind, ignoring case', () => {
    const added = FIXTURES['ppc32-thunks'].passes[1].stubs.added;
    expect(filterStubs(added, '')).toEqual(added);
    expect(filterStubs(added, 'LONGTHUNK')).toEqual(added);
    const one = added[7].name;
    expect(filterStubs(added, one.toUpperCase()).map((s) => s.name)).toContain(one);
    expect(filterStubs(added, 'no-such-stub')).toEqual([]);
  });
});
