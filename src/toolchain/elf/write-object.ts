import {
  ELF_SIZES,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STT_NOTYPE,
} from './constants.ts';
import type { RelocatableObjectSpec } from './object-spec.ts';
import { StringTableBuilder } from './string-table-builder.ts';
import { writeRelocatableHeader } from './write-header.ts';

/**
 * Writes the table object: an ELF relocatable file laid out byte for byte as
 * clang's integrated assembler (LLVM 16, `clang -c` of the kernel's
 * `.tmp_vmlinux.kallsyms*.S`) lays out the same content, so that its file
 * size, which the kernel's link loop compares between passes, is clang's.
 *
 * What clang emits, and so what this writes:
 * - section headers: [0] null, [1] `.strtab` (one table for both symbol and
 *   section names: LLVM has no separate `.shstrtab`), [2] `.text` (empty,
 *   AX, align 4: the assembler always opens it), [3] the data section
 *   (PROGBITS, A, the spec's alignment), [4] `.rela<name>` (only if there are
 *   relocations; I flag, entsize 24/12, align 8/4, link = .symtab, info = 3),
 *   then `.symtab` (align 8/4, link = 1, info = 1: there are no locals, as
 *   LLVM makes no section symbol when no relocation needs one);
 * - file order: ELF header, .text, data section, .symtab, .rela, .strtab,
 *   section header table, each aligned to its section's alignment (the header
 *   table to 8/4), padding zero;
 * - symbols: the null symbol, then the labels and the undefined relocation
 *   targets in the order the source mentions them (`.globl NAME` precedes
 *   the label, a relocation target enters at its first use), all GLOBAL
 *   NOTYPE DEFAULT with size 0;
 * - relocations sorted by offset (source order), RELA with the addend in
 *   r_addend (on ELF32 its low 32 bits: the assembler truncates too); the
 *   section bytes are written as given (the spec has zeros where relocations
 *   apply, as the assembler does);
 * - `.strtab` in LLVM's StringTableBuilder order, with tail merging.
 *
 * No `.llvm_addrsig` and no STT_FILE symbol: clang emits neither for an
 * assembler source. No `.note.GNU-stack` unless `options.noteGnuStack` asks
 * for the one `-Wa,--noexecstack` adds (as section [3], before the data).
 *
 * e_flags is `spec.eFlags`: clang-16 leaves it 0 unless the source says
 * `.abiversion 2`, which the kernel's source does not, so the targets ask
 * for 0 and the object is then clang's byte for byte.
 */
