/**
 * The symbol listing of `llvm-nm -n <file>` (LLVM 22, the WebAssembly
 * toolchain's), read straight from the ELF file instead of running the tool:
 * the link loop lists every trial image, and a tool run per pass costs far
 * more than reading the symbol table.
 *
 * What llvm-nm prints, and in which order (checked against it byte for byte
 * on objects made to reach each rule, every corpus object, 150k-symbol
 * images: nm-listing.test.ts; every image of every preset:
 * nm-listing.presets.test.ts):
 *
 * - Every `.symtab` entry except the null symbol, STT_SECTION and STT_FILE
 *   (llvm-nm calls these "format specific" and shows them only with -a).
 *   No `.symtab` (or only the null symbol): nothing on stdout.
 * - One line per symbol: the address as `%016x` on ELF64 or `%08x` on ELF32,
 *   or as many blanks for undefined symbols (`U`, `w`, `v`); a space, the
 *   type letter, a space, the name's bytes as they are, a newline.
 * - The address is st_value, but st_size for common symbols (STT_COMMON or
 *   SHN_COMMON; their st_value is the alignment) and 0 for undefined ones; in
 *   ET_REL files the section's sh_addr is added for symbols in a real section
 *   (in 64 bits: on ELF32 a sum past 4 GiB prints with more than 8 digits).
 *   The sort uses the same address.
 * - The type letter, first rule that applies:
 *   1. undefined (st_shndx SHN_UNDEF): weak → `v` if STT_OBJECT else `w`;
 *      else `U` (STT_GNU_IFUNC too);
 *   2. STT_GNU_IFUNC → `i` (weak, global or absolute too);
 *   3. weak → `V` if STT_OBJECT else `W` (absolute ones too);
 *   4. STT_COMMON or SHN_COMMON → `C`;
 *   5. SHN_ABS → `a` (STB_GNU_UNIQUE too);
 *   6. STB_GNU_UNIQUE → `u` (never upper-cased); another binding that is
 *      neither local nor global → `?`;
 *   7. by the symbol's section, by its flags and type, never its name but
 *      for `.debug`: SHF_EXECINSTR → `t`; SHT_NOBITS → `b` (`.bss`, `.sbss`,
 *      `.tbss`); SHF_ALLOC → `d` if SHF_WRITE else `r` (`.data`, `.toc`,
 *      `.got`, `.opd`, `.sdata`, `.tdata`, and `.branch_lt` as ld.lld writes
 *      it, are `d`; `.rodata*` is `r`); a name starting with `.debug` → `N`;
 *      not SHF_WRITE → `n`; else (and for reserved or bad section indices) `?`.
 *   Letters from rules 5 and 7 are upper-cased for non-local symbols.
 * - `-n` order: undefined symbols first, then by address, then by name
 *   (bytewise, as `std::string` compares), then by st_size. llvm-nm uses an
 *   unstable sort, so symbols equal in all four keys have no defined order;
 *   they keep their symbol table order here (what llvm-nm does on small
 *   tables). They print the same line unless their type letters differ.
 *
 * Cost: on a 158,707-symbol ppc64le image, about 50 ms of CPU in Node (an
 * LSD radix sort on addresses, the lines written as bytes into one buffer),
 * where the WebAssembly llvm-nm takes 13 to 35 s on a loaded 2-core machine.
 */
import {
  ET_REL,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_WRITE,
  SHN_ABS,
  SHN_COMMON,
  SHN_LORESERVE,
  SHN_UNDEF,
  SHN_XINDEX,
  SHT_NOBITS,
  STB_GLOBAL,
  STB_LOCAL,
  STB_WEAK,
  STT_COMMON,
  STT_FILE,
  STT_OBJECT,
  STT_SECTION,
} from './constants.ts';
import type { ElfFile } from './read-elf.ts';
import type { ElfSection } from './sections.ts';

const STT_GNU_IFUNC = 10;
const STB_GNU_UNIQUE = 10;

