import type { ByteSource } from './byte-source.ts';
import {
  SHF_ALLOC,
  SHF_TLS,
  SHT_DYNSYM,
  SHT_NOBITS,
  SHT_REL,
  SHT_RELA,
  SHT_SYMTAB,
} from './constants.ts';
import { ElfFormatError, hex } from './errors.ts';
import { parseHeader, type ElfHeader } from './header.ts';
import { RelocationTable } from './relocations.ts';
import { parseSections, type ElfSection } from './sections.ts';
import { parseSegments, type ElfSegment } from './segments.ts';
import { SymbolTable } from './symbols.ts';

/**
 * A parsed ELF file (ELF32/ELF64, either byte order). Headers, sections and
 * segments are read up front; symbol and relocation tables on first use. The
 * file's bytes are kept, not copied: do not modify them while reading.
 */
export class ElfFile {
  readonly bytes: Uint8Array;
  readonly header: ElfHeader;
  /** Every section header, index 0 (SHT_NULL) included. */
  readonly sections: readonly ElfSection[];
  readonly segments: readonly ElfSegment[];
  readonly #source: ByteSource;
  readonly #symbolTables = new Map<number, SymbolTable>();
  #byName: Map<string, ElfSection> | undefined;
  #relocationTables: RelocationTable[] | undefined;
  #byAddress: { sorted: ElfSection[]; maxEnd: bigint[] } | undefined;

  /** @internal Use `readElf(bytes)`. */
  constructor(bytes: Uint8Array) {
    const { header, source } = parseHeader(bytes);
    const { sections, phnum } = parseSections(source, header);
    this.bytes = bytes;
    this.header = header;
    this.sections = sections;
    this.segments = parseSegments(source, header, phnum);
    this.#source = source;
  }

  get elfClass(): 32 | 64 {
    return this.header.elfClass;
  }

  get endian(): 'little' | 'big' {
    return this.header.endian;
  }

  /** The first section with this name. */
  section(name: string): ElfSection | undefined {
    if (this.#byName === undefined) {
      this.#byName = new Map();
      for (let i = this.sections.length - 1; i > 0; i--) {
        this.#byName.set(this.sections[i].name, this.sections[i]);
      }
    }
    return this.#byName.get(name);
  }

  /**
   * The bytes of a section in the file (by name or header): a view, not a
   * copy. SHT_NOBITS sections (.bss) have none in the file and give an empty
   * array (`readUnsignedAt` reads them as zeros). `undefined` if no section
   * has that name.
   */
  sectionBytes(which: string | ElfSection): Uint8Array | undefined {
    const section = typeof which === 'string' ? this.section(which) : which;
    if (section === undefined) return undefined;
    if (section.type === SHT_NOBITS) return new Uint8Array(0);
    return this.bytes.subarray(section.offset, section.offset + Number(section.size));
  }

