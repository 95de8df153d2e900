import type { ByteSource } from './byte-source.ts';
import { ELF_SIZES, SHT_NOBITS, SHT_RELA } from './constants.ts';
import { ElfFormatError, hex } from './errors.ts';
import type { ElfSection } from './sections.ts';

/** One relocation entry, decoded. */
export interface ElfRelocation {
  /** r_offset: section offset (relocatable files) or virtual address (linked images). */
  offset: bigint;
  /** ELF32_R_TYPE / ELF64_R_TYPE (e.g. R_PPC64_ADDR64 = 38, R_PPC64_REL24 = 10). */
  type: number;
  /** ELF32_R_SYM / ELF64_R_SYM: index into the linked symbol table (0 = none). */
  symbolIndex: number;
  /** r_addend for RELA; 0n for REL (whose addend sits in the relocated bytes). */
  addend: bigint;
}

/**
 * A SHT_REL or SHT_RELA section, read on demand from the file bytes.
 * `targetSectionIndex` is sh_info (the section the relocations apply to, 0
 * for dynamic relocations), `symbolTableIndex` is sh_link.
 */
export class RelocationTable {
  readonly section: ElfSection;
  readonly isRela: boolean;
  readonly count: number;
  /** sh_info: index of the section these relocations patch (0 if none, e.g. `.rela.dyn`). */
  readonly targetSectionIndex: number;
  /** sh_link: index of the symbol table the symbol indices refer to (0 if none). */
  readonly symbolTableIndex: number;
  readonly #source: ByteSource;
  readonly #stride: number;

  /** @internal Made by `ElfFile`; use `elf.relocationTables()`. */
  constructor(
    source: ByteSource,
    section: ElfSection,
    sections: readonly ElfSection[],
    symbolCount: number | undefined,
  ) {
    const what = `relocation section [${section.index}] '${section.name}'`;
    const isRela = section.type === SHT_RELA;
    const sizes = ELF_SIZES[source.is64 ? 64 : 32];
    const standard = isRela ? sizes.rela : sizes.rel;
    const stride = section.entsize === 0 ? standard : section.entsize;
    if (stride < standard) {
      throw new ElfFormatError(
        `${what} has sh_entsize ${stride}, smaller than an entry (${standard})`,
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
    if (section.info !== 0 && section.info >= sections.length) {
      throw new ElfFormatError(
        `${what} applies to section ${section.info}, which does not exist`,
        section.headerOffset,
      );
    }
    if (section.link >= sections.length) {
      throw new ElfFormatError(
        `${what} links to symbol table ${section.link}, which does not exist`,
        section.headerOffset,
      );
    }
    this.section = section;
    this.isRela = isRela;
    this.count = size / stride;
    this.targetSectionIndex = section.info;
    this.symbolTableIndex = section.link;
    this.#source = source;
    this.#stride = stride;
    if (symbolCount !== undefined) {
      for (let i = 0; i < this.count; i++) {
        const symbol = this.symbolIndex(i);
        if (symbol >= symbolCount) {
          throw new ElfFormatError(
            `${what}: entry ${i} refers to symbol ${symbol}, but its symbol table has ${symbolCount}`,
            section.offset + i * stride,
          );
        }
      }
    }
  }

  #at(index: number): number {
    if (!(index >= 0 && index < this.count)) {
      throw new RangeError(
        `relocation index ${index} is outside ${this.section.name} (${this.count} entries)`,
      );
    }
    return this.section.offset + index * this.#stride;
  }

  offset(index: number): bigint {
    const at = this.#at(index);
    return this.#source.is64 ? this.#source.u64(at) : BigInt(this.#source.u32(at));
  }

  type(index: number): number {
    const at = this.#at(index);
    const source = this.#source;
    if (!source.is64) return source.u8(at + (source.littleEndian ? 4 : 7));
    // r_info is a 64-bit word: symbol in the high half, type in the low half.
    return source.u32(at + (source.littleEndian ? 8 : 12));
  }

  symbolIndex(index: number): number {
    const at = this.#at(index);
    const source = this.#source;
    if (!source.is64) return source.u32(at + 4) >>> 8;
    return source.u32(at + (source.littleEndian ? 12 : 8));
  }

  addend(index: number): bigint {
    if (!this.isRela) return 0n;
    const at = this.#at(index);
    return this.#source.is64 ? this.#source.i64(at + 16) : BigInt(this.#source.i32(at + 8));
  }

  at(index: number): ElfRelocation {
    return {
      offset: this.offset(index),
      type: this.type(index),
      symbolIndex: this.symbolIndex(index),
      addend: this.addend(index),
    };
  }

  *[Symbol.iterator](): IterableIterator<ElfRelocation> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  toArray(): ElfRelocation[] {
    const out: ElfRelocation[] = new Array(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.at(i);
    return out;
  }
}