const code = (c: string) => c.charCodeAt(0);
const SPACE = code(' ');
const NEWLINE = code('\n');
const QUESTION = code('?');
const [LOWER_A, LOWER_Z, UPPER_U] = [code('a'), code('z'), code('U')];
const [LETTER_a, LETTER_i, LETTER_u, LETTER_C] = [code('a'), code('i'), code('u'), code('C')];
const [LETTER_v, LETTER_w, LETTER_V, LETTER_W] = [code('v'), code('w'), code('V'), code('W')];
/** Two lower-case hex digits per byte value, as bytes: "00", "01", … "ff". */
const HEX_PAIRS = new Uint8Array(512);
for (let b = 0; b < 256; b++) {
  HEX_PAIRS[2 * b] = code('0123456789abcdef'[b >> 4]);
  HEX_PAIRS[2 * b + 1] = code('0123456789abcdef'[b & 0xf]);
}

/** Writes `value` as 8 hex digits (`%08x`) at `p`; returns the position after them. */
function writeHex32(out: Uint8Array, p: number, value: number): number {
  let t = (value >>> 23) & 0x1fe;
  out[p] = HEX_PAIRS[t];
  out[p + 1] = HEX_PAIRS[t + 1];
  t = (value >>> 15) & 0x1fe;
  out[p + 2] = HEX_PAIRS[t];
  out[p + 3] = HEX_PAIRS[t + 1];
  t = (value >>> 7) & 0x1fe;
  out[p + 4] = HEX_PAIRS[t];
  out[p + 5] = HEX_PAIRS[t + 1];
  t = (value << 1) & 0x1fe;
  out[p + 6] = HEX_PAIRS[t];
  out[p + 7] = HEX_PAIRS[t + 1];
  return p + 8;
}

/**
 * The lower-case letter llvm-nm gives a symbol defined in this section
 * (rule 7 above), as a byte.
 */
function sectionLetter(section: ElfSection): number {
  const flags = section.flags;
  if ((flags & BigInt(SHF_EXECINSTR)) !== 0n) return code('t');
  if (section.type === SHT_NOBITS) return code('b');
  if ((flags & BigInt(SHF_ALLOC)) !== 0n)
    return (flags & BigInt(SHF_WRITE)) !== 0n ? code('d') : code('r');
  if (section.name.startsWith('.debug')) return code('N');
  if ((flags & BigInt(SHF_WRITE)) === 0n) return code('n');
  return QUESTION;
}

/**
 * The symbols `llvm-nm -n` lists, in its order, as typed arrays (indexed by
 * symbol table index, except `sorted`): what the listing is printed from,
 * and what the link loop reads an image's facts from without parsing the
 * listing again (kbuild/image-listing.ts).
 */
export interface NmSymbols {
  /** How many symbols are listed (lines of the listing). */
  count: number;
  /** Their symbol table indices, in listing order. */
  sorted: Uint32Array;
  /** 0 for undefined symbols (listed without an address), else 1. */
  defined: Uint8Array;
  /** The address nm prints: high and low 32 bits. */
  addrHi: Uint32Array;
  addrLo: Uint32Array;
  /** The type letter, as a byte. */
  letter: Uint8Array;
  /** The name's bytes: `bytes[nameAt[i]]` on, `nameLength[i]` of them. */
  nameAt: Uint32Array;
  nameLength: Uint32Array;
  /** The file's bytes, which the names point into. */
  bytes: Uint8Array;
  /** Total bytes of all listed names. */
  nameBytes: number;
  /** Digits beyond the 8 of ELF32 addresses (only ET_REL sums past 4 GiB have any). */
  wideDigits: number;
  is64: boolean;
}

