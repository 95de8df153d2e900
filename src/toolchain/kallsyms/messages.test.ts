/**
 * Messages about a listing quote a bounded, escaped prefix of the line they
 * are about (issue 10, point 8): a 2 MB line does not make a 2 MB message, a
 * binary file's bytes (U+009B, ESC) never reach a terminal raw, and a
 * too-long name is printed once.
 */
import { describe, expect, it } from 'vitest';
import { quoteInput, terminalSafe } from '../text/quote.ts';
import { generateKallsyms, KallsymsError } from './index.ts';
import { kernelListing, nm } from './testing/nm.ts';

/** Printable ASCII, and the ellipsis that marks a cut. */
const PRINTABLE = /^[\x20-\x7e…]*$/;

function failure(listing: string): KallsymsError {
  try {
    generateKallsyms(listing, { generation: 'latest' });
  } catch (error) {
    if (error instanceof KallsymsError) return error;
    throw error;
  }
  throw new Error('expected a KallsymsError');
}

describe('the line format error', () => {
  it('quotes at most 80 bytes of a 2 MB line', () => {
    const line = 'zz' + 'x'.repeat(2_000_000);
    const error = failure(`${nm(0xc000000000000000n, 'T', '_stext')}\n${line}\n`);
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).toContain(`line 2 ("zz${'x'.repeat(78)}…")`);
    // The error still carries the line for a caller that wants it.
    expect(error.place?.text).toHaveLength(line.length);
  });

  it('escapes the control bytes of a binary file (U+009B, ESC, NUL)', () => {
    const bytes = '\x7fELF\x02\x01\x01\x00\x9b31m\x1b[2J';
    const error = failure(bytes);
    expect(error.message).toMatch(PRINTABLE);
    expect(error.message).toContain('"\\x7fELF\\x02\\x01\\x01\\x00\\x9b31m\\x1b[2J"');
  });
});

describe('the too-long-name warning', () => {
  it.each(['latest', 'v5.9'] as const)('%s: names the symbol once, bounded', (generation) => {
    const name = 'q'.repeat(100) + 'TAIL';
    const long = name + 'z'.repeat(600);
    const result = generateKallsyms(kernelListing([[0xc000000000000008n, 'T', long]]), {
      generation,
    });
    const [warning] = result.warnings;
    expect(warning.message.split('q'.repeat(80)).length - 1).toBe(1);
    expect(warning.message).not.toContain('TAIL');
    expect(warning.message).toMatch(/on line 3 is too long for kallsyms/);
    expect(warning.message.length).toBeLessThan(300);
  });

  it('escapes control bytes in the name', () => {
    const long = '\x9b\x1b]0;pwned\x07' + 'a'.repeat(600);
    const result = generateKallsyms(kernelListing([[0xc000000000000008n, 'T', long]]), {
      generation: 'latest',
    });
    expect(result.warnings[0].message).toMatch(PRINTABLE);
    expect(result.warnings[0].message).toContain('\\x9b\\x1b]0;pwned\\x07');
  });
});

describe('quoting helpers', () => {
  it('quoteInput shows printable ASCII, escapes the rest, and cuts long text', () => {
    expect(quoteInput('plain')).toBe('"plain"');
    expect(quoteInput('a"b\\c\td\n')).toBe('"a\\"b\\\\c\\td\\n"');
    expect(quoteInput('\u202eevil')).toBe('"\\u{202e}evil"');
    expect(quoteInput('x'.repeat(100), 10)).toBe(`"${'x'.repeat(10)}…"`);
  });

  it('terminalSafe escapes what a terminal acts on and keeps other text', () => {
    expect(terminalSafe('ok\n\ttab größe 🐧')).toBe('ok\n\ttab größe 🐧');
    expect(terminalSafe('\x1b[31m\x9b\x7f\u2028\u202e')).toBe(
      '\\x1b[31m\\x9b\\x7f\\u{2028}\\u{202e}',
    );
  });
});
