import type { ByteSource } from './byte-source.ts';
import { ELF_SIZES, SHN_XINDEX, SHT_NOBITS, SHT_STRTAB, SHT_SYMTAB_SHNDX } from './constants.ts';
import { ElfFormatError, hex } from './errors.ts';
import type { ElfSection } from './sections.ts';
import { readCString } from './strings.ts';

/** One symbol table entry, decoded. */
export interface ElfSymbol {
  /** Index in its symbol table. */
  index: number;
  name: string;
  value: bigint;
  size: bigint;
  /** STT_NOTYPE (0), STT_OBJECT (1), STT_FUNC (2), STT_SECTION (3), STT_FILE (4), … */
  type: number;
  /** STB_LOCAL (0), STB_GLOBAL (1), STB_WEAK (2), … */
  bind: number;
  /** STV_DEFAULT (0), STV_INTERNAL (1), STV_HIDDEN (2), STV_PROTECTED (3). */
  visibility: number;
  /** The whole st_other byte (on PPC64 it also carries the local-entry offset). */
  other: number;
  /** st_shndx, with SHN_XINDEX resolved: SHN_UNDEF (0), a section index, SHN_ABS (0xfff1), SHN_COMMON (0xfff2). */
  sectionIndex: number;
}

/**
 * A `.symtab` or `.dynsym`, read on demand straight from the file bytes: no
 * per-symbol object is made unless asked for (`at`, iteration, `toArray`),
 * and each name is decoded at most once.
 */
export class SymbolTable {
  readonly section: ElfSection;
  readonly stringTable: ElfSection;
  /** Number of entries, the null symbol at index 0 included. */
  readonly count: number;
  readonly #source: ByteSource;
  readonly #stride: number;
  readonly #names: (string | undefined)[];
  readonly #shndx: { offset: number; count: number } | undefined;
  #byName: Map<string, number> | undefined;
  /** The whole string table as text when it is pure ASCII (byte offsets = string indices), else null. */
  #strtabText: string | null | undefined;

  /** @internal Made by `ElfFile`; use `elf.symbolTable()` / `elf.dynamicSymbolTable()`. */
  constructor(source: ByteSource, section: ElfSection, sections: readonly ElfSection[]) {
    const what = `symbol table [${section.index}] '${section.name}'`;
    const standard = ELF_SIZES[source.is64 ? 64 : 32].sym;
    const stride = section.entsize === 0 ? standard : section.entsize;
    if (stride < standard) {
      throw new ElfFormatError(
        `${what} has sh_entsize ${stride}, smaller than a symbol (${standard})`,
        section.headerOffset,
      );
    }
    if (section.type === SHT_NOBITS) {
      throw new ElfFormatError(`${what} has no bytes (SHT_NOBITS)`, section.headerOffset);
    }
    const size = Number(section.size);
    if (size % stride !== 0) {
      throw new ElfFormatError(
        `${what} has size ${hex(size)}, not a multiple of its entry size ${stride}`,
        section.headerOffset,
      );
    }
    const strtab = sections[section.link];
    if (section.link === 0 || strtab === undefined || strtab.type !== SHT_STRTAB) {
      throw new ElfFormatError(
        `${what} links to section ${section.link}, which is not a string table`,
        section.headerOffset,
      );
    }
    const strSize = Number(strtab.size);
    if (strSize > 0 && source.bytes[strtab.offset + strSize - 1] !== 0) {
      throw new ElfFormatError(
        `string table [${strtab.index}] '${strtab.name}' does not end with NUL`,
        strtab.offset + strSize - 1,
      );
    }
    this.section = section;
    this.stringTable = strtab;
    this.count = size / stride;
    this.#source = source;
    this.#stride = stride;
    this.#names = new Array(this.count);
    // Every name offset must point inside the string table; checking them all
    // now keeps the accessors free of surprises.
    for (let i = 0; i < this.count; i++) {
      const nameOffset = source.u32(section.offset + i * stride);
      if (nameOffset !== 0 && nameOffset >= strSize) {
        throw new ElfFormatError(
          `${what}: symbol ${i} has name offset ${hex(nameOffset)} outside its string table (size ${hex(strSize)})`,
          section.offset + i * stride,
        );
      }
    }
    const extended = sections.find((s) => s.type === SHT_SYMTAB_SHNDX && s.link === section.index);
    this.#shndx = extended && { offset: extended.offset, count: Number(extended.size) / 4 };
  }

