/**
 * Writes one planned object as a PowerPC ELF relocatable file, laid out as
 * clang's integrated assembler lays out a compiled C file:
 *
 * - sections: [0] null, [1] `.strtab` (section and symbol names in one
 *   table, as LLVM writes it), [2] `.text` (`.head.text` in the head
 *   object), `.rela.text` if it calls other files, `.init.text` and
 *   `.rela.init.text` if it has __init code, `.note.GNU-stack` (empty, as
 *   `-Wa,--noexecstack` gives), `.symtab` last;
 * - file order: header, code sections, `.symtab`, relocation sections,
 *   `.strtab`, section header table;
 * - symbols: null, the FILE symbol, the locals (static functions in address
 *   order, `.text` before `.init.text`), then the globals: each defined
 *   function in address order, with each undefined function it calls entering
 *   at its first use. `sh_info` of `.symtab` is the first global's index;
 * - functions: STT_FUNC with their size (alignment padding excluded) and
 *   st_other 0: on ELFv2 they need no TOC, so local entry = global entry.
 *   Core functions are 16-byte aligned on ppc64 (4 on ppc32, or the
 *   corpus's `functionAlign`), padded with `nop`s; __init functions are
 *   4-byte aligned (the kernel's __init is `__cold`, which clang does not
 *   align); the pinned object's `.fixed.text` functions lie a fixed
 *   spacing apart, as hand-placed code does;
 * - a call to a global function is `bl` with a REL24 relocation
 *   (R_PPC64_REL24 / R_PPC_REL24, addend 0), followed on ppc64 by the `nop`
 *   the linker may turn into a TOC restore; a call to a static helper in the
 *   same section is resolved by the assembler (no relocation, no `nop`).
 *
 * e_flags is 2 (ELFv2) on ppc64, 0 on ppc32.
 */
import type { Target } from '../../arch/targets.ts';
import {
  ELF_SIZES,
  SHF_ALLOC,
  SHF_EXECINSTR,
  SHF_INFO_LINK,
  SHN_ABS,
  SHT_PROGBITS,
  SHT_RELA,
  SHT_STRTAB,
  SHT_SYMTAB,
  STB_GLOBAL,
  STB_LOCAL,
  STT_FILE,
  STT_FUNC,
  STT_NOTYPE,
} from '../../elf/constants.ts';
import { writeRelocatableHeader } from '../../elf/write-header.ts';
import type { CorpusPlan } from './plan.ts';
import { BL, BLR, EPILOGUE, NOP, PROLOGUE, arithmetic, blTo, li } from './ppc-code.ts';
import { createRandom } from './random.ts';

/** R_PPC64_REL24 and R_PPC_REL24 have the same number. */
const R_REL24 = 10;

/** Per-function working arrays shared by all objects of one corpus (one generation, no module state). */
export interface WriterScratch {
  offset: Int32Array;
  size: Int32Array;
  /** Symbol index of a function in the object being written, valid where `stamp` is the object's. */
  symbol: Int32Array;
  stamp: Int32Array;
}

export function createScratch(functions: number): WriterScratch {
  return {
    offset: new Int32Array(functions),
    size: new Int32Array(functions),
    symbol: new Int32Array(functions),
    stamp: new Int32Array(functions),
  };
}

const SECTION_NAMES = ['.rela.init.text', '.note.GNU-stack', '.symtab', '.strtab'];

