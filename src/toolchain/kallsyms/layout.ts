/**
 * The bytes an assembler makes of the program in `.rodata`: each label
 * aligned to the word size (ALGN), `.long` 4 bytes, `.short` 2, `.byte` 1,
 * `.asciz` the string and a NUL, `PTR` a word holding zero with a RELA
 * relocation against the undefined `_text` carrying the addend.
 */
import type { Target } from '../arch/targets.ts';
import type { RelocatableObjectSpec } from '../elf/object-spec.ts';
import { bytesToByteString } from './bytes.ts';
import { KallsymsError } from './errors.ts';
import type { DataItem, KallsymsProgram, TableLabel } from './program.ts';

export interface TablePlacement {
  label: TableLabel;
  /** Offset of the label in the section. */
  offset: number;
  /** Bytes of data after the label. */
  size: number;
  /** Zero bytes inserted before the label to align it. */
  padding: number;
}

export interface ProgramMeasure {
  tables: TablePlacement[];
  /** Size of `.rodata`. */
  total: number;
}

function itemSize(item: DataItem, wordSize: number): number {
  switch (item.kind) {
    case 'long':
      return 4 * item.values.length;
    case 'short':
      return 2 * item.values.length;
    case 'bytes':
      return item.lines.data.length;
    case 'asciz': {
      let n = 0;
      for (const s of item.strings) n += s.length + 1;
      return n;
    }
    case 'ptr':
      return wordSize * item.addends.length;
  }
}

/** Where each table lands for a word size (alignment = word size, as ALGN says). */
export function measureProgram(program: KallsymsProgram, wordSize: 4 | 8): ProgramMeasure {
  const tables: TablePlacement[] = [];
  let at = 0;
  for (const table of program.tables) {
    const aligned = Math.ceil(at / wordSize) * wordSize;
    let size = 0;
    for (const item of table.items) size += itemSize(item, wordSize);
    tables.push({ label: table.label, offset: aligned, size, padding: aligned - at });
    at = aligned + size;
  }
  return { tables, total: at };
}

/**
 * The kernel prints names raw inside `"…"` and `/* … *\/`; a name the
 * assembler would read differently (or reject) makes the kernel's build fail,
 * and we cannot claim to know its bytes.
 */
function checkAssemblable(program: KallsymsProgram): void {
  for (const table of program.tables) {
    for (const item of table.items) {
      if (item.kind === 'asciz') {
        for (const s of item.strings) {
          if (s.includes(0x22) || s.includes(0x5c) || s.includes(0)) {
            throw new KallsymsError(
              'not-assemblable',
              `kallsyms: the token ${JSON.stringify(bytesToByteString(s))} in ${table.label} ` +
                `holds a quote, backslash or NUL, which the assembler would not read back as ` +
                `written; rename the symbol that contains it`,
            );
          }
        }
      }
      if ((item.kind === 'long' || item.kind === 'bytes') && item.comments) {
        const { data, starts } = item.comments;
        // "*" is rare in names: find each with the native search, then see
        // whether "/" follows within the same comment.
        let line = 0;
        for (let k = data.indexOf(0x2a); k >= 0; k = data.indexOf(0x2a, k + 1)) {
          while (starts[line + 1] <= k) line++;
          if (k + 1 < starts[line + 1] && data[k + 1] === 0x2f) {
            const entry = bytesToByteString(data.subarray(starts[line], starts[line + 1]));
            throw new KallsymsError(
              'not-assemblable',
              `kallsyms: the symbol ${JSON.stringify(entry.slice(1))} contains "*/", which ends ` +
                `the comment it is printed in and breaks the assembler source; rename it`,
            );
          }
        }
      }
    }
  }
}

/** The table object's contents for a target, ready for the ELF writer. */
export function layoutProgram(program: KallsymsProgram, target: Target): RelocatableObjectSpec {
  checkAssemblable(program);
  const { wordSize } = target;
  const little = target.endian === 'little';
  const measure = measureProgram(program, wordSize);
  const data = new Uint8Array(measure.total);
  const view = new DataView(data.buffer);
  const labels: RelocatableObjectSpec['labels'] = [];
  const relocations: RelocatableObjectSpec['relocations'] = [];

  program.tables.forEach((table, t) => {
    let at = measure.tables[t].offset;
    labels.push({ name: table.label, offset: at });
    for (const item of table.items) {
      switch (item.kind) {
        case 'long':
          for (let i = 0; i < item.values.length; i++, at += 4) {
            view.setUint32(at, item.values[i], little);
          }
          break;
        case 'short':
          for (let i = 0; i < item.values.length; i++, at += 2) {
            view.setUint16(at, item.values[i], little);
          }
          break;
        case 'bytes':
          data.set(item.lines.data, at);
          at += item.lines.data.length;
          break;
        case 'asciz':
          for (const s of item.strings) {
            data.set(s, at);
            at += s.length + 1; // the NUL is already there
          }
          break;
        case 'ptr':
          for (const addend of item.addends) {
            // The assembler keeps the addend modulo the word, as a signed RELA addend.
            relocations.push({
              offset: at,
              symbol: item.symbol,
              type: target.pointerRelocType,
              addend: BigInt.asIntN(wordSize * 8, addend),
            });
            at += wordSize;
          }
          break;
      }
    }
  });

  return {
    elfClass: target.elfClass,
    endian: target.endian,
    machine: target.machine,
    eFlags: target.eFlags,
    section: { name: '.rodata', align: program.tables.length ? wordSize : 1, data },
    labels,
    relocations,
  };
}