  #at(index: number): number {
    if (!(index >= 0 && index < this.count)) {
      throw new RangeError(
        `symbol index ${index} is outside ${this.section.name} (${this.count} entries)`,
      );
    }
    return this.section.offset + index * this.#stride;
  }

  name(index: number): string {
    const cached = this.#names[index];
    if (cached !== undefined) return cached;
    const nameOffset = this.#source.u32(this.#at(index));
    let name = '';
    if (nameOffset !== 0) {
      const text = this.#text();
      if (text !== null) {
        // Offsets were checked in the constructor and the table ends with NUL.
        name = text.slice(nameOffset, text.indexOf('\0', nameOffset));
      } else {
        const strtab = this.stringTable;
        name = readCString(
          this.#source.bytes,
          strtab.offset,
          strtab.offset + Number(strtab.size),
          nameOffset,
          `name of symbol ${index}`,
        );
      }
    }
    this.#names[index] = name;
    return name;
  }

  /** Decodes the string table once, so that each name is a cheap slice of it. */
  #text(): string | null {
    if (this.#strtabText === undefined) {
      const strtab = this.stringTable;
      const bytes = this.#source.bytes.subarray(strtab.offset, strtab.offset + Number(strtab.size));
      let ascii = true;
      for (let i = 0; i < bytes.length; i++) {
        if (bytes[i] >= 0x80) {
          ascii = false;
          break;
        }
      }
      this.#strtabText = ascii ? new TextDecoder().decode(bytes) : null;
    }
    return this.#strtabText;
  }

  value(index: number): bigint {
    const at = this.#at(index);
    return this.#source.is64 ? this.#source.u64(at + 8) : BigInt(this.#source.u32(at + 4));
  }

  size(index: number): bigint {
    const at = this.#at(index);
    return this.#source.is64 ? this.#source.u64(at + 16) : BigInt(this.#source.u32(at + 8));
  }

  /** st_info: bind << 4 | type. */
  info(index: number): number {
    return this.#source.u8(this.#at(index) + (this.#source.is64 ? 4 : 12));
  }

  type(index: number): number {
    return this.info(index) & 0xf;
  }

  bind(index: number): number {
    return this.info(index) >> 4;
  }

  other(index: number): number {
    return this.#source.u8(this.#at(index) + (this.#source.is64 ? 5 : 13));
  }

  visibility(index: number): number {
    return this.other(index) & 3;
  }

  sectionIndex(index: number): number {
    const raw = this.#source.u16(this.#at(index) + (this.#source.is64 ? 6 : 14));
    if (raw !== SHN_XINDEX || this.#shndx === undefined) return raw;
    if (index >= this.#shndx.count) {
      throw new ElfFormatError(
        `symbol ${index} uses SHN_XINDEX but SHT_SYMTAB_SHNDX has only ${this.#shndx.count} entries`,
        this.#shndx.offset,
      );
    }
    return this.#source.u32(this.#shndx.offset + index * 4);
  }

  at(index: number): ElfSymbol {
    const info = this.info(index);
    const other = this.other(index);
    return {
      index,
      name: this.name(index),
      value: this.value(index),
      size: this.size(index),
      type: info & 0xf,
      bind: info >> 4,
      visibility: other & 3,
      other,
      sectionIndex: this.sectionIndex(index),
    };
  }

  /** The index of the first symbol with this name, or -1. */
  indexOf(name: string): number {
    if (this.#byName === undefined) {
      const byName = new Map<string, number>();
      for (let i = this.count - 1; i > 0; i--) byName.set(this.name(i), i);
      this.#byName = byName;
    }
    return this.#byName.get(name) ?? -1;
  }

  /** The first symbol with this name, if any. */
  find(name: string): ElfSymbol | undefined {
    const index = this.indexOf(name);
    return index < 0 ? undefined : this.at(index);
  }

  *[Symbol.iterator](): IterableIterator<ElfSymbol> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  /** Every entry as an object, the null symbol included. */
  toArray(): ElfSymbol[] {
    const out: ElfSymbol[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.at(i);
    return out;
  }
}
