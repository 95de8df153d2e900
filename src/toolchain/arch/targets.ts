/**
 * The three PowerPC flavours the corpus is built for, described by what the
 * ELF files, the assembler and the linker need to know about each.
 */
export type ArchId = 'ppc64le' | 'ppc64' | 'ppc32';

export const ARCH_IDS: readonly ArchId[] = ['ppc64le', 'ppc64', 'ppc32'];

export interface Target {
  id: ArchId;
  /** ELFCLASS32 or ELFCLASS64, also the kernel's BITS_PER_LONG. */
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  /** e_machine: EM_PPC (20) or EM_PPC64 (21). */
  machine: 20 | 21;
  /**
   * e_flags of the table object. The kernel's kallsyms .S has no
   * `.abiversion` directive, so LLVM's assembler writes 0 even on ELFv2
   * ppc64, and ld.lld accepts it beside ELFv2 objects: 0 keeps the object
   * byte-identical to the kernel's.
   */
  eFlags: number;
  /** Bytes of a pointer: what the kernel's `PTR` macro emits. */
  wordSize: 4 | 8;
  /** Relocation type for a pointer-sized absolute reference (`PTR _text + x`). */
  pointerRelocType: number;
  /** Triple given to clang when the corpus is compiled ahead of time. */
  clangTriple: string;
  /** ld.lld emulation, so that a link never depends on guessing from inputs. */
  lldEmulation: string;
}

export const TARGETS: Record<ArchId, Target> = {
  ppc64le: {
    id: 'ppc64le',
    elfClass: 64,
    endian: 'little',
    machine: 21,
    eFlags: 0,
    wordSize: 8,
    pointerRelocType: 38, // R_PPC64_ADDR64
    clangTriple: 'powerpc64le-linux-gnu',
    lldEmulation: 'elf64lppc',
  },
  ppc64: {
    id: 'ppc64',
    elfClass: 64,
    endian: 'big',
    machine: 21,
    eFlags: 0,
    wordSize: 8,
    pointerRelocType: 38, // R_PPC64_ADDR64
    clangTriple: 'powerpc64-linux-gnu',
    lldEmulation: 'elf64ppc',
  },
  ppc32: {
    id: 'ppc32',
    elfClass: 32,
    endian: 'big',
    machine: 20,
    eFlags: 0,
    wordSize: 4,
    pointerRelocType: 1, // R_PPC_ADDR32
    clangTriple: 'powerpc-linux-gnu',
    lldEmulation: 'elf32ppc',
  },
};
