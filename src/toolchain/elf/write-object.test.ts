import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS, type Target } from '../arch/targets.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import type { RelocatableObjectSpec } from './object-spec.ts';
import { readElf } from './read-elf.ts';
import { compileObject, requireClang16 } from './testing/clang16.ts';
import { writeRelocatableObject } from './write-object.ts';

/**
 * The table object must be the object clang-16 makes of the same assembler
 * source, because the kernel's link loop compares that object's file size.
 * Each spec here is written twice by the test: as a RelocatableObjectSpec
 * and as the `.S` text the kernel would assemble; clang-16 is the judge.
 */

const toolchain = createWasmToolchain();
const decode = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const FIXTURES = join(import.meta.dirname, '../../../../shared/fixtures/kallsyms');

type Item =
  | { long: number }
  | { short: number }
  | { bytes: number[] }
  | { asciz: string }
  /** `PTR _text + addend` (or `- -addend`) */
  | { ptr: bigint };

interface Table {
  name: string;
  align: number;
  items: Item[];
}

const hex = (value: bigint | number): string =>
  value === 0 || value === 0n ? '0' : `0x${value.toString(16)}`;

/** Lays the tables out as an assembler would, giving the spec and the `.S` text side by side. */
function build(target: Target, tables: Table[]): { spec: RelocatableObjectSpec; source: string } {
  const bytes: number[] = [];
  const labels: RelocatableObjectSpec['labels'] = [];
  const relocations: RelocatableObjectSpec['relocations'] = [];
  const little = target.endian === 'little';
  const push = (value: number, size: number): void => {
    const le: number[] = [];
    for (let i = 0; i < size; i++) le.push((value >>> (8 * i)) & 0xff);
    bytes.push(...(little ? le : le.reverse()));
  };
  const ptr = target.wordSize === 8 ? '.quad' : '.long';
  const lines = ['\t.section .rodata, "a"'];
  let maxAlign = 1;
  for (const table of tables) {
    lines.push(`.globl ${table.name}`, `\t.balign ${table.align}`, `${table.name}:`);
    maxAlign = Math.max(maxAlign, table.align);
    while (bytes.length % table.align) bytes.push(0);
    labels.push({ name: table.name, offset: bytes.length });
    for (const item of table.items) {
      if ('long' in item) {
        lines.push(`\t.long\t${hex(item.long)}`);
        push(item.long, 4);
      } else if ('short' in item) {
        lines.push(`\t.short\t${item.short}`);
        push(item.short, 2);
      } else if ('bytes' in item) {
        lines.push(`\t.byte ${item.bytes.map(hex).join(', ')}`);
        bytes.push(...item.bytes);
      } else if ('asciz' in item) {
        lines.push(`\t.asciz\t"${item.asciz}"`);
        bytes.push(...new TextEncoder().encode(item.asciz), 0);
      } else {
        const sign = item.ptr < 0n ? '-' : '+';
        lines.push(`\t${ptr}\t_text ${sign} ${hex(item.ptr < 0n ? -item.ptr : item.ptr)}`);
        relocations.push({
          offset: bytes.length,
          symbol: '_text',
          type: target.pointerRelocType,
          addend: item.ptr,
        });
        for (let i = 0; i < target.wordSize; i++) bytes.push(0);
      }
    }
    lines.push('');
  }
  return {
    spec: {
      elfClass: target.elfClass,
      endian: target.endian,
      machine: target.machine,
      eFlags: target.eFlags,
      section: { name: '.rodata', align: maxAlign, data: Uint8Array.from(bytes) },
      labels,
      relocations,
    },
    source: `${lines.join('\n')}\n`,
  };
}

/**
 * A minimal assembler for the kernel tool's own output (the fixtures):
 * `.globl`, `ALGN`, labels, `.byte`, `.short`, `.long`, `.asciz`, `PTR`.
 */
function specOfKallsymsSource(target: Target, text: string): RelocatableObjectSpec {
  const tables: Table[] = [];
  let current: Table | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\/\*.*\*\//, '').trim();
    if (
      line === '' ||
      line.startsWith('#') ||
      line.startsWith('.section') ||
      line.startsWith('.globl')
    )
      continue;
    let m: RegExpMatchArray | null;
    if (line === 'ALGN') continue;
    if ((m = line.match(/^(\w+):$/))) {
      current = { name: m[1], align: target.wordSize, items: [] };
      tables.push(current);
    } else if (!current) {
      throw new Error(`data before any label: ${raw}`);
    } else if ((m = line.match(/^\.byte (.*)$/))) {
      current.items.push({ bytes: m[1].split(',').map((b) => Number(b.trim())) });
    } else if ((m = line.match(/^\.short\s+(\S+)$/))) {
      current.items.push({ short: Number(m[1]) });
    } else if ((m = line.match(/^\.long\s+(\S+)$/))) {
      current.items.push({ long: Number(m[1]) });
    } else if ((m = line.match(/^\.asciz\s+"([^"\\]*)"$/))) {
      current.items.push({ asciz: m[1] });
    } else if ((m = line.match(/^PTR\s+_text ([+-]) (\S+)$/))) {
      current.items.push({ ptr: BigInt(m[2]) * (m[1] === '-' ? -1n : 1n) });
    } else {
      throw new Error(`unexpected line in a kallsyms source: ${raw}`);
    }
  }
  return build(target, tables).spec;
}

