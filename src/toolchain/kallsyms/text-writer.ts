/**
 * Builds a large byte string fast: the table's text is megabytes of short
 * lines, and writing bytes into a growing buffer beats concatenating millions
 * of small strings.
 */
import { bytesToByteString } from './bytes.ts';

const HEX_DIGITS = '0123456789abcdef';

export class TextWriter {
  private buf = new Uint8Array(1 << 16);
  private len = 0;

  private ensure(extra: number): void {
    if (this.len + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  /** A string of chars ≤ U+00FF, one byte each. */
  text(s: string): this {
    this.ensure(s.length);
    for (let i = 0; i < s.length; i++) this.buf[this.len++] = s.charCodeAt(i);
    return this;
  }

  bytes(data: Uint8Array, from = 0, to = data.length): this {
    this.ensure(to - from);
    this.buf.set(data.subarray(from, to), this.len);
    this.len += to - from;
    return this;
  }

  /** `0x%02x` */
  hexByte(b: number): this {
    this.ensure(4);
    const buf = this.buf;
    buf[this.len++] = 0x30;
    buf[this.len++] = 0x78;
    buf[this.len++] = HEX_DIGITS.charCodeAt(b >> 4);
    buf[this.len++] = HEX_DIGITS.charCodeAt(b & 15);
    return this;
  }

  /** An unsigned 32-bit number in decimal. */
  decimal(n: number): this {
    return this.text(String(n));
  }

  /** C's `%#x` of an unsigned 32-bit number: `0`, or `0x` and lowercase hex. */
  altHex(n: number): this {
    return this.text(n === 0 ? '0' : '0x' + n.toString(16));
  }

  toByteString(): string {
    return bytesToByteString(this.buf.subarray(0, this.len));
  }
}
