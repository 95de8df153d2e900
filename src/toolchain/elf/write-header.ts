import {
  ELFCLASS32,
  ELFCLASS64,
  ELFDATA2LSB,
  ELFDATA2MSB,
  ELF_SIZES,
  ET_REL,
  EV_CURRENT,
} from './constants.ts';

export interface RelocatableHeader {
  is64: boolean;
  little: boolean;
  machine: number;
  eFlags: number;
  /** File offset of the section header table. */
  shoff: number;
  sectionCount: number;
  /** Index of the section-name string table. */
  shstrndx: number;
}

/**
 * The ELF header of a relocatable object (no program headers), at offset 0
 * of `view`, which must be zero-filled there: the one header writer of the
 * table object (write-object.ts) and the generated corpus objects.
 */
export function writeRelocatableHeader(view: DataView, h: RelocatableHeader): void {
  const { little } = h;
  const sizes = ELF_SIZES[h.is64 ? 64 : 32];
  const ident = [0x7f, 0x45, 0x4c, 0x46, h.is64 ? ELFCLASS64 : ELFCLASS32];
  ident.push(little ? ELFDATA2LSB : ELFDATA2MSB, EV_CURRENT);
  ident.forEach((byte, i) => view.setUint8(i, byte));
  view.setUint16(16, ET_REL, little);
  view.setUint16(18, h.machine, little);
  view.setUint32(20, EV_CURRENT, little);
  // e_entry and e_phoff are 0; then e_shoff, one word each.
  const afterEntry = 24 + 3 * sizes.word;
  if (h.is64) view.setBigUint64(24 + 2 * sizes.word, BigInt(h.shoff), little);
  else view.setUint32(24 + 2 * sizes.word, h.shoff, little);
  view.setUint32(afterEntry, h.eFlags >>> 0, little);
  view.setUint16(afterEntry + 4, sizes.ehdr, little);
  // e_phentsize and e_phnum: 0, as clang writes them when there are no program headers.
  view.setUint16(afterEntry + 10, sizes.shdr, little);
  view.setUint16(afterEntry + 12, h.sectionCount, little);
  view.setUint16(afterEntry + 14, h.shstrndx, little);
}
