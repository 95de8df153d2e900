import type { ByteSource } from './byte-source.ts';
import { SHN_XINDEX, SHT_NOBITS, SHT_NULL } from './constants.ts';
import { ElfFormatError, hex } from './errors.ts';
import type { ElfHeader } from './header.ts';
import { readCString } from './strings.ts';

/** One section header, with its name resolved. */
export interface ElfSection {
  /** Index in the section header table. */
  index: number;
  name: string;
  /** sh_type: SHT_PROGBITS (1), SHT_NOBITS (8), … */
  type: number;
  /** sh_flags (SHF_ALLOC = 2, SHF_EXECINSTR = 4, …). */
  flags: bigint;
  /** sh_addr: where the section sits in memory (0 in relocatable files). */
  addr: bigint;
  /** sh_offset: file offset of its bytes. */
  offset: number;
  /** sh_size, in bytes (in memory; also in the file unless SHT_NOBITS). */
  size: bigint;
  link: number;
  info: number;
  addralign: bigint;
  entsize: number;
  /** File offset of this section's header, for messages. */
  headerOffset: number;
}

export interface SectionTable {
  sections: ElfSection[];
  /** The real section-name string table index (after SHN_XINDEX). */
  shstrndx: number;
  /** The real number of program headers (e_phnum may be PN_XNUM). */
  phnum: number;
}

/** Reads the section header table, applying the extended numbering held in section 0. */
export function parseSections(source: ByteSource, header: ElfHeader): SectionTable {
  let phnum = header.phnum;
  if (header.shoff === 0) {
    return { sections: [], shstrndx: 0, phnum };
  }
  const stride = header.shentsize;
  // Section 0 holds the real counts when they do not fit the 16-bit header fields.
  source.checkRange(header.shoff, stride, 'section header 0', 0);
  let shnum = header.shnum;
  let shstrndx = header.shstrndx;
  const zero = readRawSection(source, header.shoff, 0);
  if (shnum === 0) {
    if (zero.size > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new ElfFormatError('extended section count in section 0 is absurd', header.shoff);
    }
    shnum = Number(zero.size);
  }
  if (shstrndx === SHN_XINDEX) shstrndx = zero.link;
  if (phnum === 0xffff) phnum = zero.info;

  const tableStart = header.shoff;
  if (shnum > 0) {
    const tableSize = shnum * stride;
    source.checkRange(tableStart, tableSize, `section header table of ${shnum} entries`, 0);
  }
  const sections: ElfSection[] = new Array(shnum);
  for (let i = 0; i < shnum; i++) {
    sections[i] = readRawSection(source, tableStart + i * stride, i);
  }
  // Names come from the section-name string table.
  if (shstrndx !== 0) {
    if (shstrndx >= shnum) {
      throw new ElfFormatError(
        `e_shstrndx ${shstrndx} is not a section (there are ${shnum})`,
        header.elfClass === 64 ? 62 : 50,
      );
    }
    const names = sections[shstrndx];
    if (names.type === SHT_NOBITS) {
      throw new ElfFormatError('the section-name string table has no bytes', names.headerOffset);
    }
    const start = names.offset;
    const end = start + Number(names.size);
    for (const section of sections) {
      const nameOffset = source.u32(section.headerOffset);
      section.name = readCString(
        source.bytes,
        start,
        end,
        nameOffset,
        `name of section [${section.index}]`,
      );
    }
  }
  return { sections, shstrndx, phnum };
}

function readRawSection(source: ByteSource, at: number, index: number): ElfSection {
  const is64 = source.is64;
  const w = is64 ? 8 : 4;
  // Field offsets: name 0, type 4, flags 8, addr 8+w, offset 8+2w, size 8+3w,
  // link 8+4w, info 12+4w, addralign 16+4w, entsize 16+5w.
  const section: ElfSection = {
    index,
    name: '',
    type: source.u32(at + 4),
    flags: source.word(at + 8),
    addr: source.word(at + 8 + w),
    offset: source.fileWord(at + 8 + 2 * w, `sh_offset of section [${index}]`),
    size: source.word(at + 8 + 3 * w),
    link: source.u32(at + 8 + 4 * w),
    info: source.u32(at + 12 + 4 * w),
    addralign: source.word(at + 16 + 4 * w),
    entsize: Number(source.word(at + 16 + 5 * w)),
    headerOffset: at,
  };
  if (index !== 0 && section.type !== SHT_NOBITS && section.type !== SHT_NULL) {
    if (section.size > BigInt(source.length)) {
      throw new ElfFormatError(
        `section [${index}] has size ${hex(section.size)}, larger than the file (${hex(source.length)} bytes)`,
        at,
      );
    }
    source.checkRange(section.offset, Number(section.size), `section [${index}]`, at);
  }
  return section;
}