const NO_SYMBOLS: NmSymbols = {
  count: 0,
  sorted: new Uint32Array(0),
  defined: new Uint8Array(0),
  addrHi: new Uint32Array(0),
  addrLo: new Uint32Array(0),
  letter: new Uint8Array(0),
  nameAt: new Uint32Array(0),
  nameLength: new Uint32Array(0),
  bytes: new Uint8Array(0),
  nameBytes: 0,
  wideDigits: 0,
  is64: true,
};

/** The symbols llvm-nm -n lists, in its order (see the module comment for the rules). */
export function nmSymbols(elf: ElfFile): NmSymbols {
  const table = elf.symbolTable();
  if (table === undefined || table.count <= 1) return NO_SYMBOLS;

  const is64 = elf.elfClass === 64;
  const little = elf.endian === 'little';
  const bytes = elf.bytes;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stride = table.section.entsize === 0 ? (is64 ? 24 : 16) : table.section.entsize;
  const base = table.section.offset;
  const strtab = table.stringTable.offset;
  const sections = elf.sections;
  const letters = Uint8Array.from(sections, sectionLetter);
  const relocatable = elf.header.type === ET_REL;
  // Field offsets inside one entry (Elf64_Sym / Elf32_Sym).
  const [infoAt, shndxAt, valueAt, sizeAt] = is64 ? [4, 6, 8, 16] : [12, 14, 4, 8];

  // Pass 1: the symbols llvm-nm prints, with their sort keys and letters.
  const n = table.count;
  const order = new Uint32Array(n);
  const defined = new Uint8Array(n);
  const addrHi = new Uint32Array(n);
  const addrLo = new Uint32Array(n);
  const sizeHi = new Uint32Array(n);
  const sizeLo = new Uint32Array(n);
  const nameAt = new Uint32Array(n);
  const nameLength = new Uint32Array(n);
  const letter = new Uint8Array(n);
  let kept = 0;
  let nameBytes = 0;
  /** Digits beyond the 8 of ELF32 addresses (only ET_REL sums past 4 GiB have any). */
  let wideDigits = 0;
  for (let i = 1; i < n; i++) {
    const at = base + i * stride;
    const info = bytes[at + infoAt];
    const type = info & 0xf;
    if (type === STT_SECTION || type === STT_FILE) continue;
    const bind = info >> 4;
    const shndx = view.getUint16(at + shndxAt, little);
    const isUndefined = shndx === SHN_UNDEF;

    let c: number;
    if (isUndefined) {
      c = bind === STB_WEAK ? (type === STT_OBJECT ? LETTER_v : LETTER_w) : UPPER_U;
    } else if (type === STT_GNU_IFUNC) {
      c = LETTER_i;
    } else if (bind === STB_WEAK) {
      c = type === STT_OBJECT ? LETTER_V : LETTER_W;
    } else if (type === STT_COMMON || shndx === SHN_COMMON) {
      c = LETTER_C;
    } else if (bind === STB_GNU_UNIQUE && shndx !== SHN_ABS) {
      c = LETTER_u;
    } else {
      if (shndx === SHN_ABS) c = LETTER_a;
      else if (bind !== STB_LOCAL && bind !== STB_GLOBAL) c = QUESTION;
      else if (shndx === SHN_XINDEX) c = letters[table.sectionIndex(i)] ?? QUESTION;
      else if (shndx >= SHN_LORESERVE) c = QUESTION;
      else c = letters[shndx] ?? QUESTION;
      // toupper() for symbols that are not local ('?' stays).
      if (bind !== STB_LOCAL && c >= LOWER_A && c <= LOWER_Z) c -= 0x20;
    }

    let hi = 0;
    let lo = 0;
    if (!isUndefined) {
      // Common symbols show their size (st_value holds their alignment).
      const field = type === STT_COMMON || shndx === SHN_COMMON ? sizeAt : valueAt;
      if (is64) {
        hi = view.getUint32(at + field + (little ? 4 : 0), little);
        lo = view.getUint32(at + field + (little ? 0 : 4), little);
      } else {
        lo = view.getUint32(at + field, little);
      }
      if (
        relocatable &&
        shndx !== SHN_ABS &&
        shndx !== SHN_COMMON &&
        (shndx < SHN_LORESERVE || shndx === SHN_XINDEX)
      ) {
        const index = shndx === SHN_XINDEX ? table.sectionIndex(i) : shndx;
        const addr = sections[index]?.addr ?? 0n;
        if (addr !== 0n) {
          // llvm-nm adds in 64 bits, even on ELF32: there a sum past 4 GiB
          // keeps its ninth digit ("%08x" of 0x100000024 is "100000024").
          const sum = ((BigInt(hi) << 32n) + BigInt(lo) + addr) & 0xffff_ffff_ffff_ffffn;
          hi = Number(sum >> 32n);
          lo = Number(sum & 0xffff_ffffn);
          if (!is64 && hi !== 0) wideDigits += hi.toString(16).length;
        }
      }
    }
    const nameOffset = strtab + view.getUint32(at, little);
    const nul = bytes.indexOf(0, nameOffset);

    order[kept] = i;
    defined[i] = isUndefined ? 0 : 1;
    addrHi[i] = hi;
    addrLo[i] = lo;
    if (is64) {
      sizeHi[i] = view.getUint32(at + sizeAt + (little ? 4 : 0), little);
      sizeLo[i] = view.getUint32(at + sizeAt + (little ? 0 : 4), little);
    } else {
      sizeLo[i] = view.getUint32(at + sizeAt, little);
    }
    nameAt[i] = nameOffset;
    nameLength[i] = nul - nameOffset;
    letter[i] = c;
    nameBytes += nul - nameOffset;
    kept++;
  }

  // Pass 2: llvm-nm -n's order, (defined, address, name, size), then table order.
  const sorted = sortByAddress(order.subarray(0, kept), defined, addrHi, addrLo);
  const byNameThenSize = (a: number, b: number): number => {
    // C strings: the terminating NUL sorts a prefix first.
    for (let p = nameAt[a], q = nameAt[b]; ; p++, q++) {
      const x = bytes[p];
      const y = bytes[q];
      if (x !== y) return x - y;
      if (x === 0) break;
    }
    if (sizeHi[a] !== sizeHi[b]) return sizeHi[a] < sizeHi[b] ? -1 : 1;
    if (sizeLo[a] !== sizeLo[b]) return sizeLo[a] < sizeLo[b] ? -1 : 1;
    return a - b;
  };
  for (let start = 0; start < kept;) {
    const first = sorted[start];
    let end = start + 1;
    while (
      end < kept &&
      addrLo[sorted[end]] === addrLo[first] &&
      addrHi[sorted[end]] === addrHi[first] &&
      defined[sorted[end]] === defined[first]
    )
      end++;
    if (end - start > 1) sortRun(sorted, start, end, byNameThenSize);
    start = end;
  }

  return {
    count: kept,
    sorted,
    defined,
    addrHi,
    addrLo,
    letter,
    nameAt,
    nameLength,
    bytes,
    nameBytes,
    wideDigits,
    is64,
  };
}

