import { describe, expect, it } from 'vitest';
import { TARGETS } from '../arch/targets.ts';
import {
  generateKallsyms,
  KallsymsError,
  layoutKallsyms,
  printProgram,
  type KallsymsOptions,
} from './index.ts';
import { readFixture } from './testing/fixtures.ts';
import { KERNEL_BASE as B, kernelListing, listing, nm } from './testing/nm.ts';

function failure(run: () => unknown): KallsymsError {
  try {
    run();
  } catch (e) {
    if (e instanceof KallsymsError) return e;
    throw e;
  }
  throw new Error('expected a KallsymsError');
}

describe('errors', () => {
  it('latest: a malformed line is fatal, with its number and text', () => {
    const text = listing(nm(B, 'T', '_stext'), 'c000000000000010  T two_spaces', nm(B, 'T', 'x'));
    const error = failure(() => generateKallsyms(text, { generation: 'latest' }));
    expect(error.code).toBe('line-format');
    expect(error.place).toEqual({ line: 2, text: 'c000000000000010  T two_spaces' });
    expect(error.message).toBe(
      'kallsyms: line format error at line 2 ("c000000000000010  T two_spaces"): expected ' +
        '"<hex address> <type> <name>" with single spaces, as "nm -n" prints a defined symbol; ' +
        'feed the tool the nm listing after the mksysmap filter',
    );
    // v5.9 reads the same line happily.
    expect(
      generateKallsyms(text, { generation: 'v5.9', allSymbols: true }).symbols.map((s) => s.name),
    ).toContain('two_spaces');
  });

  it('an offset beyond 32 bits is fatal, naming the symbol and its line', () => {
    const text = listing(
      nm(0x10, 'T', '_stext'),
      nm(0x100000010n, 'T', 'far_away'),
      nm(0x100000011n, 'T', '_etext'),
    );
    for (const generation of ['v5.9', 'latest'] as const) {
      const error = failure(() => generateKallsyms(text, { generation }));
      expect(error.code).toBe('offset-range');
      expect(error.place?.line).toBe(2);
      expect(error.message).toBe(
        'kallsyms: offset out of range at line 2 ("0000000100000010 T far_away"): symbol "far_away" ' +
          'at 0x100000010 lies 0x100000000 bytes from the relative base 0x10 (symbol "_stext"), ' +
          "outside the 0…0xffffffff that kallsyms_offsets can hold; keep the table's symbols " +
          'within 4 GiB of each other (drop --all-symbols) or use absolute addresses ' +
          '(v5.9 without --base-relative)',
      );
    }
    // Absolute addresses have no such limit.
    expect(generateKallsyms(text, { generation: 'v5.9', baseRelative: false }).text).toContain(
      '\tPTR\t_text + 0x100000010\n',
    );
  });

  it('v5.9 with no symbol in the table is fatal ("No valid symbol."); latest makes an empty table', () => {
    const text = listing(nm(0x1000, 'D', 'data'), nm(0x2000, 'B', 'bss'));
    for (const generation of ['v5.8', 'v5.9'] as const) {
      const error = failure(() => generateKallsyms(text, { generation }));
      expect(error.code).toBe('no-valid-symbol');
      expect(error.message).toMatch(/^kallsyms: No valid symbol\. None of the 2 symbols kept/);
      expect(error.message).toMatch(/pass allSymbols/);
    }
    expect(generateKallsyms(text, { generation: 'latest' }).counts.tableSymbols).toBe(0);
    expect(
      generateKallsyms(text, { generation: 'v5.9', allSymbols: true }).counts.tableSymbols,
    ).toBe(2);
  });

  it('a name the assembler would misread stops the layout, not the text', () => {
    for (const name of ['has"quote', 'has\\backslash', 'ends*/comment']) {
      const result = generateKallsyms(kernelListing([[B + 8n, 'T', name]]), {
        generation: 'latest',
      });
      expect(result.text).toContain(name);
      const error = failure(() => layoutKallsyms(result, TARGETS.ppc64le));
      expect(error.code).toBe('not-assemblable');
      expect(error.message).toMatch(/rename/);
    }
  });

  it('"*" and "/" in two neighbouring comments are not "*/"', () => {
    // The entry "Tends*" is followed by "/x" (type "/"), so the comment bytes
    // run "…ends*/x…" across the boundary; each comment alone is fine.
    const result = generateKallsyms(
      kernelListing([
        [B + 8n, 'T', 'ends*'],
        [B + 16n, '/', 'x'],
        [B + 24n, 'T', '*star'],
      ]),
      { generation: 'latest' },
    );
    expect(result.text).toContain('/* Tends* */');
    expect(result.text).toContain('/* /x */');
    expect(() => layoutKallsyms(result, TARGETS.ppc64le)).not.toThrow();
  });
});

