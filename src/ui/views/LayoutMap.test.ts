import { describe, expect, it } from 'vitest';
import { FIXTURES } from './__fixtures__/load-run.ts';
import { attributeValues, render, textOf } from './__fixtures__/ssr.ts';
import { formatAddress, MiB } from './format.ts';
import { LayoutMap, layoutModel } from './LayoutMap.tsx';

const runs = Object.entries(FIXTURES);

describe('LayoutMap', () => {
  for (const [preset, run] of runs) {
    for (const pass of run.passes) {
      describe(`${preset} pass ${pass.pass}`, () => {
        const html = render(LayoutMap, { pass });
        const text = textOf(html);

        it('draws each section with the record’s name, address and size, and labels it so', () => {
          expect(attributeValues(html, 'data-section')).toEqual(
            [...pass.layout.sections]
              .sort((a, b) => (BigInt(a.address) < BigInt(b.address) ? -1 : 1))
              .map((s) => s.name),
          );
          for (const s of pass.layout.sections) {
            expect(attributeValues(html, 'data-address')).toContain(s.address);
            const digits = s.address.length - 2;
            const end = formatAddress(BigInt(s.address) + BigInt(s.size), digits);
            // The label: name, then the address range exactly as the record prints addresses.
            expect(text).toContain(`${s.name} `);
            expect(text).toContain(`${s.address} – ${end}`);
          }
          expect(attributeValues(html, 'data-size').map(Number).sort()).toEqual(
            pass.layout.sections.map((s) => s.size).sort(),
          );
        });

        it('highlights the kallsyms table where the record puts it (or not at all)', () => {
          if (pass.layout.table) {
            expect(attributeValues(html, 'data-table-start')).toEqual([pass.layout.table.start]);
            expect(attributeValues(html, 'data-table-end')).toEqual([pass.layout.table.end]);
            expect(text).toContain(`${pass.layout.table.start} – ${pass.layout.table.end}`);
          } else {
            expect(attributeValues(html, 'data-table-start')).toEqual([]);
          }
        });

        it('labels the gap before init text with its size, not to scale', () => {
          const init = pass.layout.sections.find((s) => s.name === '.init.text')!;
          const before = pass.layout.sections
            .filter((s) => BigInt(s.address) < BigInt(init.address))
            .reduce((end, s) => {
              const e = BigInt(s.address) + BigInt(s.size);
              return e > end ? e : end;
            }, 0n);
          const gap = Number(BigInt(init.address) - before);
          expect(text).toContain(`≈ ${(gap / MiB).toFixed(1)} MiB gap (not to scale)`);
        });

        it('draws the reach of a bl from init text as 32 MiB, labelled with its numbers', () => {
          const sinit = BigInt(pass.layout.symbols._sinittext!);
          const digits = pass.layout.symbols._sinittext!.length - 2;
          expect(attributeValues(html, 'data-reach')).toContain(String(32 * MiB));
          expect(text).toContain('32 MiB (0x2000000 bytes)');
          expect(text).toContain(
            `_sinittext − 32 MiB = ${formatAddress(sinit - 0x2000000n, digits)}`,
          );
          expect(text).toContain('A bl reaches 32 MiB (33,554,432 B) backward.');
          expect(text).toContain(
            `${pass.reach.outOfReach.toLocaleString('en-US')} of ${pass.reach.calls.toLocaleString('en-US')} init→core calls out of reach`,
          );
        });

        it('keeps one scale for every section and marks exactly the core text no init call reaches', () => {
          const m = layoutModel(pass);
          for (const s of m.sections) {
            expect(m.y(s.end) - m.y(s.start)).toBeCloseTo(s.size / m.bytesPerPixel, 6);
          }
          const stext = BigInt(pass.layout.symbols._stext!);
          const sinit = BigInt(pass.layout.symbols._sinittext!);
          const etext = BigInt(pass.layout.symbols._etext!);
          const limit = sinit - 0x2000000n;
          expect(m.outOfReachAll).toEqual(
            limit > stext ? { start: stext, end: limit < etext ? limit : etext } : null,
          );
          const bracket = m.brackets.find((b) => b.from === '_sinittext')!;
          expect(bracket.origin - bracket.end).toBe(0x2000000n);
        });
      });
    }
  }

  it('prints 64-bit addresses with 16 digits and 32-bit ones with 8', () => {
    expect(textOf(render(LayoutMap, { pass: FIXTURES['powerpc-2020'].passes[0] }))).toContain(
      '_stext 0xc000000000000000',
    );
    expect(textOf(render(LayoutMap, { pass: FIXTURES['ppc32-thunks'].passes[0] }))).toContain(
      '_stext 0xc0000000',
    );
  });

  it('has an accessible summary naming the image', () => {
    const pass = FIXTURES['powerpc-2020'].passes[3];
    const html = render(LayoutMap, { pass });
    expect(html).toMatch(/role="img"/);
    expect(textOf(html)).toContain(
      'Layout of vmlinux (the final link): .head.text at 0xc000000000000000',
    );
  });
});

describe('views on degenerate records', () => {
  it('render without throwing when a pass has no sections, symbols, table or calls', async () => {
    const { DistanceHistogram } = await import('./DistanceHistogram.tsx');
    const { StubsPanel } = await import('./StubsPanel.tsx');
    const { PassChart } = await import('./PassChart.tsx');
    const base = FIXTURES['powerpc-2020'].passes[0];
    const empty = {
      ...base,
      layout: {
        sections: [],
        symbols: { _stext: null, _etext: null, _sinittext: null, _einittext: null },
        table: null,
      },
      stubs: { total: 0, byKind: {}, added: [], removed: [] },
      reach: {
        calls: 0,
        outOfReach: 0,
        targetsOutOfReach: 0,
        distances: [],
        siteIndex: [],
        worstMargin: 0,
      },
      tableObject: null,
    };
    expect(textOf(render(LayoutMap, { pass: empty }))).toContain(
      'Layout of .tmp_vmlinux.kallsyms1',
    );
    expect(textOf(render(DistanceHistogram, { pass: empty, callSites: [] }))).toContain(
      'No init→core calls in trial link 1.',
    );
    expect(textOf(render(StubsPanel, { pass: empty, previous: null }))).toContain('None.');
    expect(render(PassChart, { passes: [], pinned: null, convergedAtPass: null })).toContain(
      'no passes yet',
    );
  });
});
