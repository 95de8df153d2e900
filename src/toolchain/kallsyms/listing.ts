/**
 * Reading `nm -n` lines the way each generation of the tool reads them.
 * Listings are byte strings (see bytes.ts).
 */
import { quoteInput } from '../text/quote.ts';
import { describePlace, KallsymsError, type KallsymsWarning, type ListingPlace } from './errors.ts';

/** One symbol as read from a listing line. */
export interface ListingSymbol {
  addr: bigint;
  /** The nm type letter. */
  type: string;
  /** The name, as a byte string. */
  name: string;
  /** Where it came from, for messages. */
  place: ListingPlace;
}

/** A line of a listing and its 1-based number in the original text. */
export interface ListingLine {
  text: string;
  line: number;
}

/** Longest name + 1 that each generation accepts (KSYM_NAME_LEN). */
export const KSYM_NAME_LEN = { v59: 128, latest: 512 } as const;

const MAX_U64 = (1n << 64n) - 1n;

/** Lines as a line reader sees them: a final line without newline still counts. */
export function splitLines(text: string): ListingLine[] {
  const lines: ListingLine[] = [];
  let start = 0;
  let number = 1;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    lines.push({ text: text.slice(start, end), line: number++ });
    start = end + 1;
  }
  return lines;
}

/** What the tool says, and does, for a name of KSYM_NAME_LEN bytes or more: the name shown once. */
export function tooLongWarning(name: string, limit: number, place: ListingPlace): KallsymsWarning {
  return {
    message:
      `kallsyms: symbol ${quoteInput(name)} on line ${place.line} is too long for kallsyms ` +
      `(${name.length} >= ${limit}); it is left out of the table (the kernel would need a larger KSYM_NAME_LEN)`,
    place,
  };
}

/** A name as C sees it: up to its first NUL byte (the tool measures and copies it with strlen/strcpy). */
function cName(text: string, from: number, to: number): string {
  // Searched within the name only: indexOf over the rest of the listing made reading quadratic.
  const name = text.slice(from, to);
  const nul = name.indexOf('\0');
  return nul < 0 ? name : name.slice(0, nul);
}

/** Reads hex digits as a number, as strtoull does (saturating at 64 bits). */
export type HexReader = (text: string, from: number, to: number) => bigint;

/**
 * A HexReader for text[from, to), all hex digits. Kernel addresses have 16
 * digits, beyond a double's 53 bits, so the last 8 digits and those before
 * them (the same on most lines) are read as numbers, and the high part's
 * BigInt is reused while it repeats: on 300k lines this saves the strings
 * and the parsing of BigInt('0x' + digits).
 */
export function hexReader(): HexReader {
  let lastHigh = -1;
  let highPart = 0n;
  return (text, from, to) => {
    if (to - from > 16) {
      const value = BigInt('0x' + text.slice(from, to));
      return value > MAX_U64 ? MAX_U64 : value; // strtoull saturates
    }
    const split = Math.max(from, to - 8);
    let low = 0;
    for (let k = split; k < to; k++) low = low * 16 + hexDigit(text.charCodeAt(k));
    if (split === from) return BigInt(low);
    let high = 0;
    for (let k = from; k < split; k++) high = high * 16 + hexDigit(text.charCodeAt(k));
    if (high !== lastHigh) {
      lastHigh = high;
      highPart = BigInt(high) << 32n;
    }
    return highPart + BigInt(low);
  };
}

/**
 * `-digits` as strtoull reads it: the value negated modulo 2^64, or
 * ULLONG_MAX when the digits alone overflow 64 bits (glibc checks overflow
 * before it applies the sign).
 */
function negatedHex(digits: string): bigint {
  const value = BigInt('0x' + digits);
  return value > MAX_U64 ? MAX_U64 : -value & MAX_U64;
}

const isHexDigit = (c: number): boolean =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);

/**
 * latest: each (already mksysmap-filtered) line must be `<hex> <type> <name>`
 * with single spaces; the name is the rest of the line. Anything else is fatal.
 * Returns null for a line that is skipped (name too long).
 */
export function parseLatestLine(
  line: ListingLine,
  warnings: KallsymsWarning[],
): ListingSymbol | null {
  return parseLatestSpan(line.text, 0, line.text.length, line.line, warnings);
}

/**
 * parseLatestLine for text.slice(start, end), line number `line`, without
 * making the line's string unless needed; `read` and `mayHoldNul` as
 * readLatestSymbol takes them, for a caller reading many lines.
 */
export function parseLatestSpan(
  text: string,
  start: number,
  end: number,
  line: number,
  warnings: KallsymsWarning[],
  read: LatestSymbolRead = latestSymbolRead(),
  mayHoldNul = true,
): ListingSymbol | null {
  if (!readLatestSymbol(text, start, end, line, warnings, read, mayHoldNul)) return null;
  // The high half is the same on most lines: its BigInt is made once per change.
  if (read.addr[0] !== read.lastHigh) {
    read.lastHigh = read.addr[0];
    read.highPart = BigInt(read.addr[0]) << 32n;
  }
  return {
    addr: read.highPart + BigInt(read.addr[1]),
    type: text[read.parts.typeAt],
    name: text.slice(read.nameStart, read.nameEnd),
    place: { line, text: text.slice(start, end) },
  };
}