export function writeRelocatableObject(
  spec: RelocatableObjectSpec,
  options: WriteObjectOptions = {},
): Uint8Array {
  validate(spec);
  const is64 = spec.elfClass === 64;
  const sizes = ELF_SIZES[spec.elfClass];
  const wordAlign = sizes.word;
  const data = spec.section.data;
  const hasRelocations = spec.relocations.length > 0;
  const relaName = `.rela${spec.section.name}`;

  // Section indices, as clang numbers them.
  const noteGnuStack = options.noteGnuStack === true;
  const STRTAB = 1;
  const TEXT = 2;
  const NOTE = noteGnuStack ? 3 : -1;
  const DATA = noteGnuStack ? 4 : 3;
  const RELA = hasRelocations ? DATA + 1 : -1;
  const SYMTAB = hasRelocations ? DATA + 2 : DATA + 1;
  const sectionCount = SYMTAB + 1;

  // Symbols in the order the assembler registers them.
  const labels = spec.labels
    .map((label, order) => ({ ...label, order }))
    .sort((a, b) => a.offset - b.offset || a.order - b.order);
  const relocations = spec.relocations
    .map((relocation, order) => ({ ...relocation, order }))
    .sort((a, b) => a.offset - b.offset || a.order - b.order);
  const defined = new Map<string, number>();
  for (const label of labels) {
    if (!defined.has(label.name)) defined.set(label.name, label.offset);
  }
  const symbolNames: string[] = [];
  const symbolIndex = new Map<string, number>();
  const register = (name: string): void => {
    if (!symbolIndex.has(name)) {
      symbolIndex.set(name, symbolNames.length + 1);
      symbolNames.push(name);
    }
  };
  let r = 0;
  for (const label of labels) {
    // Relocations in the data before this label mention their symbols first.
    while (r < relocations.length && relocations[r].offset < label.offset) {
      register(relocations[r++].symbol);
    }
    register(label.name);
  }
  while (r < relocations.length) register(relocations[r++].symbol);

  const strings = new StringTableBuilder();
  for (const name of symbolNames) strings.add(name);
  const sectionNames = ['.strtab', '.text', spec.section.name, '.symtab'];
  if (noteGnuStack) sectionNames.push(NOTE_GNU_STACK);
  if (hasRelocations) sectionNames.push(relaName);
  for (const name of sectionNames) strings.add(name);
  strings.finalize();

  // File layout.
  let at: number = sizes.ehdr;
  const textOffset = alignUp(at, 4);
  at = textOffset;
  const noteOffset = at; // empty, alignment 1
  const dataOffset = alignUp(at, spec.section.align);
  at = dataOffset + data.length;
  const symtabOffset = alignUp(at, wordAlign);
  const symtabSize = (symbolNames.length + 1) * sizes.sym;
  at = symtabOffset + symtabSize;
  const relaOffset = alignUp(at, wordAlign);
  const relaSize = relocations.length * sizes.rela;
  if (hasRelocations) at = relaOffset + relaSize;
  const strtabOffset = at;
  at = strtabOffset + strings.size;
  const shoff = alignUp(at, wordAlign);
  const fileSize = shoff + sectionCount * sizes.shdr;

  const out = new Uint8Array(fileSize);
  const view = new DataView(out.buffer);
  const le = spec.endian === 'little';
  const w = new FieldWriter(view, le, is64);

  writeRelocatableHeader(view, {
    is64,
    little: le,
    machine: spec.machine,
    eFlags: spec.eFlags,
    shoff,
    sectionCount,
    shstrndx: STRTAB,
  });

  out.set(data, dataOffset);

  // Symbol table: null, then the globals.
  for (let i = 0; i < symbolNames.length; i++) {
    const name = symbolNames[i];
    const value = defined.get(name);
    const p = symtabOffset + (i + 1) * sizes.sym;
    const info = (STB_GLOBAL << 4) | STT_NOTYPE;
    const shndx = value === undefined ? 0 : DATA;
    view.setUint32(p, strings.offsetOf(name), le);
    if (is64) {
      out[p + 4] = info;
      view.setUint16(p + 6, shndx, le);
      view.setBigUint64(p + 8, BigInt(value ?? 0), le);
    } else {
      view.setUint32(p + 4, value ?? 0, le);
      out[p + 12] = info;
      view.setUint16(p + 14, shndx, le);
    }
  }

  // Relocations.
  for (let i = 0; i < relocations.length; i++) {
    const rel = relocations[i];
    const sym = symbolIndex.get(rel.symbol) as number;
    const p = relaOffset + i * sizes.rela;
    if (is64) {
      view.setBigUint64(p, BigInt(rel.offset), le);
      view.setBigUint64(p + 8, (BigInt(sym) << 32n) | BigInt(rel.type >>> 0), le);
      view.setBigInt64(p + 16, BigInt.asIntN(64, rel.addend), le);
    } else {
      view.setUint32(p, rel.offset, le);
      view.setUint32(p + 4, ((sym << 8) | (rel.type & 0xff)) >>> 0, le);
      view.setInt32(p + 8, Number(BigInt.asIntN(32, rel.addend)), le);
    }
  }

  strings.writeInto(out, strtabOffset);

  // Section header table.
  const header = (
    index: number,
    fields: {
      name: string;
      type: number;
      flags: number;
      offset: number;
      size: number;
      link?: number;
      info?: number;
      align: number;
      entsize?: number;
    },
  ): void => {
    w.sectionHeader(shoff + index * sizes.shdr, {
      link: 0,
      info: 0,
      entsize: 0,
      ...fields,
      name: strings.offsetOf(fields.name),
    });
  };
  header(STRTAB, {
    name: '.strtab',
    type: SHT_STRTAB,
    flags: 0,
    offset: strtabOffset,
    size: strings.size,
    align: 1,
  });
  header(TEXT, {
    name: '.text',
    type: SHT_PROGBITS,
    flags: SHF_ALLOC | SHF_EXECINSTR,
    offset: textOffset,
    size: 0,
    align: 4,
  });
  if (noteGnuStack) {
    header(NOTE, {
      name: NOTE_GNU_STACK,
      type: SHT_PROGBITS,
      flags: 0,
      offset: noteOffset,
      size: 0,
      align: 1,
    });
  }
  header(DATA, {
    name: spec.section.name,
    type: SHT_PROGBITS,
    flags: SHF_ALLOC,
    offset: dataOffset,
    size: data.length,
    align: spec.section.align,
  });
  if (hasRelocations) {
    header(RELA, {
      name: relaName,
      type: SHT_RELA,
      flags: SHF_INFO_LINK,
      offset: relaOffset,
      size: relaSize,
      link: SYMTAB,
      info: DATA,
      align: wordAlign,
      entsize: sizes.rela,
    });
  }
  header(SYMTAB, {
    name: '.symtab',
    type: SHT_SYMTAB,
    flags: 0,
    offset: symtabOffset,
    size: symtabSize,
    link: STRTAB,
    info: 1, // index of the first non-local symbol: only the null symbol is local
    align: wordAlign,
    entsize: sizes.sym,
  });
  return out;
}

