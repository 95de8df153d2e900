/**
 * Test support: the v5.8/v5.9 listing scanner as first written, character by
 * character over split lines, kept as the reference that the faster scanner
 * in listing.ts must agree with on any input.
 */
import type { KallsymsWarning, ListingPlace } from '../errors.ts';
import {
  KSYM_NAME_LEN,
  splitLines,
  tooLongWarning as tooLong,
  type ListingSymbol,
} from '../listing.ts';

const MAX_U64 = (1n << 64n) - 1n;

const isSpace = (c: number): boolean => c === 0x20 || (c >= 0x09 && c <= 0x0d);

function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x61 && c <= 0x66) return c - 0x61 + 10;
  if (c >= 0x41 && c <= 0x46) return c - 0x41 + 10;
  return -1;
}

/**
 * v5.8/v5.9 read the listing with `fscanf("%llx %c %499s\n")` and, when that
 * does not match three items, skip the rest of the line with `fgets(500)`.
 * scanf's whitespace directives also swallow newlines, so this is a scanner
 * over the whole text, not a line splitter; we emulate it to be faithful on
 * odd input (a name longer than 499 bytes spills into the next read).
 */
export function referenceScanV59Listing(text: string): {
  symbols: ListingSymbol[];
  warnings: KallsymsWarning[];
  lineCount: number;
} {
  const symbols: ListingSymbol[] = [];
  const warnings: KallsymsWarning[] = [];
  const lines = splitLines(text);
  const n = text.length;
  let pos = 0;
  let lineIndex = 0; // index into `lines` of the line holding `pos`
  let lineEnd = lines.length ? lines[0].text.length : 0; // offset of that line's '\n'

  const placeAt = (): ListingPlace => {
    const l = lines[Math.min(lineIndex, lines.length - 1)];
    return l ? { line: l.line, text: l.text } : { line: 1, text: '' };
  };
  const advance = (): void => {
    if (pos === lineEnd && lineIndex < lines.length - 1) {
      lineIndex++;
      lineEnd = lineEnd + 1 + lines[lineIndex].text.length;
    }
    pos++;
  };
  const skipSpace = (): void => {
    while (pos < n && isSpace(text.charCodeAt(pos))) advance();
  };

  // fscanf's return: -1 (EOF before the first conversion), or items matched.
  for (;;) {
    skipSpace();
    if (pos >= n) break; // EOF: feof() ends the kernel's loop
    const place = placeAt();
    let matched = 0;
    let addr = 0n;
    let type = '';
    let name = '';
    // %llx: an optional sign, then digits; scanf takes a 0x prefix even
    // when no hex digit follows it (it cannot push two characters back), so
    // "0x" alone reads as 0.
    let p = pos;
    let negative = false;
    if (text[p] === '+' || text[p] === '-') {
      negative = text[p] === '-';
      p++;
    }
    let digits = '';
    if (text[p] === '0' && (text[p + 1] === 'x' || text[p + 1] === 'X')) {
      p += 2;
      digits = '0';
    }
    while (p < n && hexDigit(text.charCodeAt(p)) >= 0) digits += text[p++];
    if (digits !== '') {
      // strtoull: an overflow gives ULLONG_MAX whatever the sign.
      addr = BigInt('0x' + digits);
      if (addr > MAX_U64) addr = MAX_U64;
      else if (negative) addr = -addr & MAX_U64;
      while (pos < p) advance();
      matched = 1;
      // " %c"
      skipSpace();
      if (pos < n) {
        type = text[pos];
        advance();
        matched = 2;
        // " %499s"
        skipSpace();
        const nameStart = pos;
        while (pos < n && pos - nameStart < 499 && !isSpace(text.charCodeAt(pos))) advance();
        if (pos > nameStart) {
          // A C string: the name ends at its first NUL.
          name = text.slice(nameStart, pos).split('\0')[0];
          matched = 3;
          skipSpace(); // the trailing "\n" directive
        }
      }
    }
    if (matched !== 3) {
      // fgets(sym, 500): the rest of this line, at most 499 bytes.
      const fgetsStart = pos;
      while (pos < n && pos - fgetsStart < 499) {
        const nl = text.charCodeAt(pos) === 0x0a;
        advance();
        if (nl) break;
      }
      if (pos === fgetsStart) {
        warnings.push({ message: 'kallsyms: read error or end of file', place });
      }
      continue;
    }
    if (name.length >= KSYM_NAME_LEN.v59) {
      warnings.push(tooLong(name, KSYM_NAME_LEN.v59, place));
      continue;
    }
    symbols.push({ addr, type, name, place });
  }
  return { symbols, warnings, lineCount: lines.length };
}
