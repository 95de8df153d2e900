import type { ByteSource } from './byte-source.ts';
import { ElfFormatError, hex } from './errors.ts';
import type { ElfHeader } from './header.ts';

/** One program header. */
export interface ElfSegment {
  index: number;
  /** p_type: PT_LOAD (1), PT_DYNAMIC (2), PT_NOTE (4), PT_GNU_STACK, … */
  type: number;
  /** p_flags: PF_X (1) | PF_W (2) | PF_R (4). */
  flags: number;
  /** p_offset */
  offset: number;
  vaddr: bigint;
  paddr: bigint;
  /** p_filesz, bytes of the file mapped (fits a number: checked against the file). */
  filesz: number;
  memsz: bigint;
  align: bigint;
}

/** Reads the program header table (`phnum` already resolved for PN_XNUM). */
export function parseSegments(source: ByteSource, header: ElfHeader, phnum: number): ElfSegment[] {
  if (phnum === 0 || header.phoff === 0) return [];
  const stride = header.phentsize;
  source.checkRange(header.phoff, phnum * stride, `program header table of ${phnum} entries`, 0);
  const segments: ElfSegment[] = new Array(phnum);
  for (let i = 0; i < phnum; i++) {
    const at = header.phoff + i * stride;
    let segment: ElfSegment;
    if (source.is64) {
      // type 0, flags 4, offset 8, vaddr 16, paddr 24, filesz 32, memsz 40, align 48
      segment = {
        index: i,
        type: source.u32(at),
        flags: source.u32(at + 4),
        offset: source.fileWord(at + 8, `p_offset of program header ${i}`),
        vaddr: source.u64(at + 16),
        paddr: source.u64(at + 24),
        filesz: source.fileWord(at + 32, `p_filesz of program header ${i}`),
        memsz: source.u64(at + 40),
        align: source.u64(at + 48),
      };
    } else {
      // type 0, offset 4, vaddr 8, paddr 12, filesz 16, memsz 20, flags 24, align 28
      segment = {
        index: i,
        type: source.u32(at),
        offset: source.u32(at + 4),
        vaddr: BigInt(source.u32(at + 8)),
        paddr: BigInt(source.u32(at + 12)),
        filesz: source.u32(at + 16),
        memsz: BigInt(source.u32(at + 20)),
        flags: source.u32(at + 24),
        align: BigInt(source.u32(at + 28)),
      };
    }
    if (segment.filesz > 0) {
      source.checkRange(segment.offset, segment.filesz, `program header ${i}`, at);
    }
    if (BigInt(segment.filesz) > segment.memsz) {
      throw new ElfFormatError(
        `program header ${i}: p_filesz ${hex(segment.filesz)} exceeds p_memsz ${hex(segment.memsz)}`,
        at,
      );
    }
    segments[i] = segment;
  }
  return segments;
}
