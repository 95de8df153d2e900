/** ELF constants the reader and the writer use (values from the gABI and the PowerPC psABIs). */

export const ELFCLASS32 = 1;
export const ELFCLASS64 = 2;
export const ELFDATA2LSB = 1;
export const ELFDATA2MSB = 2;
export const EV_CURRENT = 1;

export const ET_NONE = 0;
export const ET_REL = 1;
export const ET_EXEC = 2;
export const ET_DYN = 3;

export const EM_PPC = 20;
export const EM_PPC64 = 21;

export const SHN_UNDEF = 0;
export const SHN_LORESERVE = 0xff00;
export const SHN_ABS = 0xfff1;
export const SHN_COMMON = 0xfff2;
export const SHN_XINDEX = 0xffff;

export const SHT_NULL = 0;
export const SHT_PROGBITS = 1;
export const SHT_SYMTAB = 2;
export const SHT_STRTAB = 3;
export const SHT_RELA = 4;
export const SHT_HASH = 5;
export const SHT_DYNAMIC = 6;
export const SHT_NOTE = 7;
export const SHT_NOBITS = 8;
export const SHT_REL = 9;
export const SHT_DYNSYM = 11;
export const SHT_SYMTAB_SHNDX = 18;

export const SHF_WRITE = 0x1;
export const SHF_ALLOC = 0x2;
export const SHF_EXECINSTR = 0x4;
export const SHF_INFO_LINK = 0x40;
export const SHF_TLS = 0x400;

export const PT_NULL = 0;
export const PT_LOAD = 1;
export const PT_DYNAMIC = 2;
export const PT_INTERP = 3;
export const PT_NOTE = 4;
export const PT_PHDR = 6;
export const PT_TLS = 7;
export const PT_GNU_STACK = 0x6474e551;

export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;

export const STB_LOCAL = 0;
export const STB_GLOBAL = 1;
export const STB_WEAK = 2;

export const STT_NOTYPE = 0;
export const STT_OBJECT = 1;
export const STT_FUNC = 2;
export const STT_SECTION = 3;
export const STT_FILE = 4;
export const STT_COMMON = 5;
export const STT_TLS = 6;

export const STV_DEFAULT = 0;
export const STV_INTERNAL = 1;
export const STV_HIDDEN = 2;
export const STV_PROTECTED = 3;

export const R_PPC_ADDR32 = 1;
export const R_PPC_REL24 = 10;
export const R_PPC64_ADDR64 = 38;
export const R_PPC64_REL24 = 10;
export const R_PPC64_REL24_NOTOC = 116;

/** Sizes of the fixed-size records, by ELF class. */
export const ELF_SIZES = {
  32: { ehdr: 52, shdr: 40, phdr: 32, sym: 16, rel: 8, rela: 12, word: 4 },
  64: { ehdr: 64, shdr: 64, phdr: 56, sym: 24, rel: 16, rela: 24, word: 8 },
} as const;

const SYMBOL_TYPE_NAMES: Record<number, string> = {
  [STT_NOTYPE]: 'NOTYPE',
  [STT_OBJECT]: 'OBJECT',
  [STT_FUNC]: 'FUNC',
  [STT_SECTION]: 'SECTION',
  [STT_FILE]: 'FILE',
  [STT_COMMON]: 'COMMON',
  [STT_TLS]: 'TLS',
  10: 'GNU_IFUNC',
};

const SYMBOL_BIND_NAMES: Record<number, string> = {
  [STB_LOCAL]: 'LOCAL',
  [STB_GLOBAL]: 'GLOBAL',
  [STB_WEAK]: 'WEAK',
  10: 'UNIQUE',
};

const VISIBILITY_NAMES = ['DEFAULT', 'INTERNAL', 'HIDDEN', 'PROTECTED'] as const;

/** `FUNC`, `OBJECT`, …, as readelf prints a symbol type (`<unknown: N>` otherwise). */
export function symbolTypeName(type: number): string {
  return SYMBOL_TYPE_NAMES[type] ?? `<unknown>: ${type}`;
}

/** `LOCAL`, `GLOBAL`, `WEAK`, as readelf prints a binding. */
export function symbolBindName(bind: number): string {
  return SYMBOL_BIND_NAMES[bind] ?? `<unknown>: ${bind}`;
}

/** `DEFAULT`, `HIDDEN`, …, as readelf prints a visibility. */
export function symbolVisibilityName(visibility: number): string {
  return VISIBILITY_NAMES[visibility & 3];
}