/** One latest line's symbol as spans of the text (readLatestSymbol fills it in; reused per line). */
export interface LatestSymbolRead {
  parts: LatestLineParts;
  /** The name is text[nameStart, nameEnd), cut at its first NUL. */
  nameStart: number;
  nameEnd: number;
  /** The address: high and low 32 bits. */
  addr: Uint32Array;
  /** parseLatestSpan's: the last high half seen, and it as a BigInt shifted into place. */
  lastHigh: number;
  highPart: bigint;
}

export const latestSymbolRead = (): LatestSymbolRead => ({
  parts: { digits: 0, typeAt: 0, negative: false },
  nameStart: 0,
  nameEnd: 0,
  addr: new Uint32Array(2),
  lastHigh: 0,
  highPart: 0n,
});

/**
 * The one reading of a latest line (the generator's and the diagnosis's):
 * checks its format (fatal when wrong), cuts the name at a NUL, and skips a
 * name of KSYM_NAME_LEN bytes or more with the tool's warning (false).
 * `mayHoldNul` false is a promise that the text has no NUL byte, which saves
 * a search per line.
 */
export function readLatestSymbol(
  text: string,
  start: number,
  end: number,
  line: number,
  warnings: KallsymsWarning[],
  out: LatestSymbolRead,
  mayHoldNul = true,
): boolean {
  const { parts } = out;
  scanLatestLine(text, start, end, line, parts);
  const nameStart = parts.typeAt + 2;
  let nameEnd = end;
  if (mayHoldNul) {
    // Searched within the name only: indexOf over the rest of the listing made reading quadratic.
    const nul = text.slice(nameStart, end).indexOf('\0');
    if (nul >= 0) nameEnd = nameStart + nul;
  }
  if (nameEnd - nameStart >= KSYM_NAME_LEN.latest) {
    const place = { line, text: text.slice(start, end) };
    warnings.push(tooLongWarning(text.slice(nameStart, nameEnd), KSYM_NAME_LEN.latest, place));
    return false;
  }
  readHexHalves(text, parts.digits, parts.typeAt - 1, parts.negative, out.addr);
  out.nameStart = nameStart;
  out.nameEnd = nameEnd;
  return true;
}

/** Where a latest line's parts lie (scanLatestLine fills it in). */
export interface LatestLineParts {
  /** The first hex digit of the address. */
  digits: number;
  /** The type char; the digits end 1 before it, the name starts 2 after it. */
  typeAt: number;
  /** A `-` before the digits (strtoull negates). */
  negative: boolean;
}

/**
 * latest: checks that text[start, end) is `<hex> <type> <name>` with single
 * spaces and finds its parts; anything else is fatal, as in the tool.
 */
export function scanLatestLine(
  text: string,
  start: number,
  end: number,
  line: number,
  parts: LatestLineParts,
): void {
  // strtoull(line, &p, 16): leading whitespace, a sign, a 0x prefix (when a
  // hex digit follows it), then hex digits; no digit at all is no number.
  let p = start;
  let negative = false;
  if (!isHexDigit(text.charCodeAt(p))) {
    while (p < end && isSpace(text.charCodeAt(p))) p++;
    if (text[p] === '+' || text[p] === '-') negative = text[p++] === '-';
  }
  if (
    text.charCodeAt(p) === 0x30 &&
    (text.charCodeAt(p + 1) | 0x20) === 0x78 &&
    isHexDigit(text.charCodeAt(p + 2))
  )
    p += 2;
  const digits = p;
  while (p < end && isHexDigit(text.charCodeAt(p))) p++;
  // Then a space, one ASCII char (the tool checks isascii), a space.
  if (
    p === digits ||
    p + 2 >= end ||
    text.charCodeAt(p) !== 0x20 ||
    text.charCodeAt(p + 1) >= 0x80 ||
    text.charCodeAt(p + 2) !== 0x20
  ) {
    const place = { line, text: text.slice(start, end) };
    throw new KallsymsError(
      'line-format',
      `kallsyms: line format error at ${describePlace(place)}: expected ` +
        `"<hex address> <type> <name>" with single spaces, as "nm -n" prints a defined symbol; ` +
        `feed the tool the nm listing after the mksysmap filter`,
      place,
    );
  }
  parts.digits = digits;
  parts.typeAt = p + 1;
  parts.negative = negative;
}

/**
 * Hex digits text[from, to) as strtoull reads them (negated when `negative`),
 * into out[0] (high 32 bits) and out[1] (low 32 bits): no BigInt for the
 * usual 16 digits or fewer.
 */
