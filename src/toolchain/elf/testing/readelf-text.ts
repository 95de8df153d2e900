/**
 * Test support: parses the GNU-style text of `llvm-readelf -S -l -s -r
 * --wide`, `llvm-readelf -x` and `llvm-nm`, so that the reader can be
 * compared with LLVM's own view of a file.
 */

export interface ReadelfSection {
  index: number;
  name: string;
  type: string;
  address: bigint;
  offset: number;
  size: bigint;
  entsize: number;
  flags: string;
  link: number;
  info: number;
  align: bigint;
}

export interface ReadelfSegment {
  type: string;
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  filesz: number;
  memsz: bigint;
  flags: string;
  align: bigint;
}

export interface ReadelfSymbol {
  index: number;
  value: bigint;
  size: bigint;
  type: string;
  bind: string;
  visibility: string;
  /** st_other bits beyond the visibility, as `[<other: 0x60>]` shows them. */
  otherBits: number;
  ndx: string;
  name: string;
}

export interface ReadelfRelocation {
  offset: bigint;
  info: bigint;
  typeName: string;
  symbolName: string | undefined;
  addend: bigint | undefined;
}

export interface ReadelfOutput {
  sectionCount: number | undefined;
  sections: ReadelfSection[];
  segments: ReadelfSegment[];
  symbolTables: Map<string, ReadelfSymbol[]>;
  relocationSections: Map<string, ReadelfRelocation[]>;
}

const SECTION_RE =
  /^\s*\[\s*(\d+)\] (\S*)\s+(SYMTAB SECTION INDICES|\S+)\s+([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)\s+([A-Za-z]*)\s+(\d+)\s+(\d+)\s+(\d+)$/;
const SEGMENT_RE =
  /^\s+(\S+)\s+(0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) (0x[0-9a-f]+) ([RWE ]{3}) (0x[0-9a-f]+)$/;
const SYMBOL_RE =
  /^\s*(\d+): ([0-9a-f]+)\s+(\d+|0x[0-9a-f]+) (\S+)\s+(\S+)\s+(DEFAULT|INTERNAL|HIDDEN|PROTECTED)(?: \[<other: (0x[0-9a-f]+)>\])?\s+(\S+) ?(.*)$/;
const RELOC_RE = /^([0-9a-f]+)\s+([0-9a-f]+)\s+(\S+)(.*)$/;

export function parseReadelf(text: string): ReadelfOutput {
  const out: ReadelfOutput = {
    sectionCount: undefined,
    sections: [],
    segments: [],
    symbolTables: new Map(),
    relocationSections: new Map(),
  };
  let mode: 'none' | 'sections' | 'segments' | 'symbols' | 'relocations' = 'none';
  let current: ReadelfSymbol[] | ReadelfRelocation[] = [];
  for (const line of text.split('\n')) {
    let m: RegExpMatchArray | null;
    if ((m = line.match(/^There are (\d+) section headers/))) {
      out.sectionCount = Number(m[1]);
    } else if (line.startsWith('Section Headers:')) {
      mode = 'sections';
    } else if (line.startsWith('Program Headers:')) {
      mode = 'segments';
    } else if ((m = line.match(/^Symbol table '([^']*)' contains (\d+) entries:/))) {
      mode = 'symbols';
      current = [];
      out.symbolTables.set(m[1], current as ReadelfSymbol[]);
    } else if (
      (m = line.match(
        /^Relocation section '([^']*)' at offset 0x[0-9a-f]+ contains (\d+) entries:/,
      ))
    ) {
      mode = 'relocations';
      current = [];
      out.relocationSections.set(m[1], current as ReadelfRelocation[]);
    } else if (mode === 'sections' && (m = line.match(SECTION_RE))) {
      out.sections.push({
        index: Number(m[1]),
        name: m[2],
        type: m[3],
        address: BigInt(`0x${m[4]}`),
        offset: Number(`0x${m[5]}`),
        size: BigInt(`0x${m[6]}`),
        entsize: Number(`0x${m[7]}`),
        flags: m[8],
        link: Number(m[9]),
        info: Number(m[10]),
        align: BigInt(m[11]),
      });
    } else if (mode === 'segments' && (m = line.match(SEGMENT_RE))) {
      out.segments.push({
        type: m[1],
        offset: Number(m[2]),
        vaddr: BigInt(m[3]),
        paddr: BigInt(m[4]),
        filesz: Number(m[5]),
        memsz: BigInt(m[6]),
        flags: m[7],
        align: BigInt(m[8]),
      });
    } else if (mode === 'symbols' && (m = line.match(SYMBOL_RE))) {
      (current as ReadelfSymbol[]).push({
        index: Number(m[1]),
        value: BigInt(`0x${m[2]}`),
        size: BigInt(m[3]),
        type: m[4],
        bind: m[5],
        visibility: m[6],
        otherBits: m[7] === undefined ? 0 : Number(m[7]),
        ndx: m[8],
        name: m[9],
      });
    } else if (mode === 'relocations' && (m = line.match(RELOC_RE))) {
      const rest = m[4];
      let symbolName: string | undefined;
      let addend: bigint | undefined;
      let r: RegExpMatchArray | null;
      if ((r = rest.match(/^\s+[0-9a-f]+\s+(.*) ([+-]) ([0-9a-f]+)$/))) {
        symbolName = r[1];
        addend = BigInt(`0x${r[3]}`) * (r[2] === '-' ? -1n : 1n);
      } else if ((r = rest.match(/^\s+(-?)([0-9a-f]+)$/))) {
        addend = BigInt(`0x${r[2]}`) * (r[1] === '-' ? -1n : 1n);
      } else if ((r = rest.match(/^\s+[0-9a-f]+\s+(.*)$/))) {
        symbolName = r[1];
      }
      (current as ReadelfRelocation[]).push({
        offset: BigInt(`0x${m[1]}`),
        info: BigInt(`0x${m[2]}`),
        typeName: m[3],
        symbolName,
        addend,
      });
    }
  }
  return out;
}

/** The bytes shown by `llvm-readelf -x <section>`. */
export function parseHexDump(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^\s*0x[0-9a-f]+ /);
    if (!m) continue;
    const hexPart = line.slice(m[0].length, m[0].length + 35).replace(/ /g, '');
    for (let i = 0; i < hexPart.length; i += 2) bytes.push(parseInt(hexPart.slice(i, i + 2), 16));
  }
  return new Uint8Array(bytes);
}

export interface NmLine {
  value: bigint | undefined;
  type: string;
  name: string;
}

/** `llvm-nm` default format: `<value> <type> <name>` (blank value when undefined). */
export function parseNm(text: string): NmLine[] {
  const out: NmLine[] = [];
  for (const line of text.split('\n')) {
    const m = line.match(/^([0-9a-f]+|\s+) (\S) (.*)$/);
    if (!m) continue;
    out.push({ value: m[1].trim() ? BigInt(`0x${m[1]}`) : undefined, type: m[2], name: m[3] });
  }
  return out;
}
