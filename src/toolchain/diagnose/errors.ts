/**
 * Bad input, said in one line: what was wrong, where, and what to give
 * instead. Inputs come from strangers, so a quoted line or name is bounded
 * and its control bytes are escaped (never raw bytes to a terminal).
 */
export type DiagnoseErrorCode =
  'empty' | 'too-large' | 'not-a-listing' | 'bad-elf' | 'no-symbols' | 'too-many-inputs';

export class DiagnoseError extends Error {
  readonly code: DiagnoseErrorCode;
  /** The input's name, as given. */
  readonly input: string;

  constructor(code: DiagnoseErrorCode, input: string, message: string) {
    super(`${quoteName(input, 120)}: ${message}`);
    this.name = 'DiagnoseError';
    this.code = code;
    this.input = input;
  }
}

/**
 * Text from an input, made safe and short for a one-line message: C0 and
 * C1 control characters and DEL become \xNN escapes (a byte string's
 * chars are bytes), and at most `limit` characters are kept, then `…`.
 */
export function printable(text: string, limit = 80): string {
  let out = '';
  let shown = 0;
  for (let i = 0; i < text.length; i++) {
    if (shown >= limit) return out + `… (${text.length} bytes)`;
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) out += `\\x${c.toString(16).padStart(2, '0')}`;
    else if (c === 0x5c) out += '\\\\';
    else out += text[i];
    shown++;
  }
  return out;
}

/** `"text"` with `printable`'s escaping and bound. */
export function quoteLine(text: string, limit = 80): string {
  return `"${printable(text, limit).replace(/"/g, '\\"')}"`;
}

/** A file name for messages: printable, bounded, unquoted. */
export function quoteName(name: string, limit = 80): string {
  return printable(name, limit);
}