export function readHexHalves(
  text: string,
  from: number,
  to: number,
  negative: boolean,
  out: Uint32Array,
): void {
  if (negative || to - from > 16) {
    const value = negative
      ? negatedHex(text.slice(from, to))
      : BigInt.asUintN(64, hexReader()(text, from, to));
    out[0] = Number(value >> 32n);
    out[1] = Number(value & 0xffffffffn);
    return;
  }
  const split = Math.max(from, to - 8);
  let low = 0;
  for (let k = split; k < to; k++) low = low * 16 + hexDigit(text.charCodeAt(k));
  let high = 0;
  for (let k = from; k < split; k++) high = high * 16 + hexDigit(text.charCodeAt(k));
  out[0] = high;
  out[1] = low;
}

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
 *
 * An ordinary line (`<hex> <type> <name>` with single spaces and a name
 * shorter than scanf's width, then a newline or the end) is read in one step,
 * as scanf would read it; anything else goes character by character.
 */
export function scanV59Listing(text: string): {
  symbols: ListingSymbol[];
  warnings: KallsymsWarning[];
  lineCount: number;
} {
  const symbols: ListingSymbol[] = [];
  const warnings: KallsymsWarning[] = [];
  const readHex = hexReader();
  const n = text.length;
  // The line holding `pos`: [lineStart, lineEnd), lineEnd at its newline or the end.
  let lineNumber = 1;
  let lineStart = 0;
  let lineEnd = endOfLine(text, 0);
  let pos = 0;

  const placeAt = (): ListingPlace => ({ line: lineNumber, text: text.slice(lineStart, lineEnd) });
  /** On to the next line, if there is one (after a final newline there is none). */
  const nextLine = (): void => {
    lineNumber++;
    lineStart = lineEnd + 1;
    lineEnd = endOfLine(text, lineStart);
  };
  const advance = (): void => {
    if (pos === lineEnd && lineEnd + 1 < n) nextLine();
    pos++;
  };
  const skipSpace = (): void => {
    while (pos < n && isSpace(text.charCodeAt(pos))) advance();
  };

  // fscanf's return: -1 (EOF before the first conversion), or items matched.
  for (;;) {
    skipSpace();
    if (pos >= n) break; // EOF: feof() ends the kernel's loop

    // The ordinary line, from its first character.
    if (pos === lineStart) {
      let p = pos;
      while (p < lineEnd && hexDigit(text.charCodeAt(p)) >= 0) p++;
      const nameStart = p + 3;
      if (
        p > pos &&
        nameStart < lineEnd &&
        lineEnd - nameStart < 499 &&
        text.charCodeAt(p) === 0x20 &&
        !isSpace(text.charCodeAt(p + 1)) &&
        text.charCodeAt(p + 2) === 0x20 &&
        !hasSpace(text, nameStart, lineEnd)
      ) {
        const place = placeAt();
        const name = cName(text, nameStart, lineEnd);
        const type = text[p + 1];
        const addr = readHex(text, pos, p);
        // The trailing "\n" directive: the newline (and what whitespace
        // follows, which the next round skips).
        pos = lineEnd;
        advance();
        if (name.length >= KSYM_NAME_LEN.v59) {
          warnings.push(tooLongWarning(name, KSYM_NAME_LEN.v59, place));
          continue;
        }
        symbols.push({ addr, type, name, place });
        continue;
      }
    }

    const place = placeAt();
    let matched = 0;
    let addr = 0n;
    let type = '';
    let name = '';
    // %llx: an optional sign, then digits; scanf takes a 0x prefix even
    // when no hex digit follows it (it cannot push two characters back), so
    // "0x" alone reads as 0 (glibc; the oracle in kernel-parse.test.ts).
    let p = pos;
    let negative = false;
    if (text[p] === '+' || text[p] === '-') {
      negative = text[p] === '-';
      p++;
    }
    let prefixed = false;
    if (text[p] === '0' && (text[p + 1] === 'x' || text[p + 1] === 'X')) {
      p += 2;
      prefixed = true;
    }
    const digitsStart = p;
    while (p < n && hexDigit(text.charCodeAt(p)) >= 0) p++;
    if (p > digitsStart || prefixed) {
      if (p === digitsStart) addr = 0n;
      else if (negative) addr = negatedHex(text.slice(digitsStart, p));
      else addr = readHex(text, digitsStart, p);
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
          name = cName(text, nameStart, pos);
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
      warnings.push(tooLongWarning(name, KSYM_NAME_LEN.v59, place));
      continue;
    }
    symbols.push({ addr, type, name, place });
  }
  return { symbols, warnings, lineCount: countLines(text) };
}

function endOfLine(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

function hasSpace(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) if (isSpace(text.charCodeAt(k))) return true;
  return false;
}

/** As many as splitLines gives, without making them. */
function countLines(text: string): number {
  let lines = 0;
  for (let at = 0; at < text.length; lines++) at = endOfLine(text, at) + 1;
  return lines;
}
