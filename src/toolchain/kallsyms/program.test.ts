import { describe, expect, it } from 'vitest';
import { lineAt, toArrays } from './byte-lines.ts';
import { KallsymsError } from './errors.ts';
import { generateKallsyms } from './index.ts';
import type { ListingSymbol } from './listing.ts';
import { buildLatestProgram, buildV59Program, type DataItem } from './program.ts';
import { formatAltHex } from './print.ts';
import { mulberry32 } from './testing/random.ts';
import { KERNEL_BASE as B, kernelListing, listing, nm } from './testing/nm.ts';

const itemsOf = (
  result: { program: { tables: { label: string; items: DataItem[] }[] } },
  label: string,
) => result.program.tables.find((t) => t.label === label)?.items[0];

/** A name using ~220 distinct byte values, so that few slots are free and names stay long. */
function diverseName(seed: number, length: number): string {
  const random = mulberry32(seed);
  const alphabet: number[] = [];
  for (let c = 0x21; c < 0xff; c++) if (c !== 0x22 && c !== 0x5c && c !== 0x2a) alphabet.push(c);
  let name = 'x';
  while (name.length < length) {
    name += String.fromCharCode(alphabet[Math.floor(random() * alphabet.length)]);
  }
  return name;
}

const symbol = (addr: bigint, type: string, name: string, line = 1): ListingSymbol => ({
  addr,
  type,
  name,
  place: { line, text: nm(addr, type, name) },
});

describe('number printing', () => {
  it("prints C's %#x: 0 for zero, else 0x and lowercase hex", () => {
    expect(formatAltHex(0)).toBe('0');
    expect(formatAltHex(0n)).toBe('0');
    expect(formatAltHex(0xabc)).toBe('0xabc');
    expect(formatAltHex(0xc000000000000000n)).toBe('0xc000000000000000');
  });

  it('prints zero offsets and a zero relative base as 0', () => {
    const result = generateKallsyms(kernelListing([]), { generation: 'latest' });
    expect(result.text).toContain('\t.long\t0\t/* T_text */\n');
    expect(result.text).toContain('kallsyms_relative_base:\n\tPTR\t_text + 0\n');
  });
});

describe('pointers relative to _text', () => {
  const text = listing(
    nm(B, 'T', '_stext'),
    nm(B + 0x100n, 'T', '_text'),
    nm(B + 0x200n, 'T', '_etext'),
  );

  it('print "_text - 0x…" below _text, for the relative base and v5.9 addresses', () => {
    const latest = generateKallsyms(text, { generation: 'latest' });
    expect(latest.text).toContain('kallsyms_relative_base:\n\tPTR\t_text - 0x100\n');
    const absolute = generateKallsyms(text, { generation: 'v5.9', baseRelative: false });
    expect(absolute.text).toContain(
      'kallsyms_addresses:\n\tPTR\t_text - 0x100\n\tPTR\t_text + 0\n\tPTR\t_text + 0x100\n\n',
    );
    expect(absolute.text).not.toContain('kallsyms_relative_base');
    expect(absolute.text).not.toContain('kallsyms_offsets');
  });

  it('print an unsigned difference when _text is missing (0)', () => {
    const result = generateKallsyms(listing(nm(B, 'T', '_stext'), nm(B + 8n, 'T', '_etext')), {
      generation: 'v5.9',
    });
    expect(result.text).toContain('\tPTR\t_text + 0xc000000000000000\n');
  });
});

