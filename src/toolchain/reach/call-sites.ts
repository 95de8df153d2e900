import { readElf } from '../elf/index.ts';

/** Relocation types of relative branches, the same numbers for PPC and PPC64. */
const BRANCH_TYPES = new Map<number, 'REL24' | 'REL14'>([
  [10, 'REL24'], // R_PPC64_REL24 / R_PPC_REL24: `bl`, ±32 MiB
  [11, 'REL14'], // R_PPC64_REL14 / R_PPC_REL14: conditional branch, ±32 KiB
  [12, 'REL14'], // …_REL14_BRTAKEN
  [13, 'REL14'], // …_REL14_BRNTAKEN
  [18, 'REL24'], // R_PPC_PLTREL24 (32-bit calls through the PLT)
]);

/** The largest forward and backward byte displacement each branch form encodes. */
export const BRANCH_REACH = {
  REL24: { forward: 0x1fffffc, backward: 0x2000000 },
  REL14: { forward: 0x7ffc, backward: 0x8000 },
} as const;

/** A branch in some object's `.init.text`, before linking. */
export interface InitCallSite {
  /** Object name as given to the linker. */
  object: string;
  /** Offset of the branch instruction in that object's `.init.text`. */
  offset: number;
  /** Symbol the branch targets. */
  target: string;
  form: 'REL24' | 'REL14';
  /** The function the branch sits in, and the branch's offset inside it. */
  caller: string;
  callerOffset: number;
}

/**
 * Every relative branch from init text, read from the objects' relocations.
 * Done once per corpus: the sites do not change between passes, only the
 * addresses they end up at. Each site is tied to the function it sits in, so
 * that its address in an image is that function's address plus an offset:
 * no link map is needed (writing one costs ld.lld seconds in a browser).
 */
export function findInitCallSites(
  objects: ReadonlyArray<{ name: string; bytes: Uint8Array }>,
): InitCallSite[] {
  const sites: InitCallSite[] = [];
  for (const { name, bytes } of objects) {
    const elf = readElf(bytes);
    const init = elf.section('.init.text');
    if (!init) continue;
    // Functions defined in this object's init text, by start offset.
    const functions: Array<{ name: string; start: number; end: number }> = [];
    const symtab = elf.symbolTable();
    if (symtab) {
      for (let i = 0; i < symtab.count; i++) {
        if (symtab.sectionIndex(i) !== init.index || symtab.type(i) !== 2 /* STT_FUNC */) continue;
        const start = Number(symtab.value(i));
        functions.push({ name: symtab.name(i), start, end: start + Number(symtab.size(i)) });
      }
    }
    const callerOf = (offset: number) => functions.find((f) => offset >= f.start && offset < f.end);
    for (const table of elf.relocationsFor(init)) {
      const symbols = elf.symbolTableAt(table.symbolTableIndex);
      for (let i = 0; i < table.count; i++) {
        const form = BRANCH_TYPES.get(table.type(i));
        if (!form) continue;
        const target = symbols.name(table.symbolIndex(i));
        if (!target) continue; // a section-relative branch: stays inside its own section
        const offset = Number(table.offset(i));
        const caller = callerOf(offset);
        if (!caller) continue; // code outside any sized function cannot be placed
        sites.push({
          object: name,
          offset,
          target,
          form,
          caller: caller.name,
          callerOffset: offset - caller.start,
        });
      }
    }
  }
  return sites;
}
