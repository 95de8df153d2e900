/**
 * The program as the kernel tool prints it: assembler source for the C
 * preprocessor, where PTR and ALGN follow the word size.
 */
import type { ByteLines } from './byte-lines.ts';
import type { DataItem, KallsymsProgram } from './program.ts';
import { TextWriter } from './text-writer.ts';

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

/** `\t/* <comment> *\/` and the newline. */
function endLine(out: TextWriter, comments: ByteLines | undefined, i: number): void {
  if (comments) {
    out
      .text('\t/* ')
      .bytes(comments.data, comments.starts[i], comments.starts[i + 1])
      .text(' */\n');
  } else {
    out.text('\n');
  }
}

function printItem(item: DataItem, out: TextWriter): void {
  switch (item.kind) {
    case 'long':
      for (let i = 0; i < item.values.length; i++) {
        out.text('\t.long\t');
        if (item.style === 'hex') out.altHex(item.values[i]);
        else out.decimal(item.values[i]);
        endLine(out, item.comments, i);
      }
      break;
    case 'short':
      for (let i = 0; i < item.values.length; i++)
        out.text('\t.short\t').decimal(item.values[i]).text('\n');
      break;
    case 'bytes': {
      const { data, starts } = item.lines;
      const order = item.commentOrder;
      for (let i = 0; i + 1 < starts.length; i++) {
        out.text('\t.byte ').hexBytes(data, starts[i], starts[i + 1]);
        endLine(out, item.comments, order ? order[i] : i);
      }
      break;
    }
    case 'asciz':
      for (const s of item.strings) out.text('\t.asciz\t"').bytes(s).text('"\n');
      break;
    case 'ptr':
      for (const addend of item.addends) {
        const sign = addend < 0n ? '-' : '+';
        const magnitude = addend < 0n ? -addend : addend;
        out.text(`\tPTR\t${item.symbol} ${sign} ${formatAltHex(magnitude)}\n`);
      }
      break;
  }
}

/** The assembler text, as a byte string (plain text for ASCII names). */
export function printProgram(program: KallsymsProgram): string {
  const out = new TextWriter();
  out.text(ASM_PROLOGUE);
  for (const table of program.tables) {
    out.text(`.globl ${table.label}\n\tALGN\n${table.label}:\n`);
    for (const item of table.items) printItem(item, out);
    out.text('\n');
  }
  return out.toByteString();
}
