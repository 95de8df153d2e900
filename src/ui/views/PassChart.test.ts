import { isValidElement } from 'react';
import { describe, expect, it } from 'vitest';
import { FIXTURES } from './__fixtures__/load-run.ts';
import { attributeValues, render, textOf } from './__fixtures__/ssr.ts';
import { composeExportSvg } from './export.ts';
import {
  chartRows,
  chartSeries,
  chartSummary,
  METRICS,
  PANELS,
  PassChart,
  seriesKey,
  seriesLine,
} from './PassChart.tsx';

const current = FIXTURES['powerpc-2020'];
const other = FIXTURES['ppc32-thunks'];
const pinned = { label: 'ppc32-thunks', passes: other.passes };

describe('PassChart', () => {
  it('draws one series per metric: table bytes, object size, table symbols, stubs and new stubs', () => {
    const series = chartSeries(null);
    expect(series.map((s) => s.metric.id)).toEqual([
      'tableBytes',
      'objectBytes',
      'tableSymbols',
      'stubsTotal',
      'stubsNew',
    ]);
    expect(new Set(series.map((s) => s.metric.colour)).size).toBe(5);
    expect(new Set(series.map((s) => s.metric.shape)).size).toBe(5);
    // Bytes and counts never share an axis.
    for (const panel of PANELS) {
      const units = series.filter((s) => s.metric.panel === panel.id);
      expect(units.length).toBeGreaterThan(0);
    }
    expect(series.filter((s) => s.metric.panel === 'bytes').map((s) => s.metric.id)).toEqual([
      'tableBytes',
      'objectBytes',
    ]);
  });

  it('overlays the pinned run: the same metrics and colours, dashed, named as pinned', () => {
    const lines = chartSeries(pinned).map(seriesLine);
    expect(lines).toHaveLength(10);
    for (const metric of METRICS) {
      const [mine, theirs] = [seriesKey('current', metric.id), seriesKey('pinned', metric.id)].map(
        (key) =>
          lines.find((l) => isValidElement(l) && (l.props as { dataKey: string }).dataKey === key)!,
      );
      const a = mine.props as { stroke: string; strokeDasharray?: string; name: string };
      const b = theirs.props as { stroke: string; strokeDasharray?: string; name: string };
      expect(b.stroke).toBe(a.stroke);
      expect(a.strokeDasharray).toBeUndefined();
      expect(b.strokeDasharray).toBe('6 4');
      expect(a.name).toBe(metric.label);
      expect(b.name).toBe(`${metric.label} (pinned: ppc32-thunks)`);
    }
  });

  it('takes each value from the pass records, with no table values for the final link', () => {
    const rows = chartRows(current.passes, pinned);
    expect(rows.map((r) => r.pass)).toEqual([1, 2, 3, 4]);
    // Trial links by number, then one vmlinux row that both runs' final links share.
    expect(rows.map((r) => r.final ?? false)).toEqual([false, false, false, true]);
    current.passes.forEach((p, i) => {
      const row = rows[i];
      expect(row[seriesKey('current', 'stubsTotal')]).toBe(p.stubs.total);
      expect(row[seriesKey('current', 'stubsNew')]).toBe(p.stubs.added.length);
      expect(row[seriesKey('current', 'tableSymbols')]).toBe(
        p.tableObject?.counts.tableSymbols ?? null,
      );
      expect(row[seriesKey('current', 'tableBytes')]).toBe(p.tableObject?.sizes.total ?? null);
      expect(row[seriesKey('current', 'objectBytes')]).toBe(p.tableObject?.bytes ?? null);
    });
    expect(rows[3].currentStep).toBe('vmlinux');
    expect(rows[3].pinnedStep).toBe('vmlinux');
    expect(rows[2].pinnedStep).toBeUndefined();
    expect(rows[2][seriesKey('pinned', 'stubsTotal')]).toBeUndefined();
    expect(rows[1][seriesKey('pinned', 'tableSymbols')]).toBe(
      other.passes[1].tableObject!.counts.tableSymbols,
    );
  });

  it('renders an accessible summary, a legend for metrics and runs, and the export buttons', () => {
    const html = render(PassChart, { passes: current.passes, pinned, convergedAtPass: 3 });
    const [label] = attributeValues(html, 'aria-label').filter((a) => a.startsWith('Chart'));
    expect(label).toBe(chartSummary(current.passes, pinned, 3));
    expect(label).toContain('3 trial links and vmlinux');
    expect(label).toContain('table symbols 2,881 → 3,104');
    expect(label).toContain('stubs 108 → 332');
    expect(label).toContain('Sizes converged at trial link 3.');
    expect(label).toContain('Pinned run "ppc32-thunks" overlaid with dashed lines');
    expect(label).toContain('It did not converge.');
    expect(attributeValues(html, 'data-series-count')).toEqual(['10']);
    expect(attributeValues(html, 'data-metric')).toEqual(METRICS.map((m) => m.id));
    expect(attributeValues(html, 'data-run')).toEqual(['current', 'pinned']);
    expect(attributeValues(html, 'data-converged')).toEqual(['3']);
    const text = textOf(html);
    expect(text).toContain('dashed, hollow marks: pinned run “ppc32-thunks”');
    expect(text).toContain('Export SVG');
    expect(text).toContain('Export PNG');
    expect(attributeValues(html, 'data-panel')).toEqual(['bytes', 'symbols', 'stubs']);
  });

  it('marks where the pinned run converged too, in the plot, the legend and the summary', () => {
    const converging = { ...pinned, convergedAtPass: 2 };
    const html = render(PassChart, {
      passes: current.passes,
      pinned: converging,
      convergedAtPass: null,
    });
    expect(attributeValues(html, 'data-pinned-converged')).toEqual(['2']);
    expect(attributeValues(html, 'data-converged')).toEqual([]);
    expect(textOf(html)).toContain('pinned run converged at trial link 2');
    expect(chartSummary(current.passes, converging, null)).toContain(
      'No convergence point. Pinned run "ppc32-thunks" overlaid with dashed lines',
    );
    expect(chartSummary(current.passes, converging, null)).toContain(
      'It converged at trial link 2.',
    );
  });

  it('says when there is no convergence point and no pinned run', () => {
    const html = render(PassChart, { passes: current.passes, pinned: null, convergedAtPass: null });
    expect(textOf(html)).not.toContain('pinned run');
    expect(attributeValues(html, 'data-series-count')).toEqual(['5']);
    expect(chartSummary(current.passes, null, null)).toContain('No convergence point.');
    expect(chartSummary([], null, null)).toContain('no passes yet');
  });
});

