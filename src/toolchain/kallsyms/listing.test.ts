import { describe, expect, it } from 'vitest';
import { quoteInput } from '../text/quote.ts';
import { KallsymsError } from './errors.ts';
import { hexReader, parseLatestLine, scanV59Listing, splitLines } from './listing.ts';
import type { KallsymsWarning } from './errors.ts';
import { nm, nmUndefined } from './testing/nm.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';
import { referenceScanV59Listing } from './testing/reference-scan-v59.ts';

const parse = (text: string, warnings: KallsymsWarning[] = []) =>
  parseLatestLine({ text, line: 7 }, warnings);

describe('latest line parsing', () => {
  it('reads "<hex> <type> <name>", the name being the rest of the line', () => {
    expect(parse('C0000000000000aB T foo bar\r')).toEqual({
      addr: 0xc0000000000000abn,
      type: 'T',
      name: 'foo bar\r',
      place: { line: 7, text: 'C0000000000000aB T foo bar\r' },
    });
    expect(parse('0 t ')?.name).toBe('');
  });

  it('saturates addresses beyond 64 bits, as strtoull does', () => {
    expect(parse('1ffffffffffffffff T x')?.addr).toBe((1n << 64n) - 1n);
  });

  it('reads the address as strtoull does: leading whitespace, a sign, a 0x prefix', () => {
    // Pinned against glibc itself in kernel-parse.test.ts.
    expect(parse(' 0 T x')?.addr).toBe(0n);
    expect(parse('0x10 T x')?.addr).toBe(0x10n);
    expect(parse('-1 T x')?.addr).toBe((1n << 64n) - 1n);
    expect(parse('10 T a\0b')?.name).toBe('a');
  });

  it('rejects anything else with a line format error naming the line', () => {
    const bad = [
      '',
      '0  T x',
      '0 T',
      '0 Tx',
      'g T x',
      '0x T x',
      '0 \u00e9 x',
      nmUndefined('v', 'weak_object'),
    ];
    for (const line of bad) {
      let error: unknown;
      try {
        parse(line);
      } catch (e) {
        error = e;
      }
      expect(error, JSON.stringify(line)).toBeInstanceOf(KallsymsError);
      const k = error as KallsymsError;
      expect(k.code).toBe('line-format');
      expect(k.place).toEqual({ line: 7, text: line });
      expect(k.message).toContain('line format error at line 7');
      expect(k.message).toContain(quoteInput(line));
      expect(k.message).toMatch(/expected "<hex address> <type> <name>"/);
    }
  });

  it('skips a name of 512 bytes or more with a warning, keeps 511', () => {
    const warnings: KallsymsWarning[] = [];
    expect(parse(`10 T ${'a'.repeat(511)}`, warnings)?.name).toHaveLength(511);
    expect(parse(`10 T ${'b'.repeat(512)}`, warnings)).toBeNull();
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/on line 7 is too long for kallsyms \(512 >= 512\)/);
    expect(warnings[0].place?.line).toBe(7);
  });
});

