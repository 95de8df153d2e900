/** ELF reading (ELF32/64, LE/BE), the `llvm-nm -n` listing, and the writer of the kallsyms table object. */
export * from './constants.ts';
export { ElfFormatError } from './errors.ts';
export type { ElfHeader } from './header.ts';
export type { ElfSection } from './sections.ts';
export type { ElfSegment } from './segments.ts';
export { SymbolTable, type ElfSymbol } from './symbols.ts';
export { RelocationTable, type ElfRelocation } from './relocations.ts';
export { ElfFile, readElf } from './read-elf.ts';
export { nmListing, nmListingBytes, nmSymbols, type NmSymbols } from './nm-listing.ts';
export type { RelocatableObjectSpec } from './object-spec.ts';
export { writeRelocatableObject, type WriteObjectOptions } from './write-object.ts';