/** The kernel's source as its build assembles it: `<asm/bitsperlong.h>` gives BITS_PER_LONG. */
function kernelSource(target: Target, text: string): string {
  return text.replace(
    '#include <asm/bitsperlong.h>',
    `#define BITS_PER_LONG ${target.wordSize * 8}`,
  );
}

/**
 * clang-16 leaves e_flags 0 on ppc64 unless the source says `.abiversion 2`
 * (the kernel's .S does not, and the targets ask for 0); should a target ask
 * for ELFv2's 2, the directive makes clang's object comparable byte for byte.
 */
function withAbiVersion(target: Target, source: string): string {
  return target.eFlags === 2 ? `\t.abiversion 2\n${source}` : source;
}

function firstDifference(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) if (a[i] !== b[i]) return i;
  return -1;
}

async function readelf(args: string[], bytes: Uint8Array): Promise<string> {
  return decode((await toolchain.run('llvm-readelf', [...args, 'x.o'], { 'x.o': bytes })).stdout);
}

const SMALL_TABLES = (target: Target): Table[] => {
  const w = target.wordSize;
  return [
    {
      name: 'kallsyms_addresses',
      align: w,
      items: [{ ptr: 0n }, { ptr: 0x40n }, { ptr: -0x10n }, { ptr: 0x7fff_fff0n }],
    },
    { name: 'kallsyms_num_syms', align: w, items: [{ long: 5 }] },
    { name: 'odd_bytes', align: 1, items: [{ bytes: [1, 2, 3] }] },
    {
      name: 'kallsyms_token_index',
      align: 2,
      items: [{ short: 0 }, { short: 3 }, { short: 0x1234 }],
    },
    { name: 'wide_aligned', align: 16, items: [{ asciz: 'abc' }, { asciz: '' }] },
    { name: 'kallsyms_relative_base', align: w, items: [{ ptr: -0x1000n }] },
    // An empty table at the very end: its label is the section's size.
    { name: 'empty_at_end', align: 8, items: [] },
  ];
};

