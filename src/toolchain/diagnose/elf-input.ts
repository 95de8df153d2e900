/**
 * An ELF image's `llvm-nm -n` listing without reading the image whole: only
 * the ELF header, the section header table, the section-name table, the
 * symbol table and its string table (and SHT_SYMTAB_SHNDX, if any) are
 * read. They are copied into a small ELF file of their own, whose other
 * sections keep their headers (name, type, flags, address: all that decides
 * an nm type letter) but no bytes, and the project's reader lists that file
 * exactly as it would list the whole image (elf-input.test.ts pins the
 * equality on the project's images). A 1 GB vmlinux with debug information
 * thus costs what its symbol table costs.
 */
import {
  ELF_SIZES,
  ElfFormatError,
  SHF_ALLOC,
  SHN_XINDEX,
  SHT_NOBITS,
  SHT_NULL,
  SHT_SYMTAB,
  SHT_SYMTAB_SHNDX,
  nmListingBytes,
  readElf,
} from '../elf/index.ts';
import { parseHeader, type ElfHeader } from '../elf/header.ts';
import { ARCH_IDS, TARGETS, type ArchId } from '../arch/targets.ts';
import { DiagnoseError } from './errors.ts';
import { DIAGNOSE_LIMITS, describeBytes } from './limits.ts';
import { readRange, type DiagnoseSource } from './source.ts';

/** A section of the image as a report shows it (allocated sections only). */
export interface SectionFact {
  name: string;
  /** `0x…` */
  address: string;
  size: number;
  /** SHT_NOBITS (.bss): takes addresses, no file bytes. */
  nobits: boolean;
}

export interface ElfFacts {
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  machine: number;
  /** `PowerPC64`, `AArch64`, … or `machine 1234`. */
  machineName: string;
  /** `executable`, `shared object`, `relocatable object`, … */
  fileType: string;
  /** The project's target for this machine, class and byte order, if it has one. */
  arch: ArchId | null;
  /** Allocated sections in address order, with their sizes in the image. */
  sections: SectionFact[];
  /** Entries of `.symtab`, the null symbol included. */
  symbolTableEntries: number;
}

export interface ElfListing {
  /** `llvm-nm -n` of the image, as bytes. */
  listing: Uint8Array;
  facts: ElfFacts;
  /** Bytes read from the source (headers and tables). */
  bytesRead: number;
}

const MACHINES: Record<number, string> = {
  2: 'SPARC',
  3: 'x86 (i386)',
  8: 'MIPS',
  20: 'PowerPC',
  21: 'PowerPC64',
  22: 'S/390',
  40: 'ARM',
  43: 'SPARC V9',
  62: 'x86-64',
  164: 'Hexagon',
  183: 'AArch64',
  243: 'RISC-V',
  258: 'LoongArch',
};

const FILE_TYPES: Record<number, string> = {
  1: 'relocatable object',
  2: 'executable',
  3: 'shared object',
  4: 'core file',
};

export function machineName(machine: number): string {
  return MACHINES[machine] ?? `machine ${machine}`;
}

export const isElf = (head: Uint8Array): boolean =>
  head.length >= 4 && head[0] === 0x7f && head[1] === 0x45 && head[2] === 0x4c && head[3] === 0x46;

/** What one section header says, raw. */
interface RawSection {
  type: number;
  offset: bigint;
  size: bigint;
  link: number;
}

/** A field reader over a piece of the file, in its byte order and class. */
function fields(bytes: Uint8Array, header: ElfHeader) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = header.endian === 'little';
  const is64 = header.elfClass === 64;
  return {
    u16: (at: number) => view.getUint16(at, little),
    u32: (at: number) => view.getUint32(at, little),
    word: (at: number) =>
      is64 ? view.getBigUint64(at, little) : BigInt(view.getUint32(at, little)),
    setU16: (at: number, v: number) => view.setUint16(at, v, little),
    setWord: (at: number, v: bigint) =>
      is64 ? view.setBigUint64(at, v, little) : view.setUint32(at, Number(v), little),
  };
}

/** Field offsets inside a section header (sh_offset, sh_size, sh_link). */
const shdrFields = (is64: boolean) => {
  const w = is64 ? 8 : 4;
  return { type: 4, offset: 8 + 2 * w, size: 8 + 3 * w, link: 8 + 4 * w };
};

