/**
 * The input is not a well-formed ELF file. The message says what is wrong;
 * `offset` is the file offset of the offending structure (when there is one),
 * and is also written into the message in hex.
 */
export class ElfFormatError extends Error {
  readonly offset: number | undefined;

  constructor(message: string, offset?: number) {
    super(offset === undefined ? message : `${message} (at offset ${hex(offset)})`);
    this.name = 'ElfFormatError';
    this.offset = offset;
  }
}

/** `0x`-prefixed lowercase hex, for messages. */
export function hex(value: number | bigint): string {
  return `0x${value.toString(16)}`;
}