  /**
   * The allocated section whose addresses [sh_addr, sh_addr + sh_size) hold
   * `address` (meaningful in linked images; .tbss, which takes no address
   * space, and empty sections are never returned).
   */
  sectionContaining(address: bigint): ElfSection | undefined {
    const { sorted, maxEnd } = this.#addressIndex();
    // Last section starting at or below the address…
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (sorted[mid].addr <= address) lo = mid + 1;
      else hi = mid;
    }
    // …or an earlier one, should sections overlap. Ties in address are
    // sorted by descending index, so the lowest-index candidate comes first;
    // `maxEnd` stops the walk as soon as nothing earlier reaches the address.
    for (let i = lo - 1; i >= 0 && maxEnd[i] > address; i--) {
      const s = sorted[i];
      if (address < s.addr + s.size) return s;
    }
    return undefined;
  }

  #addressIndex(): { sorted: ElfSection[]; maxEnd: bigint[] } {
    if (this.#byAddress === undefined) {
      const sorted = this.sections
        .filter(
          (s) =>
            (s.flags & BigInt(SHF_ALLOC)) !== 0n &&
            s.size > 0n &&
            !(s.type === SHT_NOBITS && (s.flags & BigInt(SHF_TLS)) !== 0n),
        )
        .sort((a, b) => (a.addr < b.addr ? -1 : a.addr > b.addr ? 1 : b.index - a.index));
      const maxEnd: bigint[] = new Array(sorted.length);
      let max = 0n;
      for (let i = 0; i < sorted.length; i++) {
        const end = sorted[i].addr + sorted[i].size;
        if (end > max) max = end;
        maxEnd[i] = max;
      }
      this.#byAddress = { sorted, maxEnd };
    }
    return this.#byAddress;
  }

  /**
   * Reads an unsigned integer of `byteSize` bytes, in the file's byte order,
   * at a virtual address of a linked image. Bytes in SHT_NOBITS sections
   * read as zero. Throws RangeError if no section holds all of them.
   */
  readUnsignedAt(address: bigint, byteSize: 1 | 2 | 4 | 8): bigint {
    const section = this.sectionContaining(address);
    if (section === undefined || address + BigInt(byteSize) > section.addr + section.size) {
      throw new RangeError(`no section holds ${byteSize} bytes at address ${hex(address)}`);
    }
    if (section.type === SHT_NOBITS) return 0n;
    const at = section.offset + Number(address - section.addr);
    const source = this.#source;
    switch (byteSize) {
      case 1:
        return BigInt(source.u8(at));
      case 2:
        return BigInt(source.u16(at));
      case 4:
        return BigInt(source.u32(at));
      case 8:
        return source.u64(at);
    }
  }

  /** The static symbol table (`.symtab`, SHT_SYMTAB), if the file has one. */
  symbolTable(): SymbolTable | undefined {
    const section = this.sections.find((s) => s.type === SHT_SYMTAB);
    return section && this.symbolTableAt(section.index);
  }

  /** The dynamic symbol table (`.dynsym`, SHT_DYNSYM), if the file has one. */
  dynamicSymbolTable(): SymbolTable | undefined {
    const section = this.sections.find((s) => s.type === SHT_DYNSYM);
    return section && this.symbolTableAt(section.index);
  }

  /** The symbol table in section `index` (e.g. a relocation table's `symbolTableIndex`). */
  symbolTableAt(index: number): SymbolTable {
    const cached = this.#symbolTables.get(index);
    if (cached) return cached;
    const section = this.sections[index];
    if (section === undefined || (section.type !== SHT_SYMTAB && section.type !== SHT_DYNSYM)) {
      throw new ElfFormatError(
        `section ${index} is not a symbol table`,
        section?.headerOffset ?? this.header.shoff,
      );
    }
    const table = new SymbolTable(this.#source, section, this.sections);
    this.#symbolTables.set(index, table);
    return table;
  }

  /** Every SHT_REL and SHT_RELA section, in section order. */
  relocationTables(): readonly RelocationTable[] {
    if (this.#relocationTables === undefined) {
      this.#relocationTables = this.sections
        .filter((s) => s.type === SHT_RELA || s.type === SHT_REL)
        .map((s) => {
          const symbols = s.link === 0 ? undefined : this.symbolTableAt(s.link);
          return new RelocationTable(this.#source, s, this.sections, symbols?.count);
        });
    }
    return this.#relocationTables;
  }

  /** The relocation tables that patch the given section (by sh_info). */
  relocationsFor(which: string | ElfSection): RelocationTable[] {
    const section = typeof which === 'string' ? this.section(which) : which;
    if (section === undefined) return [];
    return this.relocationTables().filter((t) => t.targetSectionIndex === section.index);
  }
}

/** Parses an ELF file; throws ElfFormatError if it is not one or is damaged. */
export function readElf(bytes: Uint8Array): ElfFile {
  return new ElfFile(bytes);
}
