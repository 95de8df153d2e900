import { describe, expect, it } from 'vitest';
import { bytesToByteString } from './bytes.ts';
import { TextWriter } from './text-writer.ts';

const written = (f: (out: TextWriter) => void, chunk?: number): string => {
  const out = new TextWriter(chunk);
  f(out);
  return out.toByteString();
};

/** The plain way: one char per byte. */
const plain = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => String.fromCharCode(b)).join('');

describe('the text writer', () => {
  const numbers = [
    0, 1, 9, 10, 15, 16, 99, 100, 255, 256, 65535, 0x7fffffff, 0x80000000, 0xffffffff,
  ];

  it('prints numbers as %u and %#x do', () => {
    for (const n of numbers) {
      expect(written((out) => out.decimal(n))).toBe(String(n));
      expect(written((out) => out.altHex(n))).toBe(n === 0 ? '0' : '0x' + n.toString(16));
    }
  });

  it('prints byte lists as "0xHH, 0xHH"', () => {
    const data = Uint8Array.of(0, 9, 0x0a, 0x7f, 0x80, 0xff);
    expect(written((out) => out.hexBytes(data, 1, 5))).toBe('0x09, 0x0a, 0x7f, 0x80');
    expect(written((out) => out.hexBytes(data, 2, 2))).toBe('');
  });

  it('writes text longer than its chunk without losing bytes', () => {
    const line = Uint8Array.from({ length: 100 }, (_, i) => 0x20 + i);
    const text = written((out) => {
      for (let i = 0; i < 50; i++)
        out.text('\t.byte ').hexBytes(line, 0, 100).bytes(line).text('\n');
    }, 16);
    const expected =
      '\t.byte ' + Array.from(line, (b) => '0x' + b.toString(16)).join(', ') + plain(line) + '\n';
    expect(text).toBe(expected.repeat(50));
  });
});

describe('bytes to byte string', () => {
  // Long enough for the fast (platform decoder) path.
  const pad = (bytes: number[]): Uint8Array =>
    Uint8Array.from([...new Array(300).fill(0x61), ...bytes]);

  it('gives one char per byte, whatever the bytes', () => {
    const cases = [
      pad([]), // ASCII: the fast path
      pad([0xc3, 0xa9]), // valid UTF-8 ("é"): must stay two chars
      pad([0xef, 0xbb, 0xbf]), // a BOM, at the end
      Uint8Array.from([0xef, 0xbb, 0xbf, ...pad([])]), // and at the start
      pad([0x80, 0x9f, 0xff]), // not UTF-8
      pad([0]),
      Uint8Array.of(0x41, 0xe9), // short: the plain path
      new Uint8Array(0),
      Uint8Array.from({ length: 0x5000 }, (_, i) => i & 0xff), // several chunks
    ];
    for (const bytes of cases) expect(bytesToByteString(bytes)).toBe(plain(bytes));
  });
});
