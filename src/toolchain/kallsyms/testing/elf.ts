/**
 * Test support: just enough of an ELF reader to check a relocatable object
 * made by clang — its header, one section's bytes, the global symbols defined
 * in it, and its RELA relocations. Independent of the project's ELF code on
 * purpose, so the cross-check checks something.
 */

export interface ReadObject {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  machine: number;
  eFlags: number;
  section: { name: string; align: number; data: Uint8Array };
  labels: Array<{ name: string; offset: number }>;
  relocations: Array<{ offset: number; symbol: string; type: number; addend: bigint }>;
}

interface SectionHeader {
  name: string;
  type: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  align: number;
  entsize: number;
}

const SHT_SYMTAB = 2;
const SHT_RELA = 4;

export function readObject(file: Uint8Array, sectionName: string): ReadObject {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  if (view.getUint32(0) !== 0x7f454c46) throw new Error('not an ELF file');
  const elfClass = file[4] === 2 ? 64 : 32;
  const little = file[5] === 1;
  const is64 = elfClass === 64;
  const u16 = (at: number): number => view.getUint16(at, little);
  const u32 = (at: number): number => view.getUint32(at, little);
  const word = (at: number): number => (is64 ? Number(view.getBigUint64(at, little)) : u32(at));
  const sword = (at: number): bigint =>
    is64 ? view.getBigInt64(at, little) : BigInt(view.getInt32(at, little));

  const machine = u16(18);
  const eFlags = u32(is64 ? 48 : 36);
  const shoff = word(is64 ? 40 : 32);
  const shentsize = u16(is64 ? 58 : 46);
  const shnum = u16(is64 ? 60 : 48);
  const shstrndx = u16(is64 ? 62 : 50);

  const raw = Array.from({ length: shnum }, (_, i) => {
    const at = shoff + i * shentsize;
    return {
      nameOff: u32(at),
      type: u32(at + 4),
      offset: word(at + (is64 ? 24 : 16)),
      size: word(at + (is64 ? 32 : 20)),
      link: u32(at + (is64 ? 40 : 24)),
      info: u32(at + (is64 ? 44 : 28)),
      align: word(at + (is64 ? 48 : 32)),
      entsize: word(at + (is64 ? 56 : 36)),
    };
  });
  const cString = (at: number): string => {
    let end = at;
    while (file[end] !== 0) end++;
    return String.fromCharCode(...file.subarray(at, end));
  };
  const shstr = raw[shstrndx].offset;
  const sections: SectionHeader[] = raw.map((s) => ({ ...s, name: cString(shstr + s.nameOff) }));

  const index = sections.findIndex((s) => s.name === sectionName);
  if (index < 0) throw new Error(`no section ${sectionName}`);
  const target = sections[index];
  const data = file.slice(target.offset, target.offset + target.size);

  const symtab = sections.find((s) => s.type === SHT_SYMTAB);
  if (!symtab) throw new Error('no symbol table');
  const strtab = sections[symtab.link].offset;
  const symbols = Array.from({ length: symtab.size / symtab.entsize }, (_, i) => {
    const at = symtab.offset + i * symtab.entsize;
    return is64
      ? {
          name: cString(strtab + u32(at)),
          info: file[at + 4],
          shndx: u16(at + 6),
          value: word(at + 8),
        }
      : {
          name: cString(strtab + u32(at)),
          info: file[at + 12],
          shndx: u16(at + 14),
          value: u32(at + 4),
        };
  });
  const labels = symbols
    .filter((s) => s.shndx === index && s.info >> 4 === 1 /* STB_GLOBAL */)
    .map((s) => ({ name: s.name, offset: s.value }));

  const relocations: ReadObject['relocations'] = [];
  for (const rela of sections.filter((s) => s.type === SHT_RELA && s.info === index)) {
    for (let at = rela.offset; at < rela.offset + rela.size; at += rela.entsize) {
      const info = is64 ? view.getBigUint64(at + 8, little) : BigInt(u32(at + 4));
      const symIndex = Number(is64 ? info >> 32n : info >> 8n);
      const type = Number(is64 ? info & 0xffffffffn : info & 0xffn);
      relocations.push({
        offset: word(at),
        symbol: symbols[symIndex].name,
        type,
        addend: sword(at + (is64 ? 16 : 8)),
      });
    }
  }

  return {
    elfClass,
    endian: little ? 'little' : 'big',
    machine,
    eFlags,
    section: { name: sectionName, align: target.align, data },
    labels,
    relocations,
  };
}
