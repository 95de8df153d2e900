import { describe, expect, it } from 'vitest';
import { generateKallsyms, type Generation } from './index.ts';
import { columnsFromSymbols } from './columns.ts';
import { selectSymbols } from './testing/symbols.ts';
import type { ListingSymbol } from './listing.ts';
import {
  IN_TABLE_RULES,
  TABLE_RULES,
  findTextRanges,
  findTextRangesOf,
  tableRuleOf,
  type SelectOptions,
} from './select.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';
import { KERNEL_BASE as B, kernelListing, listing, nm } from './testing/nm.ts';

const tableNames = (text: string, generation: Generation, allSymbols = false): string[] =>
  generateKallsyms(text, { generation, allSymbols }).symbols.map((s) => s.name);

describe('which symbols go in the table', () => {
  const frame = kernelListing([
    [B + 0x10n, 'T', 'core_fn'],
    [B + 0x1000n, 'T', 'after_etext_same_addr'],
    [B + 0x1000n, 'r', 'rodata_at_etext'],
    [B + 0x2000n, 'R', '__start___ex_table'],
    [B + 0x2000n, 'R', 'rodata_thing'],
    [B + 0x2010n, 'R', '__stop___ex_table'],
    [B + 0x100010n, 't', 'init_fn'],
    [B + 0x101000n, 't', 'at_einittext'],
    [B + 0x200000n, 'D', 'data_thing'],
  ]);

  it('keeps [_stext, _etext] and [_sinittext, _einittext], both ends inclusive', () => {
    const kept = tableNames(frame, 'v5.9');
    expect(kept).toContain('_stext');
    expect(kept).toContain('_etext');
    expect(kept).toContain('_sinittext');
    expect(kept).toContain('_einittext');
    expect(kept).toContain('core_fn');
    expect(kept).toContain('init_fn');
    expect(kept).not.toContain('rodata_thing');
    expect(kept).not.toContain('data_thing');
  });

  it('drops any symbol other than _etext / _einittext at their addresses', () => {
    for (const generation of ['v5.8', 'v5.9', 'latest'] as const) {
      const kept = tableNames(frame, generation);
      expect(kept, generation).not.toContain('after_etext_same_addr');
      expect(kept, generation).not.toContain('rodata_at_etext');
      expect(kept, generation).not.toContain('at_einittext');
    }
  });

  it('latest keeps __start_/__stop_ symbols wherever they are; v5.9 does not', () => {
    expect(tableNames(frame, 'latest')).toEqual(
      expect.arrayContaining(['__start___ex_table', '__stop___ex_table']),
    );
    expect(tableNames(frame, 'v5.9')).not.toContain('__start___ex_table');
    expect(tableNames(frame, 'v5.9')).not.toContain('__stop___ex_table');
  });

  it('--all-symbols keeps every kept symbol, boundary neighbours included', () => {
    for (const generation of ['v5.9', 'latest'] as const) {
      const kept = tableNames(frame, generation, true);
      expect(kept, generation).toHaveLength(14);
      expect(kept).toContain('after_etext_same_addr');
      expect(kept).toContain('data_thing');
    }
  });

  it('takes missing boundaries as 0 and the last definition of a boundary', () => {
    const text = listing(
      nm(0x100, 'T', '_stext'),
      nm(0x200, 'T', '_etext'),
      nm(0x300, 'T', '_etext'),
      nm(0x250, 'T', 'x'),
    );
    const result = generateKallsyms(text, { generation: 'v5.9' });
    expect(result.textRanges).toEqual({
      stext: 0x100n,
      etext: 0x300n,
      sinittext: 0n,
      einittext: 0n,
    });
    expect(findTextRanges([]).etext).toBe(0n);
  });

  it('with no init text, [0, _einittext] still selects from address 0', () => {
    // As the medium fixture shows: only _stext and _einittext defined.
    const text = listing(nm(0x10, 'T', '_stext'), nm(0x20, 't', 'f'), nm(0x30, 'T', '_einittext'));
    expect(tableNames(text, 'latest')).toEqual(['_stext', 'f', '_einittext']);
  });

  it('names the rule that keeps or drops each symbol', () => {
    const ranges = { stext: 0x100n, etext: 0x200n, sinittext: 0x1000n, einittext: 0x1100n };
    const s = (addr: number, name: string) => ({
      addr: BigInt(addr),
      type: 't',
      name,
      place: { line: 1, text: '' },
    });
    const latest = { generation: 'latest' } as const;
    const v59 = { generation: 'v5.9' } as const;
    expect(tableRuleOf(s(0x150, 'f'), ranges, v59)).toBe(TABLE_RULES.text);
    expect(tableRuleOf(s(0x1000, '_sinittext'), ranges, v59)).toBe(TABLE_RULES.initText);
    expect(tableRuleOf(s(0x500, 'rodata'), ranges, v59)).toBe(TABLE_RULES.outside);
    expect(tableRuleOf(s(0x200, 'next'), ranges, v59)).toBe(TABLE_RULES.atEtext);
    expect(tableRuleOf(s(0x200, '_etext'), ranges, v59)).toBe(TABLE_RULES.text);
    expect(tableRuleOf(s(0x1100, 'after'), ranges, v59)).toBe(TABLE_RULES.atEinittext);
    expect(tableRuleOf(s(0x500, '__start_x'), ranges, latest)).toBe(TABLE_RULES.sectionMarker);
    expect(tableRuleOf(s(0x500, '__start_x'), ranges, v59)).toBe(TABLE_RULES.outside);
    expect(tableRuleOf(s(0x500, 'x'), ranges, { ...v59, allSymbols: true })).toBe(
      TABLE_RULES.allSymbols,
    );
  });

  it('the table holds exactly the symbols whose rule says "in", from the same text boundaries (the fast paths and the words agree)', () => {
    const random = mulberry32(29);
    const high = [0n, 0xc0000000n << 32n, 0xffffffffn << 32n];
    for (let round = 0; round < 300; round++) {
      const base = pick(random, high);
      const at = () => base + BigInt(randomInt(random, 8)) * 0x100n;
      const names = ['_stext', '_etext', '_sinittext', '_einittext', 'f', '__start_s', '__stop_s'];
      const symbols: ListingSymbol[] = Array.from({ length: randomInt(random, 25) }, (_, i) => ({
        addr: at(),
        type: pick(random, ['T', 't', 'r', 'W']),
        name: pick(random, names) + (random() < 0.7 ? '' : `_${i}`),
        place: { line: i + 1, text: '' },
      }));
      const options: SelectOptions = {
        generation: pick(random, ['v5.8', 'v5.9', 'latest'] as const),
        allSymbols: random() < 0.1,
      };
      const ranges = findTextRanges(symbols);
      expect(ranges, `round ${round}`).toEqual(findTextRangesOf(columnsFromSymbols(symbols)));
      const byRule = symbols.filter((s) => IN_TABLE_RULES.has(tableRuleOf(s, ranges, options)));
      expect(selectSymbols(symbols, options), `round ${round}`).toEqual(byRule);
    }
  });
});
