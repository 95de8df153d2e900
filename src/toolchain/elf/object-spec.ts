/**
 * What the table-object writer needs: one allocatable data section with
 * global labels in it and pointer-sized relocations against one undefined
 * symbol. The kallsyms layout step produces this; `writeRelocatableObject`
 * turns it into an ELF relocatable file.
 */
export interface RelocatableObjectSpec {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  /** e_machine */
  machine: number;
  /** e_flags */
  eFlags: number;
  section: {
    /** e.g. ".rodata" */
    name: string;
    /** sh_addralign: the largest alignment any label asked for (at least 1). */
    align: number;
    data: Uint8Array;
  };
  /** Global symbols defined in the section (STB_GLOBAL, STT_NOTYPE, as the assembler makes labels). */
  labels: Array<{ name: string; offset: number }>;
  /** Absolute pointer-sized relocations (RELA) against an undefined global symbol. */
  relocations: Array<{ offset: number; symbol: string; type: number; addend: bigint }>;
}
