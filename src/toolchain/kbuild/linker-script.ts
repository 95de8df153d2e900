import type { Target } from '../arch/targets.ts';

/**
 * Parameters of the image layout, modelled on the powerpc kernel's
 * vmlinux.lds: head text, core text, read-only data (where the kallsyms
 * table lands), then the rest of a big kernel as an address gap, then init
 * text, init data, data and bss.
 */
export interface LayoutParams {
  /** Link address of `_text` (KERNELBASE). */
  base: bigint;
  /** Alignment of the init segment's start, in bytes (a power of two). */
  align: number;
  /** Address gap between the end of `.rodata` and init text, in bytes. */
  gap: number;
}

/**
 * A section of code pinned at a fixed address above init text (a generated
 * corpus's `.fixed.text`), as kernels pin their fixed sections.
 */
export interface PinnedSection {
  /**
   * Bytes from the end of core text plus the gap (where init text starts
   * when `.rodata` is empty) to the section: an address that no table size
   * moves, since core text comes before the table.
   */
  at: number;
}

const hex = (value: bigint | number): string => `0x${value.toString(16)}`;

/**
 * Renders the linker script. The gap is an address gap between two PT_LOAD
 * segments, never bytes: a zero-filled gap makes every link ten seconds or
 * more (spec/toolchain.md). Boundary symbols are defined inside their output
 * sections so that their nm type never depends on what precedes them
 * (spec/link-loop.md, "A trap seen while prototyping").
 */
export function renderLinkerScript(
  target: Target,
  layout: LayoutParams,
  pinned: PinnedSection | null = null,
): string {
  const ppc64 = target.elfClass === 64;
  return `/* kallsyms-lab: vmlinux.lds for ${target.id}, base ${hex(layout.base)}, gap ${hex(layout.gap)}, align ${hex(layout.align)}${pinned ? `, .fixed.text at ${hex(pinned.at)}` : ''} */
ENTRY(start_here)
PHDRS
{
  text PT_LOAD FLAGS(5);
  init PT_LOAD FLAGS(7);${pinned ? '\n  fixed PT_LOAD FLAGS(5);' : ''}
}
SECTIONS
{
  . = ${hex(layout.base)};
  .head.text : {
    _text = .;
    _stext = .;
    KEEP(*(.head.text))
  } :text
  .text : {
    *(.text .text.*)
    _etext = .;
  } :text
  .rodata : ALIGN(${target.wordSize}) {
    *(.rodata .rodata.*)
  } :text
  /* The rest of a big kernel: addresses only, no bytes in the file. */
  . = ALIGN(. + ${hex(layout.gap)}, ${hex(layout.align)});
  .init.text : {
    _sinittext = .;
    *(.init.text .init.text.*)
    _einittext = .;
  } :init
  .init.data : { *(.init.data .init.data.*) } :init
  .data : {
    _sdata = .;
    *(.data .data.*)
  } :init${
    ppc64
      ? `
  .branch_lt : { *(.branch_lt) } :init
  .got : { *(.got .toc) } :init`
      : `
  .got : { *(.got) } :init
  .got2 : { *(.got2) } :init`
  }
  .sdata : { *(.sdata .sdata.*) } :init
  _edata = .;
  .bss : {
    __bss_start = .;
    *(.sbss .sbss.* .bss .bss.*)
    __bss_stop = .;
  } :init
  _end = .;${
    pinned
      ? `
  /* Pinned: the end of core text plus the gap plus ${hex(pinned.at)}, whatever the table's size. */
  .fixed.text ALIGN(ADDR(.text) + SIZEOF(.text) + ${hex(layout.gap)}, ${hex(layout.align)}) + ${hex(pinned.at)} : {
    KEEP(*(.fixed.text))
  } :fixed`
      : ''
  }
  /DISCARD/ : { *(.comment) *(.note.*) *(.eh_frame) }
}
`;
}