describe.each(ARCH_IDS.map((id) => TARGETS[id]))('the $id table object', (target) => {
  beforeAll(() => requireClang16());

  it('is byte-identical to clang-16 for labels of several alignments and relocations with ± addends', async () => {
    const { spec, source } = build(target, SMALL_TABLES(target));
    const ours = writeRelocatableObject(spec);
    const clang = compileObject(target.clangTriple, 'table.S', withAbiVersion(target, source));
    expect(ours.length).toBe(clang.length);
    expect(firstDifference(ours, clang)).toBe(-1);
    // The same, as LLVM reads it.
    for (const args of [['-s'], ['-r'], ['-S', '--wide'], ['-h'], ['-x', '.rodata']]) {
      expect(await readelf(args, ours)).toBe(await readelf(args, clang));
    }
  });

  it('has the size (and, but for e_flags, the bytes) of clang-16 on the source without .abiversion', () => {
    const { spec, source } = build(target, SMALL_TABLES(target));
    const ours = writeRelocatableObject(spec);
    const clang = compileObject(target.clangTriple, 'table.S', source);
    expect(ours.length).toBe(clang.length);
    const flagsAt = target.elfClass === 64 ? 48 : 36;
    const differing = [...ours.keys()].filter((i) => ours[i] !== clang[i]);
    expect(differing.every((i) => i >= flagsAt && i < flagsAt + 4)).toBe(true);
    expect(readElf(clang).header.flags).toBe(0);
    expect(readElf(ours).header.flags).toBe(target.eFlags);
  });

  it('is byte-identical to clang-16 without relocations, and with one label only', () => {
    for (const tables of [
      [
        { name: 'kallsyms_num_syms', align: 4, items: [{ long: 0 }] },
        { name: 'kallsyms_names', align: 8, items: [{ bytes: [0x01, 0x91, 0x02] }] },
      ],
      [{ name: 'just_one', align: 1, items: [] }],
      [{ name: 'a_long_label_name_that_shares_no_suffix', align: 4, items: [{ ptr: 8n }] }],
    ] satisfies Table[][]) {
      const { spec, source } = build(target, tables);
      const ours = writeRelocatableObject(spec);
      const clang = compileObject(target.clangTriple, 'table.S', withAbiVersion(target, source));
      expect({ tables, at: firstDifference(ours, clang) }).toEqual({ tables, at: -1 });
    }
  });

  it('is byte-identical to clang-16 on every kernel kallsyms fixture', () => {
    const fixtures = readdirSync(FIXTURES).filter((f) => f.endsWith('.S'));
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
    for (const fixture of fixtures) {
      const text = kernelSource(target, readFileSync(join(FIXTURES, fixture), 'utf8'));
      const ours = writeRelocatableObject(specOfKallsymsSource(target, text));
      const clang = compileObject(target.clangTriple, 'kallsyms.S', withAbiVersion(target, text));
      expect({ fixture, size: ours.length, at: firstDifference(ours, clang) }).toEqual({
        fixture,
        size: clang.length,
        at: -1,
      });
      // And the kernel's unmodified source gives the same file size.
      expect(compileObject(target.clangTriple, 'kallsyms.S', text).length).toBe(ours.length);
    }
  });

  it('with noteGnuStack, is byte-identical to clang-16 -Wa,--noexecstack', () => {
    const { spec, source } = build(target, SMALL_TABLES(target));
    const ours = writeRelocatableObject(spec, { noteGnuStack: true });
    const clang = compileObject(target.clangTriple, 'table.S', withAbiVersion(target, source), [
      '-Wa,--noexecstack',
    ]);
    expect(readElf(clang).section('.note.GNU-stack')).toBeDefined();
    expect(ours.length).toBe(clang.length);
    expect(firstDifference(ours, clang)).toBe(-1);
  });

  it('links with ld.lld into an image where each pointer is _text + addend', async () => {
    const { spec } = build(target, SMALL_TABLES(target));
    const textAddress = target.elfClass === 64 ? 0xc000000000000000n : 0xc0000000n;
    const script = `SECTIONS {
      . = ${hex(textAddress)};
      _text = .;
      .text : { *(.text) }
      . = ALIGN(0x10000);
      .rodata : { *(.rodata) }
    }`;
    const result = await toolchain.run('ld.lld', ['-T', 'x.lds', 'table.o', '-o', 'out'], {
      'table.o': writeRelocatableObject(spec),
      'x.lds': script,
    });
    const image = readElf(result.files.out);
    const symbols = image.symbolTable();
    if (!symbols) throw new Error('no .symtab in the image');
    expect(symbols.find('_text')?.value).toBe(textAddress);
    const rodata = image.section('.rodata');
    if (!rodata) throw new Error('no .rodata in the image');
    for (const label of spec.labels) {
      expect([label.name, symbols.find(label.name)?.value]).toEqual([
        label.name,
        rodata.addr + BigInt(label.offset),
      ]);
    }
    const bits = BigInt(target.wordSize * 8);
    expect(spec.relocations.length).toBe(5);
    for (const relocation of spec.relocations) {
      const pointer = image.readUnsignedAt(
        rodata.addr + BigInt(relocation.offset),
        target.wordSize,
      );
      expect(pointer).toBe(BigInt.asUintN(Number(bits), textAddress + relocation.addend));
    }
  });
});

describe('writeRelocatableObject refuses specs it cannot write', () => {
  const target = TARGETS.ppc64le;
  const base = (): RelocatableObjectSpec => build(target, SMALL_TABLES(target)).spec;

  const cases: Array<[string, (s: RelocatableObjectSpec) => unknown, RegExp]> = [
    [
      'an alignment that is not a power of two',
      (s: RelocatableObjectSpec): unknown => (s.section.align = 6),
      /power of two/,
    ],
    [
      'a label past the end',
      (s: RelocatableObjectSpec): unknown => s.labels.push({ name: 'x', offset: 1e6 }),
      /outside the section/,
    ],
    [
      'a label defined twice',
      (s: RelocatableObjectSpec): unknown => s.labels.push({ ...s.labels[0] }),
      /defined twice/,
    ],
    [
      'a relocation past the end',
      (s: RelocatableObjectSpec): unknown =>
        s.relocations.push({ ...s.relocations[0], offset: 1e6 }),
      /outside the section/,
    ],
    [
      'an addend beyond 64 bits',
      (s: RelocatableObjectSpec): unknown =>
        s.relocations.push({ ...s.relocations[0], addend: 1n << 64n }),
      /does not fit 64 bits/,
    ],
    [
      'a reserved section name',
      (s: RelocatableObjectSpec): unknown => (s.section.name = '.symtab'),
      /section name/,
    ],
  ];
  it.each(cases)('%s', (_, damage, message) => {
    const spec = base();
    damage(spec);
    expect(() => writeRelocatableObject(spec)).toThrow(message);
  });
});