describe('v5.9 listing scanning (fscanf semantics)', () => {
  it('skips undefined symbols to their newline', () => {
    const text = [nmUndefined('U', 'printk'), nm(0x10, 'T', 'f'), nmUndefined('w', 'g'), ''].join(
      '\n',
    );
    const { symbols, warnings, lineCount } = scanV59Listing(text);
    expect(symbols.map((s) => [s.addr, s.type, s.name, s.place.line])).toEqual([
      [0x10n, 'T', 'f', 2],
    ]);
    expect(warnings).toEqual([]);
    expect(lineCount).toBe(3);
  });

  it('tolerates any whitespace between fields, unlike latest', () => {
    const { symbols } = scanV59Listing('  10\tT    foo   \n\n20 t bar');
    expect(symbols.map((s) => [s.addr, s.name, s.place.line])).toEqual([
      [0x10n, 'foo', 1],
      [0x20n, 'bar', 3],
    ]);
  });

  it('a name stops at whitespace', () => {
    expect(scanV59Listing('10 T foo bar\n').symbols.map((s) => s.name)).toEqual(['foo']);
  });

  it('skips a name of 128 bytes or more with a warning, keeps 127', () => {
    const { symbols, warnings } = scanV59Listing(
      `10 T ${'a'.repeat(127)}\n20 T ${'b'.repeat(128)}\n30 T c\n`,
    );
    expect(symbols.map((s) => s.name.length)).toEqual([127, 1]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].message).toMatch(/on line 2 is too long for kallsyms \(128 >= 128\)/);
  });

  it('spills a name over 499 bytes into the next read, as %499s does', () => {
    // 499 bytes are the name; the rest ("abc") is then read as an address.
    const { symbols, warnings } = scanV59Listing(`10 T ${'x'.repeat(499)}abc T y\n`);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/499 >= 128/)]);
    expect(symbols.map((s) => [s.addr, s.name])).toEqual([[0xabcn, 'y']]);
  });

  it('warns when the listing ends inside a line', () => {
    const { symbols, warnings } = scanV59Listing('10 T a\n20 T');
    expect(symbols).toHaveLength(1);
    expect(warnings).toEqual([
      { message: 'kallsyms: read error or end of file', place: { line: 2, text: '20 T' } },
    ]);
  });
});

describe('the v5.9 scanner against its character-by-character reference', () => {
  it('agrees on random listings of ordinary and odd lines', () => {
    const random = mulberry32(5);
    const name = (): string =>
      pick(random, ['f', 'foo.isra.0', '__long_branch_f', 'a'.repeat(127), 'b'.repeat(128)]) +
      (random() < 0.05 ? 'x'.repeat(370 + randomInt(random, 140)) : '');
    const line = (): string =>
      pick(random, [
        () => nm(randomInt(random, 1 << 30), pick(random, ['T', 't', 'W', 'U']), name()),
        () => nmUndefined(pick(random, ['U', 'w']), name()),
        () => `0x${randomInt(random, 999)} T ${name()}`,
        () => `-${randomInt(random, 999)} t ${name()}`,
        () => `  10\tT    ${name()}   `,
        () => `10 T ${name()} trailing words`,
        () => `10 T ${name()}\r`,
        () => `${randomInt(random, 99)} T`,
        () => `${randomInt(random, 99)}`,
        () => 'garbage line',
        () => '',
        () => ' ',
      ])();
    for (let round = 0; round < 300; round++) {
      const lines = Array.from({ length: randomInt(random, 10) }, line);
      const text = lines.join('\n') + pick(random, ['', '\n', '\n\n', ' ']);
      expect(scanV59Listing(text), JSON.stringify(text)).toEqual(referenceScanV59Listing(text));
    }
  });
});

describe('hex addresses', () => {
  it('read as strtoull does, whatever the length, and across changing high digits', () => {
    const random = mulberry32(3);
    const read = hexReader(); // one reader: its cache of the high digits is exercised
    const max = (1n << 64n) - 1n;
    for (let round = 0; round < 2000; round++) {
      const digits = Array.from({ length: 1 + randomInt(random, 24) }, () =>
        pick(random, ['0', '0', 'c', 'f', 'A', '1', '9', 'e']),
      ).join('');
      const text = `x${digits}y`;
      const expected = BigInt('0x' + digits);
      expect(read(text, 1, 1 + digits.length), digits).toBe(expected > max ? max : expected);
    }
  });
});

describe('splitLines', () => {
  it('counts a last line without newline, and no line after a final newline', () => {
    expect(splitLines('a\nb')).toEqual([
      { text: 'a', line: 1 },
      { text: 'b', line: 2 },
    ]);
    expect(splitLines('a\n')).toHaveLength(1);
    expect(splitLines('')).toHaveLength(0);
    expect(splitLines('\n')).toEqual([{ text: '', line: 1 }]);
  });
});
