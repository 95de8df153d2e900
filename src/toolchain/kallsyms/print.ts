/**
 * The program as the kernel tool prints it: assembler source for the C
 * preprocessor, where PTR and ALGN follow the word size.
 */
import { bytesToByteString } from './bytes.ts';
import type { DataItem, KallsymsProgram } from './program.ts';

export const ASM_PROLOGUE =
  '#include <asm/bitsperlong.h>\n' +
  '#if BITS_PER_LONG == 64\n' +
  '#define PTR .quad\n' +
  '#define ALGN .balign 8\n' +
  '#else\n' +
  '#define PTR .long\n' +
  '#define ALGN .balign 4\n' +
  '#endif\n' +
  '\t.section .rodata, "a"\n';

/** C's `%#x`: `0` for zero, else `0x` and lowercase hex. */
export function formatAltHex(value: number | bigint): string {
  return value === 0 || value === 0n ? '0' : '0x' + value.toString(16);
}

const hex2 = (byte: number): string => '0x' + byte.toString(16).padStart(2, '0');

function printItem(item: DataItem, out: string[]): void {
  switch (item.kind) {
    case 'long': {
      const { values, comments } = item;
      for (let i = 0; i < values.length; i++) {
        const v = item.style === 'hex' ? formatAltHex(values[i]) : String(values[i]);
        out.push(comments ? `\t.long\t${v}\t/* ${comments[i]} */\n` : `\t.long\t${v}\n`);
      }
      break;
    }
    case 'short':
      for (let i = 0; i < item.values.length; i++) out.push(`\t.short\t${item.values[i]}\n`);
      break;
    case 'bytes': {
      const { lines, comments } = item;
      for (let i = 0; i < lines.length; i++) {
        const bytes = Array.from(lines[i], hex2).join(', ');
        out.push(comments ? `\t.byte ${bytes}\t/* ${comments[i]} */\n` : `\t.byte ${bytes}\n`);
      }
      break;
    }
    case 'asciz':
      for (const s of item.strings) out.push(`\t.asciz\t"${bytesToByteString(s)}"\n`);
      break;
    case 'ptr':
      for (const addend of item.addends) {
        const sign = addend < 0n ? '-' : '+';
        const magnitude = addend < 0n ? -addend : addend;
        out.push(`\tPTR\t${item.symbol} ${sign} ${formatAltHex(magnitude)}\n`);
      }
      break;
  }
}

/** The assembler text, as a byte string (plain text for ASCII names). */
export function printProgram(program: KallsymsProgram): string {
  const out: string[] = [ASM_PROLOGUE];
  for (const table of program.tables) {
    out.push(`.globl ${table.label}\n\tALGN\n${table.label}:\n`);
    for (const item of table.items) printItem(item, out);
    out.push('\n');
  }
  return out.join('');
}