/**
 * The bytes `llvm-nm -n` writes to stdout for this file: exact, whatever
 * the names' bytes are (see the module comment for the rules).
 */
export function nmListingBytes(elf: ElfFile, symbols: NmSymbols = nmSymbols(elf)): Uint8Array {
  const { count: kept, sorted, defined, addrHi, addrLo, letter, nameAt, nameLength } = symbols;
  const { bytes, nameBytes, wideDigits, is64 } = symbols;
  if (kept === 0) return new Uint8Array(0);
  // The lines, written as bytes into one buffer.
  const digits = is64 ? 16 : 8;
  const out = new Uint8Array(kept * (digits + 4) + nameBytes + wideDigits);
  let p = 0;
  for (let k = 0; k < kept; k++) {
    const i = sorted[k];
    if (defined[i] === 0) {
      // U, w, v: no address.
      out.fill(SPACE, p, p + digits);
      p += digits;
    } else {
      if (is64) p = writeHex32(out, p, addrHi[i]);
      else if (addrHi[i] !== 0) {
        for (const digit of addrHi[i].toString(16)) out[p++] = code(digit);
      }
      p = writeHex32(out, p, addrLo[i]);
    }
    out[p++] = SPACE;
    out[p++] = letter[i];
    out[p++] = SPACE;
    for (let q = nameAt[i], end = q + nameLength[i]; q < end; q++) out[p++] = bytes[q];
    out[p++] = NEWLINE;
  }
  if (p !== out.length) throw new Error(`nmListing wrote ${p} bytes of ${out.length}`);
  return out;
}

