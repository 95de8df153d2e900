/**
 * Builds a large byte string fast: the table's text is tens of megabytes of
 * short lines (57 MB for 300k symbols in latest form), and writing bytes into
 * a buffer beats concatenating millions of small strings. Numbers are
 * written digit by digit and byte lists in one loop, so that printing
 * allocates nothing per line. The buffer is a small chunk turned into a
 * string whenever it fills: one buffer the size of the text would be another
 * 57 MB outside the heap, which makes the engine collect garbage early.
 */
import { bytesToByteString } from './bytes.ts';

/** "00" … "ff" as char codes: the two hex digits of each byte, lowercase. */
const HEX_PAIRS = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  const digits = b.toString(16).padStart(2, '0');
  HEX_PAIRS[2 * b] = digits.charCodeAt(0);
  HEX_PAIRS[2 * b + 1] = digits.charCodeAt(1);
}

export class TextWriter {
  private buf: Uint8Array;
  private len = 0;
  /** The text before what `buf` holds. */
  private done: string[] = [];

  constructor(chunk = 1 << 20) {
    this.buf = new Uint8Array(Math.max(chunk, 16));
  }

  /** Room for `extra` bytes: the chunk goes out as a string first if full. */
  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    this.done.push(bytesToByteString(this.buf.subarray(0, this.len)));
    this.len = 0;
    if (extra > this.buf.length) this.buf = new Uint8Array(extra);
  }

  /** A string of chars ≤ U+00FF, one byte each. */
  text(s: string): this {
    this.ensure(s.length);
    const buf = this.buf;
    let len = this.len;
    for (let i = 0; i < s.length; i++) buf[len++] = s.charCodeAt(i);
    this.len = len;
    return this;
  }

  /** Bytes as they are (names: short runs, where a loop beats a subarray and `set`). */
  bytes(data: Uint8Array, from = 0, to = data.length): this {
    this.ensure(to - from);
    const buf = this.buf;
    let len = this.len;
    for (let k = from; k < to; k++) buf[len++] = data[k];
    this.len = len;
    return this;
  }

  /** `0xHH, 0xHH, …` for data[from] … data[to - 1] (`%#02x` joined by ", "). */
  hexBytes(data: Uint8Array, from: number, to: number): this {
    this.ensure(6 * (to - from));
    const buf = this.buf;
    let len = this.len;
    for (let k = from; k < to; k++) {
      if (k > from) {
        buf[len++] = 0x2c; // ','
        buf[len++] = 0x20;
      }
      const b = data[k];
      buf[len++] = 0x30; // '0'
      buf[len++] = 0x78; // 'x'
      buf[len++] = HEX_PAIRS[2 * b];
      buf[len++] = HEX_PAIRS[2 * b + 1];
    }
    this.len = len;
    return this;
  }

  /** An unsigned 32-bit number in decimal. */
  decimal(n: number): this {
    this.ensure(10);
    const buf = this.buf;
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    let at = this.len + digits;
    this.len = at;
    let m = n;
    do {
      buf[--at] = 0x30 + (m % 10);
      m = Math.floor(m / 10);
    } while (m > 0);
    return this;
  }

  /** C's `%#x` of an unsigned 32-bit number: `0`, or `0x` and lowercase hex. */
  altHex(n: number): this {
    if (n === 0) return this.text('0');
    this.ensure(10);
    const buf = this.buf;
    buf[this.len++] = 0x30;
    buf[this.len++] = 0x78;
    let digits = 1;
    for (let m = n; m >= 16; m = Math.floor(m / 16)) digits++;
    let at = this.len + digits;
    this.len = at;
    let m = n;
    do {
      const d = m % 16;
      buf[--at] = d < 10 ? 0x30 + d : 0x57 + d; // 0x57 + 10 = 'a'
      m = Math.floor(m / 16);
    } while (m > 0);
    return this;
  }

  toByteString(): string {
    const last = bytesToByteString(this.buf.subarray(0, this.len));
    return this.done.length ? this.done.join('') + last : last;
  }
}