function badElf(source: DiagnoseSource, what: string): DiagnoseError {
  return new DiagnoseError(
    'bad-elf',
    source.name,
    `not a readable ELF image: ${what}. Give a linked image (vmlinux, .tmp_vmlinux*), its System.map or an "nm -n" listing.`,
  );
}

/**
 * Reads the symbol listing of the ELF image in `source`. `onBytes` is told
 * of every chunk read (for progress). Throws DiagnoseError for a damaged,
 * truncated or stripped image, or one over the limits.
 */
export async function readElfListing(
  source: DiagnoseSource,
  onBytes: (n: number, expected: number) => void,
  signal?: AbortSignal,
): Promise<ElfListing> {
  if (source.size > DIAGNOSE_LIMITS.elfFileBytes) {
    throw new DiagnoseError(
      'too-large',
      source.name,
      `${describeBytes(source.size)} is more than the ${describeBytes(DIAGNOSE_LIMITS.elfFileBytes)} an ELF image may have here`,
    );
  }
  let bytesRead = 0;
  const read = async (offset: bigint, length: bigint, what: string, expected = 0) => {
    if (offset + length > BigInt(source.size)) {
      throw badElf(
        source,
        `its ${what} (${describeBytes(Number(length))} at offset 0x${offset.toString(16)}) ` +
          `extends past the end of the file (${describeBytes(source.size)}); the image is truncated`,
      );
    }
    const bytes = await readRange(
      source,
      Number(offset),
      Number(length),
      (n) => onBytes(n, expected),
      signal,
    );
    bytesRead += bytes.length;
    if (bytes.length < Number(length)) {
      throw badElf(
        source,
        `the file ended while its ${what} was read (it shrank, or is truncated)`,
      );
    }
    return bytes;
  };

  // The ELF header.
  const head = await read(0n, BigInt(Math.min(source.size, ELF_SIZES[64].ehdr)), 'ELF header');
  let header: ElfHeader;
  try {
    header = parseHeader(head).header;
  } catch (error) {
    if (error instanceof ElfFormatError) throw badElf(source, error.message);
    throw error;
  }
  const is64 = header.elfClass === 64;
  const sizes = ELF_SIZES[header.elfClass];
  const stripped = (why: string) =>
    new DiagnoseError(
      'no-symbols',
      source.name,
      `this ELF file has ${why}, so there is nothing to list (was it stripped?). ` +
        'Give the unstripped vmlinux or .tmp_vmlinux*, or its System.map.',
    );
  if (header.shoff === 0) throw stripped('no section headers');

  // The section header table (section 0 may hold the real count).
  const stride = header.shentsize;
  const zero = await read(BigInt(header.shoff), BigInt(stride), 'section header 0');
  const zeroFields = fields(zero, header);
  const f = shdrFields(is64);
  let shnum = header.shnum;
  if (shnum === 0) {
    const extended = zeroFields.word(f.size);
    if (extended > BigInt(DIAGNOSE_LIMITS.symbols)) {
      throw badElf(source, `section 0 claims ${extended} sections`);
    }
    shnum = Number(extended);
  }
  const tableBytes = BigInt(shnum) * BigInt(stride);
  if (tableBytes > BigInt(DIAGNOSE_LIMITS.elfTableBytes)) {
    throw new DiagnoseError(
      'too-large',
      source.name,
      `its ${shnum} section headers take more than ${describeBytes(DIAGNOSE_LIMITS.elfTableBytes)}`,
    );
  }
  const table = await read(
    BigInt(header.shoff),
    tableBytes,
    `section header table (${shnum} entries)`,
  );
  const tableFields = fields(table, header);
  const raw: RawSection[] = [];
  for (let i = 0; i < shnum; i++) {
    const at = i * stride;
    raw.push({
      type: tableFields.u32(at + f.type),
      offset: tableFields.word(at + f.offset),
      size: tableFields.word(at + f.size),
      link: tableFields.u32(at + f.link),
    });
  }
  let shstrndx = header.shstrndx;
  if (shstrndx === SHN_XINDEX) shstrndx = zeroFields.u32(f.link);

  // Which sections to carry: the names, the symbol table, its strings.
  const symtabIndex = raw.findIndex((s, i) => i > 0 && s.type === SHT_SYMTAB);
  if (symtabIndex < 0) throw stripped('no symbol table (.symtab)');
  const symtab = raw[symtabIndex];
  const entsize = BigInt(sizes.sym);
  const entries = symtab.size / entsize;
  if (entries > BigInt(DIAGNOSE_LIMITS.symbols)) {
    throw new DiagnoseError(
      'too-large',
      source.name,
      `its symbol table has ${entries} entries, more than the ${DIAGNOSE_LIMITS.symbols.toLocaleString('en-US')} read here`,
    );
  }
  const carried = new Set<number>([symtabIndex]);
  if (symtab.link > 0 && symtab.link < shnum) carried.add(symtab.link);
  if (shstrndx > 0 && shstrndx < shnum) carried.add(shstrndx);
  raw.forEach((s, i) => {
    if (s.type === SHT_SYMTAB_SHNDX && s.link === symtabIndex) carried.add(i);
  });
  let carriedBytes = 0n;
  for (const i of carried) if (raw[i].type !== SHT_NOBITS) carriedBytes += raw[i].size;
  if (carriedBytes > BigInt(DIAGNOSE_LIMITS.elfTableBytes)) {
    throw new DiagnoseError(
      'too-large',
      source.name,
      `its symbol and string tables take ${describeBytes(Number(carriedBytes))}, more than the ` +
        `${describeBytes(DIAGNOSE_LIMITS.elfTableBytes)} read here`,
    );
  }

  // The small ELF: header, section headers, then each carried section's bytes.
  const headerBytes = Math.min(head.length, sizes.ehdr);
  const shoff = Math.ceil(headerBytes / 8) * 8;
  let at = shoff + table.length;
  const placed = new Map<number, number>();
  for (const i of carried) {
    if (raw[i].type === SHT_NOBITS || raw[i].type === SHT_NULL) continue;
    at = Math.ceil(at / 8) * 8;
    placed.set(i, at);
    at += Number(raw[i].size);
  }
  const compact = new Uint8Array(at);
  compact.set(head.subarray(0, headerBytes));
  compact.set(table, shoff);
  const out = fields(compact, header);
  const w = is64 ? 8 : 4;
  // e_phoff = 0, e_shoff = shoff, e_phnum = 0: no program headers are needed.
  out.setWord(24 + w, 0n);
  out.setWord(24 + 2 * w, BigInt(shoff));
  out.setU16(24 + 3 * w + 4 + 4, 0);
  for (const [i, offset] of [...placed].sort((a, b) => a[1] - b[1])) {
    const what =
      i === symtabIndex ? 'symbol table' : i === shstrndx ? 'section-name table' : `section [${i}]`;
    compact.set(await read(raw[i].offset, raw[i].size, what, Number(carriedBytes)), offset);
  }
  for (let i = 1; i < shnum; i++) {
    const where = shoff + i * stride;
    const offset = placed.get(i);
    if (offset !== undefined) {
      out.setWord(where + f.offset, BigInt(offset));
    } else if (raw[i].type !== SHT_NOBITS && raw[i].type !== SHT_NULL) {
      // Header kept (name, type, flags, address decide nm's letter), bytes not.
      out.setWord(where + f.offset, 0n);
      out.setWord(where + f.size, 0n);
    }
  }

  let listing: Uint8Array;
  let elf;
  try {
    elf = readElf(compact);
    listing = nmListingBytes(elf);
  } catch (error) {
    if (error instanceof ElfFormatError) throw badElf(source, error.message);
    throw error;
  }
  const sections: SectionFact[] = elf.sections
    .filter((s) => (s.flags & BigInt(SHF_ALLOC)) !== 0n && raw[s.index].size > 0n)
    .map((s) => ({
      name: s.name,
      address: `0x${s.addr.toString(16)}`,
      size: Number(raw[s.index].size),
      nobits: s.type === SHT_NOBITS,
    }))
    .sort((a, b) => {
      const x = BigInt(a.address);
      const y = BigInt(b.address);
      return x < y ? -1 : x > y ? 1 : 0;
    });
  const arch =
    ARCH_IDS.find((id) => {
      const t = TARGETS[id];
      return (
        t.machine === header.machine && t.elfClass === header.elfClass && t.endian === header.endian
      );
    }) ?? null;
  return {
    listing,
    facts: {
      elfClass: header.elfClass,
      endian: header.endian,
      machine: header.machine,
      machineName: machineName(header.machine),
      fileType: FILE_TYPES[header.type] ?? `type ${header.type}`,
      arch,
      sections,
      symbolTableEntries: Number(entries),
    },
    bytesRead,
  };
}
