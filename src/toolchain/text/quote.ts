/**
 * Quoting input in messages. A listing, a script or a flag may hold anything
 * (a 2 MB line, a binary file's bytes, U+009B, which some terminals read as
 * the start of a control sequence), so a message quotes a bounded prefix with
 * everything but printable ASCII escaped, and text printed to a terminal has
 * its control characters escaped.
 */

/** Printable ASCII but the quote and the backslash, which are escaped to keep the quoting readable. */
const isPlain = (code: number): boolean =>
  code >= 0x20 && code < 0x7f && code !== 0x22 && code !== 0x5c;

function escapeCode(code: number): string {
  if (code === 0x22) return '\\"';
  if (code === 0x5c) return '\\\\';
  if (code === 0x09) return '\\t';
  if (code === 0x0a) return '\\n';
  if (code === 0x0d) return '\\r';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u{${code.toString(16)}}`;
}

/**
 * `"…"`: at most `max` characters of `text` (a byte string's bytes, or a
 * string's code points), printable ASCII as is and everything else escaped
 * (`\x9b`, `\u{202e}`), then `…` when cut short. Reads no more of `text`
 * than it shows, so a huge input costs nothing.
 */
export function quoteInput(text: string, max = 80): string {
  let out = '"';
  let shown = 0;
  let at = 0;
  while (at < text.length && shown < max) {
    const code = text.codePointAt(at)!;
    out += isPlain(code) ? String.fromCharCode(code) : escapeCode(code);
    at += code > 0xffff ? 2 : 1;
    shown++;
  }
  return out + (at < text.length ? '…"' : '"');
}

/**
 * Control characters a terminal acts on: C0 but tab and newline, DEL, C1
 * (U+0080–U+009F), line and paragraph separators, and bidirectional
 * overrides and isolates.
 */
const TERMINAL_CONTROLS =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** Text with every terminal control escaped (`\x1b`, `\u{202e}`); everything else unchanged. */
export function terminalSafe(text: string): string {
  return text.replace(TERMINAL_CONTROLS, (ch) => escapeCode(ch.charCodeAt(0)));
}

/** JSON text with the same characters as `\uXXXX` escapes: still the same JSON, safe to print. */
export function jsonTerminalSafe(json: string): string {
  return json.replace(
    TERMINAL_CONTROLS,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** `text` on one line (its lines joined by "; "), terminal-safe. */
export function oneLine(text: string): string {
  return terminalSafe(text.trim().replace(/\s*\r?\n\s*/g, '; '));
}