describe('kallsyms_names lengths', () => {
  it('latest: above 0x7F the length takes two bytes, low 7 bits first with 0x80 set', () => {
    const extra: Array<[bigint, string, string]> = [];
    for (let i = 0; i < 6; i++) extra.push([B + 0x10n * BigInt(i + 1), 'T', diverseName(i, 300)]);
    const result = generateKallsyms(kernelListing(extra), { generation: 'latest' });
    const names = itemsOf(result, 'kallsyms_names');
    if (names?.kind !== 'bytes') throw new Error('no names');
    const long = toArrays(names.lines).filter((line) => line[0] & 0x80);
    expect(long.length).toBe(6);
    for (const line of long) {
      const len = line.length - 2;
      expect(len).toBeGreaterThan(0x7f);
      expect(line[0]).toBe((len & 0x7f) | 0x80);
      expect(line[1]).toBe(len >> 7);
    }
    const short = toArrays(names.lines).filter((line) => !(line[0] & 0x80));
    for (const line of short) expect(line[0]).toBe(line.length - 1);
    expect(result.text).toMatch(/\n\t\.byte 0x[89a-f][0-9a-f], 0x0[12], 0x/);
  });

  it('latest: a compressed name longer than 0x3FFF is fatal', () => {
    const s = symbol(B, 'T', diverseName(1, 0x4100), 3);
    let error: unknown;
    try {
      buildLatestProgram({ symbols: [s], textAddr: B });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(KallsymsError);
    expect((error as KallsymsError).code).toBe('name-length');
    expect((error as KallsymsError).message).toMatch(
      /name too long at line 3 .*more than the 0x3FFF/,
    );
    expect((error as KallsymsError).message).toMatch(/shorten the symbol name/);
  });

  it('v5.9: one length byte, and no comments', () => {
    const result = generateKallsyms(kernelListing([[B + 8n, 'T', 'abc']]), {
      generation: 'v5.9',
    });
    const names = itemsOf(result, 'kallsyms_names');
    if (names?.kind !== 'bytes') throw new Error('no names');
    expect(names.comments).toBeUndefined();
    for (const line of toArrays(names.lines)) expect(line[0]).toBe(line.length - 1);
    expect(() =>
      buildV59Program(
        { symbols: [symbol(B, 'T', diverseName(2, 400))], textAddr: B },
        { baseRelative: true },
      ),
    ).toThrow(/one-byte length/);
  });
});

describe('markers, token index and seqs', () => {
  const many: Array<[bigint, string, string]> = [];
  for (let i = 0; i < 600; i++) many.push([B + 0x10n + BigInt(i) * 4n, 't', `fn_${i % 7}_${i}`]);
  const result = generateKallsyms(kernelListing(many), { generation: 'latest' });

  it('marks every 256th symbol with its byte offset in kallsyms_names', () => {
    const names = itemsOf(result, 'kallsyms_names');
    const markers = itemsOf(result, 'kallsyms_markers');
    if (names?.kind !== 'bytes' || markers?.kind !== 'long') throw new Error('missing tables');
    const expected: number[] = [];
    let offset = 0;
    toArrays(names.lines).forEach((line, i) => {
      if (i % 256 === 0) expected.push(offset);
      offset += line.length;
    });
    expect(Array.from(markers.values)).toEqual(expected);
    expect(expected).toHaveLength(3); // 604 symbols
  });

  it('indexes each token at the start of its string in the token table', () => {
    const table = itemsOf(result, 'kallsyms_token_table');
    const index = itemsOf(result, 'kallsyms_token_index');
    if (table?.kind !== 'asciz' || index?.kind !== 'short') throw new Error('missing tables');
    let at = 0;
    table.strings.forEach((s, slot) => {
      expect(index.values[slot]).toBe(at);
      at += s.length + 1;
    });
  });

  it('sorts seqs by name, then address, then table position', () => {
    const symbols = [
      symbol(0x10n, 't', 'b', 1),
      symbol(0x10n, 'T', 'b', 2),
      symbol(0x20n, 'T', 'a', 3),
      symbol(0x30n, 'T', 'b', 4),
      symbol(0x40n, 't', '_z', 5),
    ];
    const program = buildLatestProgram({ symbols, textAddr: 0n });
    const seqs = program.tables.find((t) => t.label === 'kallsyms_seqs_of_names')?.items[0];
    if (seqs?.kind !== 'bytes') throw new Error('no seqs');
    expect(toArrays(seqs.lines).map((l) => Array.from(l))).toEqual([
      [0, 0, 4],
      [0, 0, 2],
      [0, 0, 0],
      [0, 0, 1],
      [0, 0, 3],
    ]);
    const comments = Array.from(seqs.commentOrder!, (i) => lineAt(seqs.comments!, i));
    expect(comments.map((c) => String.fromCharCode(...c))).toEqual(['t_z', 'Ta', 'tb', 'Tb', 'Tb']);
  });
});

describe('the empty table (latest, first pass)', () => {
  it('has no symbols, no markers, 256 empty tokens and a zero base', () => {
    const result = generateKallsyms('', { generation: 'latest' });
    const emptyTokens = '\t.asciz\t""\n'.repeat(256);
    const index = Array.from({ length: 256 }, (_, i) => `\t.short\t${i}\n`).join('');
    expect(result.text).toContain('kallsyms_num_syms:\n\t.long\t0\n\n');
    expect(result.text).toContain('kallsyms_names:\n\n');
    expect(result.text).toContain('kallsyms_markers:\n\n');
    expect(result.text).toContain(`kallsyms_token_table:\n${emptyTokens}\n`);
    expect(result.text).toContain(`kallsyms_token_index:\n${index}\n`);
    expect(result.text).toContain('kallsyms_offsets:\n\n');
    expect(result.text).toContain('kallsyms_relative_base:\n\tPTR\t_text + 0\n\n');
    expect(result.text.endsWith('kallsyms_seqs_of_names:\n\n')).toBe(true);
  });
});