export function writeCodeObject(
  plan: CorpusPlan,
  index: number,
  target: Target,
  seed: number,
  scratch: WriterScratch,
): Uint8Array {
  const { names, local, body, helper, callStart, callee } = plan;
  const object = plan.objects[index];
  const { textStart, initStart, end } = object;
  const is64 = target.elfClass === 64;
  const little = target.endian === 'little';
  const callWords = is64 ? 2 : 1; // bl (+ nop)
  const functionAlign = plan.functionAlign || (is64 ? 16 : 4);
  const spacing = object.spacing;
  // The section's alignment: its functions' (a fixed spacing needs only whole instructions).
  const textAlign = spacing === null ? functionAlign : 4;
  const { offset, size, symbol, stamp } = scratch;
  const mark = index + 1;

  // Lay out the functions.
  let textBytes = 0;
  let initBytes = 0;
  let textRelocs = 0;
  let initRelocs = 0;
  let locals = 2; // null + FILE
  for (let f = textStart; f < end; f++) {
    const calls = callStart[f + 1] - callStart[f];
    if (local[f]) locals++;
    if (f < initStart) {
      textRelocs += calls;
      const leaf = calls === 0 && helper[f] < 0;
      const words = leaf
        ? body[f] + 1
        : 3 + (helper[f] >= 0 ? 1 : 0) + body[f] + calls * callWords + 4;
      if (spacing !== null) {
        offset[f] = (f - textStart) * spacing;
        textBytes = offset[f] + spacing;
      } else {
        textBytes = (textBytes + functionAlign - 1) & -functionAlign;
        offset[f] = textBytes;
        textBytes += words * 4;
      }
      size[f] = words * 4;
    } else {
      initRelocs += calls;
      const words = 3 + calls * (callWords + 1) + 5;
      offset[f] = initBytes;
      size[f] = words * 4;
      initBytes += words * 4;
    }
  }
  const hasInit = end > initStart;

  // Symbol indices: locals first, then globals with undefined callees at first use.
  let next = 2;
  for (let f = textStart; f < end; f++) if (local[f]) symbol[f] = next++;
  for (let f = textStart; f < end; f++) if (!local[f]) stamp[f] = mark; // defined here
  const order = new Int32Array(end - textStart + callStart[end] - callStart[textStart]);
  let globals = 0;
  for (let f = textStart; f < end; f++) {
    if (!local[f]) {
      symbol[f] = next++;
      order[globals++] = f;
    }
    for (let c = callStart[f]; c < callStart[f + 1]; c++) {
      const g = callee[c];
      if (stamp[g] === mark) continue; // defined here or already referenced
      stamp[g] = mark;
      symbol[g] = next++;
      order[globals++] = ~g; // undefined
    }
  }
  const symbolCount = next;

  // Section numbers.
  const STRTAB = 1;
  const TEXT = 2;
  let sections = 3;
  const RELA_TEXT = textRelocs > 0 ? sections++ : -1;
  const INIT = hasInit ? sections++ : -1;
  const RELA_INIT = initRelocs > 0 ? sections++ : -1;
  const NOTE = sections++;
  const SYMTAB = sections++;

  // File layout (string table size first: it is the only part whose size needs the names).
  let strtabSize = 1 + 5 + object.textSection.length + 1; // "" and ".rela<text>"
  for (const s of SECTION_NAMES) strtabSize += s.length + 1;
  const fileName = object.name.slice(object.name.lastIndexOf('/') + 1).replace(/\.o$/, '.c');
  strtabSize += fileName.length + 1;
  for (let k = 0; k < globals; k++) {
    const f = order[k];
    strtabSize += names.length[f < 0 ? ~f : f] + 1;
  }
  for (let f = textStart; f < end; f++) if (local[f]) strtabSize += names.length[f] + 1;

  const {
    ehdr: ehdrSize,
    shdr: shdrSize,
    sym: symSize,
    rela: relaSize,
    word,
  } = ELF_SIZES[is64 ? 64 : 32];
  const up = (n: number, a: number) => (n + a - 1) & -a;
  const offText = up(ehdrSize, textAlign);
  const offInit = up(offText + textBytes, 4);
  const offNote = offInit + initBytes;
  const offSymtab = up(offNote, word);
  const offTextRela = offSymtab + symbolCount * symSize;
  const offInitRela = offTextRela + textRelocs * relaSize;
  const offStrtab = offInitRela + initRelocs * relaSize;
  const offShdr = up(offStrtab + strtabSize, word);
  const out = new Uint8Array(offShdr + sections * shdrSize);
  const v = new DataView(out.buffer);

  // Code and relocations.
  const r = createRandom(seed);
  const pro = PROLOGUE[is64 ? 64 : 32];
  const epi = EPILOGUE[is64 ? 64 : 32];
  let relText = offTextRela;
  let relInit = offInitRela;
  for (let f = textStart; f < end; f++) {
    const isInit = f >= initStart;
    const base = isInit ? offInit : offText;
    let at = base + offset[f];
    const c0 = callStart[f];
    const c1 = callStart[f + 1];
    const leaf = !isInit && c0 === c1 && helper[f] < 0;
    if (!leaf) for (let i = 0; i < 3; i++, at += 4) v.setUint32(at, pro[i], little);
    if (!isInit && helper[f] >= 0) {
      v.setUint32(at, blTo(offText + offset[helper[f]] - at), little);
      at += 4;
    }
    if (!isInit) {
      for (let b = 0; b < body[f]; b++, at += 4) {
        v.setUint32(at, arithmetic((r.next() * 4294967296) >>> 0, b === body[f] - 1), little);
      }
    }
    for (let c = c0; c < c1; c++) {
      if (isInit) {
        v.setUint32(at, li(3, r.below(4096)), little);
        at += 4;
      }
      const rel = isInit ? relInit : relText;
      const sectionOffset = at - base;
      const sym = symbol[callee[c]];
      if (is64) {
        v.setUint32(rel + (little ? 0 : 4), sectionOffset, little);
        v.setUint32(rel + (little ? 8 : 12), R_REL24, little);
        v.setUint32(rel + (little ? 12 : 8), sym, little);
      } else {
        v.setUint32(rel, sectionOffset, little);
        v.setUint32(rel + 4, ((sym << 8) | R_REL24) >>> 0, little);
      }
      if (isInit) relInit += relaSize;
      else relText += relaSize;
      v.setUint32(at, BL, little);
      at += 4;
      if (is64) {
        v.setUint32(at, NOP, little);
        at += 4;
      }
    }
    if (isInit) {
      v.setUint32(at, li(3, 0), little);
      at += 4;
    }
    if (leaf) {
      v.setUint32(at, BLR, little);
      at += 4;
    } else {
      for (let i = 0; i < 4; i++, at += 4) v.setUint32(at, epi[i], little);
    }
    // Padding up to the next function: nops, as the assembler pads code.
    if (!isInit) {
      const stop = offText + (f + 1 < initStart ? offset[f + 1] : textBytes);
      for (; at < stop; at += 4) v.setUint32(at, NOP, little);
    }
  }

  // String table: section names (".rela.text" also gives ".text"), then symbol names.
  let str = offStrtab + 1;
  const addString = (s: string) => {
    const at = str - offStrtab;
    for (let i = 0; i < s.length; i++) out[str + i] = s.charCodeAt(i);
    str += s.length + 1;
    return at;
  };
  const relaTextName = addString(`.rela${object.textSection}`);
  const [relaInitName, noteName, symtabName, strtabName] = SECTION_NAMES.map(addString);

  // Symbol table.
  const putSymbol = (
    i: number,
    nameOff: number,
    info: number,
    shndx: number,
    value: number,
    sz: number,
  ) => {
    const at = offSymtab + i * symSize;
    v.setUint32(at, nameOff, little);
    if (is64) {
      out[at + 4] = info;
      v.setUint16(at + 6, shndx, little);
      v.setUint32(at + (little ? 8 : 12), value, little);
      v.setUint32(at + (little ? 16 : 20), sz, little);
    } else {
      v.setUint32(at + 4, value, little);
      v.setUint32(at + 8, sz, little);
      out[at + 12] = info;
      v.setUint16(at + 14, shndx, little);
    }
  };
  const addName = (f: number) => {
    const at = str - offStrtab;
    str = names.write(f, out, str) + 1;
    return at;
  };
  putSymbol(1, addString(fileName), (STB_LOCAL << 4) | STT_FILE, SHN_ABS, 0, 0);
  for (let f = textStart; f < end; f++) {
    if (!local[f]) continue;
    putSymbol(
      symbol[f],
      addName(f),
      (STB_LOCAL << 4) | STT_FUNC,
      f < initStart ? TEXT : INIT,
      offset[f],
      size[f],
    );
  }
  for (let k = 0; k < globals; k++) {
    const f = order[k];
    if (f < 0) {
      putSymbol(symbol[~f], addName(~f), (STB_GLOBAL << 4) | STT_NOTYPE, 0, 0, 0);
    } else {
      putSymbol(
        symbol[f],
        addName(f),
        (STB_GLOBAL << 4) | STT_FUNC,
        f < initStart ? TEXT : INIT,
        offset[f],
        size[f],
      );
    }
  }
  if (str !== offStrtab + strtabSize) throw new Error(`string table of ${object.name} miscounted`);

  writeRelocatableHeader(v, {
    is64,
    little,
    machine: target.machine,
    eFlags: is64 ? 2 : 0, // ELFv2 on 64-bit, as clang marks the code it compiles
    shoff: offShdr,
    sectionCount: sections,
    shstrndx: STRTAB,
  });

  // Section headers.
  const putSection = (
    i: number,
    nameOff: number,
    type: number,
    flags: number,
    fileOffset: number,
    bytes: number,
    link: number,
    info: number,
    align: number,
    entsize: number,
  ) => {
    const at = offShdr + i * shdrSize;
    v.setUint32(at, nameOff, little);
    v.setUint32(at + 4, type, little);
    if (is64) {
      v.setUint32(at + (little ? 8 : 12), flags, little);
      v.setUint32(at + (little ? 24 : 28), fileOffset, little);
      v.setUint32(at + (little ? 32 : 36), bytes, little);
      v.setUint32(at + 40, link, little);
      v.setUint32(at + 44, info, little);
      v.setUint32(at + (little ? 48 : 52), align, little);
      v.setUint32(at + (little ? 56 : 60), entsize, little);
    } else {
      v.setUint32(at + 8, flags, little);
      v.setUint32(at + 16, fileOffset, little);
      v.setUint32(at + 20, bytes, little);
      v.setUint32(at + 24, link, little);
      v.setUint32(at + 28, info, little);
      v.setUint32(at + 32, align, little);
      v.setUint32(at + 36, entsize, little);
    }
  };
  const code = SHF_ALLOC | SHF_EXECINSTR;
  putSection(STRTAB, strtabName, SHT_STRTAB, 0, offStrtab, strtabSize, 0, 0, 1, 0);
  putSection(TEXT, relaTextName + 5, SHT_PROGBITS, code, offText, textBytes, 0, 0, textAlign, 0);
  if (RELA_TEXT > 0) {
    const bytes = textRelocs * relaSize;
    putSection(
      RELA_TEXT,
      relaTextName,
      SHT_RELA,
      SHF_INFO_LINK,
      offTextRela,
      bytes,
      SYMTAB,
      TEXT,
      word,
      relaSize,
    );
  }
  if (INIT > 0)
    putSection(INIT, relaInitName + 5, SHT_PROGBITS, code, offInit, initBytes, 0, 0, 4, 0);
  if (RELA_INIT > 0) {
    const bytes = initRelocs * relaSize;
    putSection(
      RELA_INIT,
      relaInitName,
      SHT_RELA,
      SHF_INFO_LINK,
      offInitRela,
      bytes,
      SYMTAB,
      INIT,
      word,
      relaSize,
    );
  }
  putSection(NOTE, noteName, SHT_PROGBITS, 0, offNote, 0, 0, 0, 1, 0);
  putSection(
    SYMTAB,
    symtabName,
    SHT_SYMTAB,
    0,
    offSymtab,
    symbolCount * symSize,
    STRTAB,
    locals,
    word,
    symSize,
  );
  return out;
}
