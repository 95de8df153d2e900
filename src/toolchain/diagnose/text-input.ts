/**
 * A text input: a System.map, an `nm -n` listing or a `.tmp_vmlinux*.syms`
 * file. Every line is checked before anything reads it as symbols, so that
 * a wrong file (binary data, a log, a listing with Windows line endings) is
 * refused with the line and the reason, not half-read.
 */
import {
  MKSYSMAP_RULES,
  MKSYSMAP_V59_RULES,
  bytesToByteString,
  filterListing,
} from '../kallsyms/index.ts';
import { DiagnoseError, quoteLine } from './errors.ts';
import { DIAGNOSE_LIMITS } from './limits.ts';

/**
 * What the listing looks like: raw `nm -n` output, or already filtered into
 * a System.map. Only content tells them apart, so a listing that no filter
 * would change (no undefined, weak or stub lines) reads as a System.map:
 * for every number reported the two are the same.
 */
export type ListingKind = 'nm-listing' | 'system-map';

/** Which filter a System.map was made with: today's mksysmap, or v5.9's link-vmlinux.sh. */
export type SystemMapFilter = 'latest' | 'v5.9';

export interface TextListing {
  /** The listing as a byte string (one char per byte). */
  text: string;
  lines: number;
  /** Lines with an address (the rest are undefined symbols). */
  definedSymbols: number;
  kind: ListingKind;
  /** For a System.map: the filter that leaves it unchanged (latest's drops more). */
  systemMapFilter: SystemMapFilter | null;
  /** Hex digits of the first address (16 on 64-bit, 8 on 32-bit), or null. */
  addressDigits: number | null;
}

const isHex = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x61 && c <= 0x66) || (c >= 0x41 && c <= 0x46);
/** Bytes no text listing holds: C0 controls but tab, LF and CR; and DEL. */
const isBinary = (c: number) => (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0x7f;

function notAListing(name: string, line: number, text: string, why: string): DiagnoseError {
  return new DiagnoseError(
    'not-a-listing',
    name,
    `line ${line} ${why}: ${quoteLine(text)}. Give a System.map, an "nm -n" listing ` +
      '("<hex address> <type letter> <name>" per line) or an ELF image.',
  );
}

/** Checks and classifies a text input; throws DiagnoseError for anything that is not a listing. */
export function checkTextListing(name: string, bytes: Uint8Array): TextListing {
  let start = 0;
  while (start < bytes.length && (bytes[start] === 0x20 || bytes[start] === 0x0a)) start++;
  if (start === bytes.length) {
    throw new DiagnoseError(
      'empty',
      name,
      bytes.length === 0
        ? 'the input is empty. Give a System.map, an "nm -n" listing or an ELF image.'
        : 'the input holds only blank lines. Give a System.map, an "nm -n" listing or an ELF image.',
    );
  }
  // Binary data: say so once, with where, rather than "line 1 is not an nm line".
  for (let i = 0; i < bytes.length; i++) {
    if (isBinary(bytes[i])) {
      let line = 1;
      for (let k = 0; k < i; k++) if (bytes[k] === 0x0a) line++;
      throw new DiagnoseError(
        'not-a-listing',
        name,
        `byte 0x${bytes[i].toString(16).padStart(2, '0')} at offset ${i} (line ${line}) is not text: ` +
          'this is neither an ELF image (no \\x7fELF at its start) nor a System.map or "nm -n" listing.',
      );
    }
  }
  const text = bytesToByteString(bytes);
  let lines = 0;
  let defined = 0;
  let addressDigits: number | null = null;
  for (let at = 0, number = 1; at < text.length; number++) {
    const nl = text.indexOf('\n', at);
    const end = nl < 0 ? text.length : nl;
    const length = end - at;
    lines++;
    if (lines > DIAGNOSE_LIMITS.symbols) {
      throw new DiagnoseError(
        'too-large',
        name,
        `more than ${DIAGNOSE_LIMITS.symbols.toLocaleString('en-US')} lines; no kernel lists that many symbols`,
      );
    }
    if (length > DIAGNOSE_LIMITS.lineBytes) {
      throw notAListing(
        name,
        number,
        text.slice(at, at + 80),
        `is ${length.toLocaleString('en-US')} bytes long (a listing line is an address, a letter and a name)`,
      );
    }
    const line = text.slice(at, end);
    if (length === 0) throw notAListing(name, number, line, 'is empty (nm prints none)');
    if (line.endsWith('\r')) {
      throw notAListing(
        name,
        number,
        line,
        'ends with a carriage return: the file has Windows line endings (convert it with dos2unix)',
      );
    }
    // `<hex> <letter> <name>`, or blanks for the address of an undefined symbol.
    let p = 0;
    while (p < length && isHex(line.charCodeAt(p))) p++;
    const digits = p;
    if (digits === 0) {
      // Blanks where the address would be, then the separating space.
      while (p < length && line.charCodeAt(p) === 0x20) p++;
      p--;
    }
    const ok =
      p > 0 &&
      p <= 16 &&
      line.charCodeAt(p) === 0x20 &&
      line.charCodeAt(p + 1) > 0x20 &&
      line.charCodeAt(p + 1) < 0x7f &&
      line.charCodeAt(p + 2) === 0x20 &&
      p + 3 < length;
    if (!ok) throw notAListing(name, number, line, 'is not an "nm -n" line');
    if (digits > 0) {
      defined++;
      addressDigits ??= digits;
    }
    at = end + 1;
  }

  let kind: ListingKind = 'nm-listing';
  let systemMapFilter: SystemMapFilter | null = null;
  if (filterListing(text, MKSYSMAP_RULES).kept.count === lines) {
    kind = 'system-map';
    systemMapFilter = 'latest';
  } else if (filterListing(text, MKSYSMAP_V59_RULES).kept.count === lines) {
    kind = 'system-map';
    systemMapFilter = 'v5.9';
  }
  return { text, lines, definedSymbols: defined, kind, systemMapFilter, addressDigits };
}