export interface WriteObjectOptions {
  /**
   * Also write the empty `.note.GNU-stack` section that clang adds when the
   * build passes `-Wa,--noexecstack` (80 more bytes on ELF64, 56 on ELF32:
   * a section header and its name). Off by default, as for `clang -c`.
   */
  noteGnuStack?: boolean;
}

const NOTE_GNU_STACK = '.note.GNU-stack';

class FieldWriter {
  readonly #view: DataView;
  readonly #le: boolean;
  readonly #is64: boolean;

  constructor(view: DataView, le: boolean, is64: boolean) {
    this.#view = view;
    this.#le = le;
    this.#is64 = is64;
  }

  word(at: number, value: bigint): void {
    if (this.#is64) this.#view.setBigUint64(at, value, this.#le);
    else this.#view.setUint32(at, Number(value), this.#le);
  }

  sectionHeader(
    at: number,
    h: {
      name: number;
      type: number;
      flags: number;
      offset: number;
      size: number;
      link: number;
      info: number;
      align: number;
      entsize: number;
    },
  ): void {
    const v = this.#view;
    const le = this.#le;
    const w = this.#is64 ? 8 : 4;
    v.setUint32(at, h.name, le);
    v.setUint32(at + 4, h.type, le);
    this.word(at + 8, BigInt(h.flags));
    this.word(at + 8 + w, 0n); // sh_addr
    this.word(at + 8 + 2 * w, BigInt(h.offset));
    this.word(at + 8 + 3 * w, BigInt(h.size));
    v.setUint32(at + 8 + 4 * w, h.link, le);
    v.setUint32(at + 12 + 4 * w, h.info, le);
    this.word(at + 16 + 4 * w, BigInt(h.align));
    this.word(at + 16 + 5 * w, BigInt(h.entsize));
  }
}

function alignUp(value: number, align: number): number {
  return Math.ceil(value / align) * align;
}

function validate(spec: RelocatableObjectSpec): void {
  const { name, align, data } = spec.section;
  if (spec.elfClass !== 32 && spec.elfClass !== 64) {
    throw new RangeError(`elfClass must be 32 or 64, not ${String(spec.elfClass)}`);
  }
  if (
    !name.startsWith('.') ||
    ['.text', '.strtab', '.symtab'].includes(name) ||
    name.startsWith('.rela')
  ) {
    throw new RangeError(`section name '${name}' is not one the table object can carry`);
  }
  if (!Number.isInteger(align) || align < 1 || (align & (align - 1)) !== 0) {
    throw new RangeError(`section alignment ${align} is not a power of two`);
  }
  const names = new Set<string>();
  for (const label of spec.labels) {
    if (!label.name) throw new RangeError('a label has an empty name');
    if (names.has(label.name)) throw new RangeError(`label '${label.name}' is defined twice`);
    names.add(label.name);
    if (!Number.isInteger(label.offset) || label.offset < 0 || label.offset > data.length) {
      throw new RangeError(
        `label '${label.name}' at offset ${label.offset} is outside the section (${data.length} bytes)`,
      );
    }
  }
  for (const rel of spec.relocations) {
    if (!rel.symbol) throw new RangeError('a relocation has an empty symbol name');
    if (!Number.isInteger(rel.offset) || rel.offset < 0 || rel.offset >= data.length) {
      throw new RangeError(
        `relocation against '${rel.symbol}' at offset ${rel.offset} is outside the section (${data.length} bytes)`,
      );
    }
    // The assembler takes any 64-bit value and keeps the low 32 bits in an
    // ELF32 r_addend (`.long _text + 0xc000000000000000` gives `_text + 0`).
    if (rel.addend < -(1n << 63n) || rel.addend >= 1n << 64n) {
      throw new RangeError(`addend ${rel.addend} of a relocation does not fit 64 bits`);
    }
  }
}