/**
 * `llvm-nm -n`'s output as text, decoded as UTF-8 the way the link loop
 * decodes the tool's stdout (`new TextDecoder().decode(stdout)`).
 */
export function nmListing(elf: ElfFile, symbols: NmSymbols = nmSymbols(elf)): string {
  return new TextDecoder().decode(nmListingBytes(elf, symbols));
}

/**
 * Stable sort of symbol indices by (defined, address): an LSD radix sort on
 * 16-bit digits of the low address word, then on one rank that folds the
 * defined flag and the high word (which take few distinct values).
 */
function sortByAddress(
  indices: Uint32Array,
  defined: Uint8Array,
  addrHi: Uint32Array,
  addrLo: Uint32Array,
): Uint32Array {
  const n = indices.length;
  // Rank 0: undefined; then one rank per distinct high word, in order.
  const highs = new Set<number>();
  for (let k = 0, last = -1; k < n; k++) {
    const i = indices[k];
    if (defined[i] && addrHi[i] !== last) highs.add((last = addrHi[i]));
  }
  const rankOf = new Map<number, number>();
  [...highs].sort((a, b) => a - b).forEach((hi, r) => rankOf.set(hi, r + 1));
  const rank = new Uint32Array(defined.length);
  for (let k = 0, last = -1, lastRank = 0; k < n; k++) {
    const i = indices[k];
    if (!defined[i]) continue;
    if (addrHi[i] !== last) lastRank = rankOf.get((last = addrHi[i]))!;
    rank[i] = lastRank;
  }
  const a = Uint32Array.from(indices);
  const b = new Uint32Array(n);
  let counts = new Uint32Array(0x10001);
  for (let k = 0; k < n; k++) counts[(addrLo[a[k]] & 0xffff) + 1]++;
  for (let d = 1; d <= 0x10000; d++) counts[d] += counts[d - 1];
  for (let k = 0; k < n; k++) b[counts[addrLo[a[k]] & 0xffff]++] = a[k];
  counts = new Uint32Array(0x10001);
  for (let k = 0; k < n; k++) counts[(addrLo[b[k]] >>> 16) + 1]++;
  for (let d = 1; d <= 0x10000; d++) counts[d] += counts[d - 1];
  for (let k = 0; k < n; k++) a[counts[addrLo[b[k]] >>> 16]++] = b[k];
  counts = new Uint32Array(highs.size + 2);
  for (let k = 0; k < n; k++) counts[rank[a[k]] + 1]++;
  for (let d = 1; d <= highs.size + 1; d++) counts[d] += counts[d - 1];
  for (let k = 0; k < n; k++) b[counts[rank[a[k]]]++] = a[k];
  return b;
}

/** Stable sort of `order[start, end)`: insertion sort for the short runs ties make. */
function sortRun(
  order: Uint32Array,
  start: number,
  end: number,
  compare: (a: number, b: number) => number,
): void {
  if (end - start > 16) {
    order.set(Array.from(order.subarray(start, end)).sort(compare), start);
    return;
  }
  for (let k = start + 1; k < end; k++) {
    const x = order[k];
    let j = k - 1;
    while (j >= start && compare(order[j], x) > 0) {
      order[j + 1] = order[j];
      j--;
    }
    order[j + 1] = x;
  }
}
