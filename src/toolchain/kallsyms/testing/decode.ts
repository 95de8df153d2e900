/**
 * Test support: read a laid-out table back the way the kernel does at run
 * time (kallsyms_expand_symbol and friends), from the section bytes alone.
 */
import type { RelocatableObjectSpec } from '../../elf/object-spec.ts';

export interface DecodedTable {
  /** Type char + name of each symbol, expanded through the token table. */
  entries: string[];
  /** Each symbol's address, given `_text`'s. */
  addresses: bigint[];
  markers: number[];
  /** latest: kallsyms_seqs_of_names. */
  seqs: number[] | null;
}

export function decodeTable(
  spec: RelocatableObjectSpec,
  generation: 'v5.8' | 'v5.9' | 'latest',
  textAddr: bigint,
): DecodedTable {
  const data = spec.section.data;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const little = spec.endian === 'little';
  const wordBits = spec.elfClass;
  const at = (label: string): number | undefined =>
    spec.labels.find((l) => l.name === label)?.offset;
  const need = (label: string): number => {
    const offset = at(label);
    if (offset === undefined) throw new Error(`no ${label}`);
    return offset;
  };
  const u32 = (offset: number): number => view.getUint32(offset, little);
  const u16 = (offset: number): number => view.getUint16(offset, little);
  const pointer = (offset: number): bigint => {
    const reloc = spec.relocations.find((r) => r.offset === offset);
    if (!reloc || reloc.symbol !== '_text') throw new Error(`no _text relocation at ${offset}`);
    // The bytes are zero (RELA): the value is _text + addend, in a word.
    for (let i = 0; i < wordBits / 8; i++) if (data[offset + i] !== 0) throw new Error('not RELA');
    return BigInt.asUintN(wordBits, textAddr + reloc.addend);
  };

  const count = u32(need('kallsyms_num_syms'));
  const names = need('kallsyms_names');
  const tokenTable = need('kallsyms_token_table');
  const tokenIndex = need('kallsyms_token_index');
  const token = (b: number): string => {
    let p = tokenTable + u16(tokenIndex + 2 * b);
    let s = '';
    while (data[p] !== 0) s += String.fromCharCode(data[p++]);
    return s;
  };

  const entries: string[] = [];
  const starts: number[] = [];
  let p = names;
  for (let i = 0; i < count; i++) {
    starts.push(p - names);
    let len = data[p++];
    if (generation === 'latest' && len & 0x80) len = (len & 0x7f) | (data[p++] << 7);
    let entry = '';
    for (let k = 0; k < len; k++) entry += token(data[p++]);
    entries.push(entry);
  }

  const markerAt = need('kallsyms_markers');
  const markers = Array.from({ length: Math.ceil(count / 256) }, (_, k) => u32(markerAt + 4 * k));
  expectEqualMarkers(markers, starts);

  let addresses: bigint[];
  const absolute = at('kallsyms_addresses');
  if (absolute !== undefined) {
    addresses = Array.from({ length: count }, (_, i) => pointer(absolute + (i * wordBits) / 8));
  } else {
    const base = pointer(need('kallsyms_relative_base'));
    const offsets = need('kallsyms_offsets');
    addresses = Array.from({ length: count }, (_, i) =>
      BigInt.asUintN(wordBits, base + BigInt(u32(offsets + 4 * i))),
    );
  }

  const seqsAt = at('kallsyms_seqs_of_names');
  const seqs =
    seqsAt === undefined
      ? null
      : Array.from({ length: count }, (_, i) => {
          const q = seqsAt + 3 * i;
          return (data[q] << 16) | (data[q + 1] << 8) | data[q + 2];
        });
  return { entries, addresses, markers, seqs };
}

function expectEqualMarkers(markers: number[], starts: number[]): void {
  markers.forEach((m, k) => {
    if (m !== starts[256 * k]) {
      throw new Error(`marker ${k} is ${m}, but symbol ${256 * k} starts at ${starts[256 * k]}`);
    }
  });
}
