import { ByteSource } from './byte-source.ts';
import {
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELF_SIZES,
  EV_CURRENT,
} from './constants.ts';
import { ElfFormatError } from './errors.ts';

/** The ELF file header, with the extended numbering (e_shnum = 0 etc.) not yet applied. */
export interface ElfHeader {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  /** EI_OSABI */
  osAbi: number;
  /** EI_ABIVERSION */
  abiVersion: number;
  /** e_type: ET_REL (1), ET_EXEC (2), ET_DYN (3), … */
  type: number;
  /** e_machine: EM_PPC (20), EM_PPC64 (21), … */
  machine: number;
  version: number;
  entry: bigint;
  /** File offset of the program header table (0 if none). */
  phoff: number;
  /** File offset of the section header table (0 if none). */
  shoff: number;
  flags: number;
  ehsize: number;
  phentsize: number;
  phnum: number;
  shentsize: number;
  shnum: number;
  shstrndx: number;
}

const MAGIC = [0x7f, 0x45, 0x4c, 0x46];

/** Checks the identification bytes and reads the header; returns the source to read the rest with. */
export function parseHeader(bytes: Uint8Array): { header: ElfHeader; source: ByteSource } {
  if (bytes.length < 16) {
    throw new ElfFormatError(
      `not an ELF file: ${bytes.length} bytes is shorter than the 16-byte identification`,
      0,
    );
  }
  for (let i = 0; i < 4; i++) {
    if (bytes[i] !== MAGIC[i]) {
      const got = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, '0'));
      throw new ElfFormatError(
        `not an ELF file: magic is ${got.join(' ')}, expected 7f 45 4c 46`,
        i,
      );
    }
  }
  const cls = bytes[4];
  if (cls !== ELFCLASS32 && cls !== ELFCLASS64) {
    throw new ElfFormatError(`unknown ELF class ${cls} (EI_CLASS must be 1 or 2)`, 4);
  }
  const data = bytes[5];
  if (data !== ELFDATA2LSB && data !== ELFDATA2MSB) {
    throw new ElfFormatError(`unknown ELF data encoding ${data} (EI_DATA must be 1 or 2)`, 5);
  }
  if (bytes[6] !== EV_CURRENT) {
    throw new ElfFormatError(`unknown ELF version ${bytes[6]} (EI_VERSION must be 1)`, 6);
  }
  const elfClass = cls === ELFCLASS64 ? 64 : 32;
  const sizes = ELF_SIZES[elfClass];
  if (bytes.length < sizes.ehdr) {
    throw new ElfFormatError(
      `truncated ELF header: ${bytes.length} bytes, an ELF${elfClass} header needs ${sizes.ehdr}`,
      0,
    );
  }
  const source = new ByteSource(bytes, data === ELFDATA2LSB, elfClass === 64);
  const w = elfClass === 64 ? 8 : 4;
  // Offsets of the fields after e_version: entry, phoff, shoff are word-sized.
  const entryAt = 24;
  const phoffAt = entryAt + w;
  const shoffAt = phoffAt + w;
  const flagsAt = shoffAt + w;
  const header: ElfHeader = {
    elfClass,
    endian: data === ELFDATA2LSB ? 'little' : 'big',
    osAbi: bytes[7],
    abiVersion: bytes[8],
    type: source.u16(16),
    machine: source.u16(18),
    version: source.u32(20),
    entry: source.word(entryAt),
    phoff: source.fileWord(phoffAt, 'e_phoff'),
    shoff: source.fileWord(shoffAt, 'e_shoff'),
    flags: source.u32(flagsAt),
    ehsize: source.u16(flagsAt + 4),
    phentsize: source.u16(flagsAt + 6),
    phnum: source.u16(flagsAt + 8),
    shentsize: source.u16(flagsAt + 10),
    shnum: source.u16(flagsAt + 12),
    shstrndx: source.u16(flagsAt + 14),
  };
  if (header.shoff !== 0 && header.shentsize < sizes.shdr) {
    throw new ElfFormatError(
      `e_shentsize ${header.shentsize} is smaller than an ELF${elfClass} section header (${sizes.shdr})`,
      flagsAt + 10,
    );
  }
  if (header.phnum !== 0 && header.phentsize < sizes.phdr) {
    throw new ElfFormatError(
      `e_phentsize ${header.phentsize} is smaller than an ELF${elfClass} program header (${sizes.phdr})`,
      flagsAt + 6,
    );
  }
  return { header, source };
}