describe('warnings', () => {
  it('returns skipped long names instead of printing them', () => {
    const long = 'y'.repeat(600);
    const text = kernelListing([[B + 8n, 'T', long]]);
    const latest = generateKallsyms(text, { generation: 'latest' });
    expect(latest.warnings).toHaveLength(1);
    expect(latest.warnings[0].message).toMatch(/on line 3 is too long for kallsyms \(600 >= 512\)/);
    expect(latest.symbols.map((s) => s.name)).not.toContain(long);
    const v59 = generateKallsyms(text, { generation: 'v5.9' });
    expect(v59.warnings.length).toBeGreaterThan(0);
    expect(v59.warnings[0].message).toMatch(/on line 3 is too long for kallsyms \(499 >= 128\)/);
  });
});

describe('counts and sizes', () => {
  const example = readFixture('example.nm');

  it('counts listing lines, .syms lines, kept symbols and table symbols', () => {
    expect(generateKallsyms(example, { generation: 'latest' }).counts).toEqual({
      listingLines: 27,
      symsLines: 23,
      keptSymbols: 22,
      tableSymbols: 18,
    });
    expect(generateKallsyms(example, { generation: 'v5.9' }).counts).toEqual({
      listingLines: 27,
      symsLines: null,
      keptSymbols: 22,
      tableSymbols: 16,
    });
    expect(generateKallsyms(example, { generation: 'v5.8' }).counts.keptSymbols).toBe(23);
  });

  it('sizes each table, and the parts plus padding make the section', () => {
    const result = generateKallsyms(example, { generation: 'latest' });
    const { sizes } = result;
    expect(sizes.numSyms).toBe(4);
    expect(sizes.names).toBe(18 * 2); // every name compressed to one token
    expect(sizes.markers).toBe(4);
    expect(sizes.tokenIndex).toBe(512);
    expect(sizes.offsets).toBe(18 * 4);
    expect(sizes.addresses).toBe(0);
    expect(sizes.relativeBase).toBe(8);
    expect(sizes.seqsOfNames).toBe(18 * 3);
    const parts =
      sizes.numSyms +
      sizes.names +
      sizes.markers +
      sizes.tokenTable +
      sizes.tokenIndex +
      sizes.offsets +
      sizes.addresses +
      sizes.relativeBase +
      sizes.seqsOfNames;
    expect(parts + sizes.padding).toBe(sizes.total);
    expect(layoutKallsyms(result, TARGETS.ppc64).section.data.length).toBe(sizes.total);
  });

  it('follows the word size', () => {
    const options: KallsymsOptions = { generation: 'v5.9', baseRelative: false };
    const wide = generateKallsyms(example, options).sizes;
    const narrow = generateKallsyms(example, { ...options, wordSize: 4 }).sizes;
    expect(wide.addresses).toBe(16 * 8);
    expect(narrow.addresses).toBe(16 * 4);
  });
});

describe('input forms', () => {
  it('takes bytes, byte strings and UTF-8 text alike', () => {
    const text = kernelListing([[B + 8n, 'T', 'caf\u00e9_\u2603']]);
    const fromString = generateKallsyms(text, { generation: 'latest' });
    const fromBytes = generateKallsyms(new TextEncoder().encode(text), { generation: 'latest' });
    expect(fromBytes.text).toBe(fromString.text);
    // Names are bytes: the snowman is three of them.
    const name = fromBytes.symbols.find((s) => s.name.startsWith('caf'))?.name;
    expect(name).toBe('caf\u00c3\u00a9_\u00e2\u0098\u0083');
  });
});

describe('the text', () => {
  it('is printed from the program when first read, once', () => {
    const result = generateKallsyms(readFixture('example.nm'), { generation: 'latest' });
    // A getter: a run that never reads the text (the link loop) never prints it.
    expect(typeof Object.getOwnPropertyDescriptor(result, 'text')?.get).toBe('function');
    const text = result.text;
    expect(text).toBe(printProgram(result.program));
    expect(result.text).toBe(text);
    // A copy of the result still has it.
    expect({ ...result }.text).toBe(text);
  });
});