describe('chart export', () => {
  it('composes one standalone SVG with headings, panels and a legend, escaping text', () => {
    const out = composeExportSvg({
      title: 'A <chart> & "more"',
      panels: [
        {
          heading: 'Table size (bytes)',
          markup:
            '<svg class="recharts-surface" width="500" height="170" viewBox="0 0 500 170"><path d="M0 0"/></svg>',
          width: 500,
          height: 170,
        },
        {
          heading: 'Linker stubs',
          markup: '<svg width="500" height="150"><path d="M1 1"/></svg>',
          width: 500,
          height: 150,
        },
      ],
      legend: [
        { label: 'stubs (total)', colour: 'rgb(1, 2, 3)', dashed: false },
        { label: 'stubs (total) (pinned: a<b)', colour: 'rgb(1, 2, 3)', dashed: true },
      ],
      background: '#ffffff',
      foreground: '#000000',
      fontFamily: '"DejaVu Sans", sans-serif',
    });
    expect(out.width).toBe(500);
    // Legend: one row (solid on the left, dashed on the right).
    expect(out.height).toBe(12 + 20 + 170 + 8 + 20 + 150 + 8 + 18 + 10);
    expect(out.svg).toContain(`<line x1="266" x2="296"`);
    expect(out.svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="500"')).toBe(true);
    expect(out.svg).toContain('<title>A &lt;chart&gt; &amp; &quot;more&quot;</title>');
    expect(out.svg).toContain(
      '<svg x="0" y="32" width="500" height="170" class="recharts-surface" viewBox="0 0 500 170">',
    );
    expect(out.svg).toContain('<svg x="0" y="230" width="500" height="150">');
    expect(out.svg).toContain('stroke-dasharray="6 4"');
    expect(out.svg).toContain('stubs (total) (pinned: a&lt;b)');
    expect(out.svg).toContain('font-family="&quot;DejaVu Sans&quot;, sans-serif"');
  });
});
