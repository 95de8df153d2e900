import { ElfFormatError, hex } from './errors.ts';

/**
 * The bytes of one ELF file with its byte order and class: every structure
 * reader goes through this so that bounds are checked in one place.
 * (Internal to the reader; not exported from the package index.)
 */
export class ByteSource {
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly littleEndian: boolean;
  readonly is64: boolean;

  constructor(bytes: Uint8Array, littleEndian: boolean, is64: boolean) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.littleEndian = littleEndian;
    this.is64 = is64;
  }

  get length(): number {
    return this.bytes.length;
  }

  u8(offset: number): number {
    return this.view.getUint8(offset);
  }

  u16(offset: number): number {
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number): number {
    return this.view.getUint32(offset, this.littleEndian);
  }

  i32(offset: number): number {
    return this.view.getInt32(offset, this.littleEndian);
  }

  u64(offset: number): bigint {
    return this.view.getBigUint64(offset, this.littleEndian);
  }

  i64(offset: number): bigint {
    return this.view.getBigInt64(offset, this.littleEndian);
  }

  /** An address-sized unsigned field (Elf32_Addr/Off or Elf64_Addr/Off/Xword). */
  word(offset: number): bigint {
    return this.is64 ? this.u64(offset) : BigInt(this.u32(offset));
  }

  /**
   * An address-sized field that is a file offset or a size in the file: it
   * must fit in a JavaScript number (it is checked against the file size later).
   */
  fileWord(offset: number, what: string): number {
    const value = this.word(offset);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ElfFormatError(`${what} ${hex(value)} is beyond any file`, offset);
    }
    return Number(value);
  }

  /** Throws unless [start, start + size) lies inside the file. */
  checkRange(start: number, size: number, what: string, recordOffset: number): void {
    if (start > this.length || size > this.length - start) {
      throw new ElfFormatError(
        `${what} at file offset ${hex(start)} with size ${hex(size)} extends past the end of the file (${hex(this.length)} bytes)`,
        recordOffset,
      );
    }
  }
}
