import { beforeAll, describe, expect, it } from 'vitest';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import {
  SHN_ABS,
  SHN_COMMON,
  SHN_UNDEF,
  SHT_DYNSYM,
  SHT_SYMTAB,
  STT_SECTION,
  symbolBindName,
  symbolTypeName,
  symbolVisibilityName,
} from './constants.ts';
import { readElf, type ElfFile } from './read-elf.ts';
import { compileObject, requireClang16 } from './testing/clang16.ts';
import { parseHexDump, parseNm, parseReadelf } from './testing/readelf-text.ts';

/**
 * The reader is checked against LLVM's own view of real files: objects that
 * clang-16 compiles and assembles for each PowerPC flavour, and images and
 * shared objects that the WebAssembly ld.lld links from them, as
 * `llvm-readelf` and `llvm-nm` (WebAssembly builds) print them.
 */

const toolchain = createWasmToolchain();
const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

const TARGETS: ReadonlyArray<{
  triple: string;
  elfClass: 32 | 64;
  endian: 'little' | 'big';
  abi: string[];
}> = [
  { triple: 'powerpc64le-linux-gnu', elfClass: 64, endian: 'little', abi: [] },
  // clang-16 defaults to ELFv1 on big-endian ppc64; the kernel (and the corpus) use ELFv2.
  { triple: 'powerpc64-linux-gnu', elfClass: 64, endian: 'big', abi: ['-mabi=elfv2'] },
  { triple: 'powerpc-linux-gnu', elfClass: 32, endian: 'big', abi: [] },
  // Not a kernel target: the fourth class/byte-order combination, ELF32 little-endian.
  { triple: 'powerpcle-linux-gnu', elfClass: 32, endian: 'little', abi: [] },
];

const C_SOURCE = `
extern int printk(const char *fmt, ...);
int counter = 3;
static int hidden_counter;
__attribute__((visibility("hidden"))) int hidden_value = 7;
__attribute__((weak)) void weak_hook(void) {}
const char message[] = "hello";
int table[64];
void (*handlers[2])(void) = { weak_hook, 0 };
__thread int tls_var;
static __attribute__((noinline)) int helper(int x) { return x * counter + hidden_counter++ + tls_var; }
int core_fn(int x) { return helper(x) + printk(message, x); }
__attribute__((section(".init.text"))) int init_fn(int x) { return core_fn(x) + 1; }
`;

const PRINTK_SOURCE = 'int printk(const char *fmt, ...) { return fmt[0]; }\n';

const asmSource = (ptr: string): string => `
	.text
	.globl	entry
	.type	entry,@function
entry:
	nop
	bl	far_away
	nop
	blr
	.size	entry, .-entry
	.local	local_fn
	.type	local_fn,@function
local_fn:
	blr
	.weak	weak_sym
weak_sym:
	.globl	hidden_sym
	.hidden	hidden_sym
hidden_sym:
	.globl	prot_sym
	.protected prot_sym
prot_sym:
	.section .data.rel,"aw"
	.balign	8
	.globl	ptrs
	.type	ptrs,@object
ptrs:
	${ptr}	far_away - 8
	${ptr}	local_fn + 4
	${ptr}	entry
	.size	ptrs, .-ptrs
	.comm	common_sym,16,8
	.globl	abs_sym
	.set	abs_sym, 0x1234
	.section .note.test,"",@note
	.long	4
	.section .rodata.str,"aMS",@progbits,1
	.asciz	"abc"
	.section .tdata,"awT",@progbits
	.globl	tvar
	.type	tvar,@object
tvar:
	.long	1
`;

// Two load segments 64 MiB apart, so that calls from .init.text to core
// text are out of `bl` range and ld.lld adds thunks.
const LINKER_SCRIPT = `
ENTRY(core_fn)
PHDRS { text PT_LOAD FLAGS(5); data PT_LOAD FLAGS(6); tls PT_TLS; init PT_LOAD FLAGS(7); }
SECTIONS {
  . = 0x10000000;
  _text = .;
  .text : { *(.text .text.*) } :text
  .rodata : { *(.rodata .rodata.*) } :text
  .data : { *(.data .data.*) } :data
  .tbss : { *(.tbss) } :data :tls
  .bss : { *(.bss .bss.*) } :data
  . = 0x10000000 + 0x4000000;
  .init.text : { *(.init.text) } :init
}
`;

const SECTION_TYPES: Record<number, string> = {
  0: 'NULL',
  1: 'PROGBITS',
  2: 'SYMTAB',
  3: 'STRTAB',
  4: 'RELA',
  5: 'HASH',
  6: 'DYNAMIC',
  7: 'NOTE',
  8: 'NOBITS',
  9: 'REL',
  11: 'DYNSYM',
  14: 'INIT_ARRAY',
  15: 'FINI_ARRAY',
  16: 'PREINIT_ARRAY',
  17: 'GROUP',
  18: 'SYMTAB SECTION INDICES',
  0x6fff4c03: 'LLVM_ADDRSIG',
  0x6ffffff6: 'GNU_HASH',
  0x6ffffffd: 'VERDEF',
  0x6ffffffe: 'VERNEED',
  0x6fffffff: 'VERSYM',
};

const SECTION_FLAGS: Array<[number, string]> = [
  [0x1, 'W'],
  [0x2, 'A'],
  [0x4, 'X'],
  [0x10, 'M'],
  [0x20, 'S'],
  [0x40, 'I'],
  [0x80, 'L'],
  [0x100, 'O'],
  [0x200, 'G'],
  [0x400, 'T'],
  [0x800, 'C'],
  [0x200000, 'R'],
  [0x80000000, 'E'],
];

const SEGMENT_TYPES: Record<number, string> = {
  0: 'NULL',
  1: 'LOAD',
  2: 'DYNAMIC',
  3: 'INTERP',
  4: 'NOTE',
  6: 'PHDR',
  7: 'TLS',
  0x6474e550: 'GNU_EH_FRAME',
  0x6474e551: 'GNU_STACK',
  0x6474e552: 'GNU_RELRO',
};

const sortLetters = (s: string): string => [...s].sort().join('');

function flagLetters(flags: bigint): string {
  let out = '';
  for (const [bit, letter] of SECTION_FLAGS) if ((flags & BigInt(bit)) !== 0n) out += letter;
  return sortLetters(out);
}

function ndxText(index: number): string {
  if (index === SHN_UNDEF) return 'UND';
  if (index === SHN_ABS) return 'ABS';
  if (index === SHN_COMMON) return 'COM';
  return String(index);
}

/** What llvm-readelf and llvm-nm call a symbol: section symbols take their section's name. */
function displayName(elf: ElfFile, name: string, type: number, sectionIndex: number): string {
  return type === STT_SECTION && name === '' ? elf.sections[sectionIndex].name : name;
}

async function expectMatchesReadelf(bytes: Uint8Array): Promise<ElfFile> {
  const elf = readElf(bytes);
  const result = await toolchain.run('llvm-readelf', ['-S', '-l', '-s', '-r', '--wide', 'x'], {
    x: bytes,
  });
  const theirs = parseReadelf(text(result.stdout));

  expect(elf.sections.length).toBe(theirs.sectionCount);
  expect(
    elf.sections.map((s) => ({
      index: s.index,
      name: s.name,
      type: SECTION_TYPES[s.type] ?? `unknown ${s.type}`,
      address: s.addr,
      offset: s.offset,
      size: s.size,
      entsize: s.entsize,
      flags: flagLetters(s.flags),
      link: s.link,
      info: s.info,
      align: s.addralign,
    })),
  ).toEqual(theirs.sections.map((s) => ({ ...s, flags: sortLetters(s.flags) })));

  expect(
    elf.segments.map((p) => ({
      type: SEGMENT_TYPES[p.type] ?? `unknown ${p.type}`,
      offset: p.offset,
      vaddr: p.vaddr,
      paddr: p.paddr,
      filesz: p.filesz,
      memsz: p.memsz,
      flags: `${p.flags & 4 ? 'R' : ' '}${p.flags & 2 ? 'W' : ' '}${p.flags & 1 ? 'E' : ' '}`,
      align: p.align,
    })),
  ).toEqual(theirs.segments);

  const tables = elf.sections.filter((s) => s.type === SHT_SYMTAB || s.type === SHT_DYNSYM);
  expect(tables.map((s) => s.name).sort()).toEqual([...theirs.symbolTables.keys()].sort());
  for (const section of tables) {
    const table = elf.symbolTableAt(section.index);
    expect(
      table.toArray().map((s) => ({
        index: s.index,
        value: s.value,
        size: s.size,
        type: symbolTypeName(s.type),
        bind: symbolBindName(s.bind),
        visibility: symbolVisibilityName(s.visibility),
        otherBits: s.other & ~3,
        ndx: ndxText(s.sectionIndex),
        name: displayName(elf, s.name, s.type, s.sectionIndex),
      })),
    ).toEqual(theirs.symbolTables.get(section.name));
  }

  const relocationTables = elf.relocationTables();
  expect(relocationTables.map((t) => t.section.name).sort()).toEqual(
    [...theirs.relocationSections.keys()].sort(),
  );
  for (const table of relocationTables) {
    const symbols = table.symbolTableIndex ? elf.symbolTableAt(table.symbolTableIndex) : undefined;
    const shift = elf.elfClass === 64 ? 32n : 8n;
    expect(
      table.toArray().map((r) => {
        const symbol = r.symbolIndex && symbols ? symbols.at(r.symbolIndex) : undefined;
        return {
          offset: r.offset,
          info: (BigInt(r.symbolIndex) << shift) | BigInt(r.type),
          symbolName: symbol && displayName(elf, symbol.name, symbol.type, symbol.sectionIndex),
          addend: table.isRela ? r.addend : undefined,
        };
      }),
    ).toEqual(
      theirs.relocationSections
        .get(table.section.name)
        ?.map(({ offset, info, symbolName, addend }) => ({ offset, info, symbolName, addend })),
    );
  }
  return elf;
}

async function expectMatchesNm(bytes: Uint8Array, dynamic = false): Promise<void> {
  const elf = readElf(bytes);
  const result = await toolchain.run(
    'llvm-nm',
    dynamic ? ['-D', '--no-sort', 'x'] : ['-a', '--no-sort', 'x'],
    { x: bytes },
  );
  const table = dynamic ? elf.dynamicSymbolTable() : elf.symbolTable();
  if (!table) throw new Error('no symbol table');
  const ours = table
    .toArray()
    .slice(1)
    .map((s) => ({
      // nm shows no value for undefined symbols, and the size for common ones.
      value:
        s.sectionIndex === SHN_UNDEF ? undefined : s.sectionIndex === SHN_COMMON ? s.size : s.value,
      name: displayName(elf, s.name, s.type, s.sectionIndex),
    }));
  expect(ours).toEqual(parseNm(text(result.stdout)).map(({ value, name }) => ({ value, name })));
}

describe.each(TARGETS)('reading $triple files', (target) => {
  const pointer = target.elfClass === 64 ? '.quad' : '.long';
  const thunk = target.elfClass === 64 ? '__long_branch_printk' : '__LongThunk_printk';
  const files: Record<string, Uint8Array> = {};

  beforeAll(async () => {
    requireClang16();
    const flags = ['-O2', ...target.abi];
    files.c = compileObject(target.triple, 'a.c', C_SOURCE, flags);
    files.pic = compileObject(target.triple, 'a.c', C_SOURCE, [...flags, '-fPIC']);
    files.printk = compileObject(target.triple, 'b.c', PRINTK_SOURCE, flags);
    files.asm = compileObject(target.triple, 'x.S', asmSource(pointer), target.abi);
    const image = await toolchain.run(
      'ld.lld',
      ['-T', 'x.lds', '--emit-relocs', 'a.o', 'b.o', '-o', 'out'],
      { 'a.o': files.c, 'b.o': files.printk, 'x.lds': LINKER_SCRIPT },
    );
    files.image = image.files.out;
    const shared = await toolchain.run('ld.lld', ['-shared', 'a.o', '-o', 'out'], {
      'a.o': files.pic,
    });
    files.shared = shared.files.out;
  });

  it('reads the header of each file', () => {
    for (const [name, bytes] of Object.entries(files)) {
      const elf = readElf(bytes);
      expect({ name, elfClass: elf.elfClass, endian: elf.endian }).toEqual({
        name,
        elfClass: target.elfClass,
        endian: target.endian,
      });
      expect(elf.header.machine).toBe(target.elfClass === 64 ? 21 : 20);
      expect(elf.header.type).toBe(name === 'image' ? 2 : name === 'shared' ? 3 : 1);
    }
  });

  it.each(['c', 'asm', 'printk'])(
    'reads the %s object as llvm-readelf and llvm-nm do',
    async (name) => {
      await expectMatchesReadelf(files[name]);
      await expectMatchesNm(files[name]);
    },
  );

  it('reads a linked image (with thunks and --emit-relocs) as llvm-readelf and llvm-nm do', async () => {
    const elf = await expectMatchesReadelf(files.image);
    await expectMatchesNm(files.image);
    expect(elf.segments.filter((p) => p.type === 1)).toHaveLength(3);
    expect(elf.symbolTable()?.find(thunk)).toBeDefined();
  });

  it('reads a shared object (.dynsym, .rela.dyn, PT_DYNAMIC) as llvm-readelf and llvm-nm -D do', async () => {
    const elf = await expectMatchesReadelf(files.shared);
    await expectMatchesNm(files.shared, true);
    expect(elf.dynamicSymbolTable()?.find('core_fn')).toBeDefined();
    expect(elf.relocationsFor('.rela.dyn')).toEqual([]); // .rela.dyn patches no one section
    expect(elf.relocationTables().some((t) => t.section.name === '.rela.dyn')).toBe(true);
  });

  it('gives section bytes as llvm-readelf -x shows them', async () => {
    for (const [file, section] of [
      ['c', '.rodata'],
      ['c', '.data'],
      ['asm', '.rodata.str'],
      ['image', '.text'],
      ['image', '.init.text'],
    ] as const) {
      const elf = readElf(files[file]);
      const dump = await toolchain.run('llvm-readelf', ['-x', section, 'x'], { x: files[file] });
      expect({ file, section, bytes: elf.sectionBytes(section) }).toEqual({
        file,
        section,
        bytes: parseHexDump(text(dump.stdout)),
      });
    }
    expect(readElf(files.c).sectionBytes('.nonexistent')).toBeUndefined();
    expect(readElf(files.c).sectionBytes('.bss')).toEqual(new Uint8Array(0));
  });

  it('finds the section holding an address, and reads a resolved pointer through it', () => {
    const elf = readElf(files.image);
    const symbols = elf.symbolTable();
    if (!symbols) throw new Error('no .symtab');
    for (const [symbol, section] of [
      ['core_fn', '.text'],
      ['init_fn', '.init.text'],
      ['message', '.rodata'],
      ['counter', '.data'],
      ['table', '.bss'],
      [thunk, '.init.text'],
    ]) {
      const value = symbols.find(symbol)?.value;
      if (value === undefined) throw new Error(`no ${symbol}`);
      expect([symbol, elf.sectionContaining(value)?.name]).toEqual([symbol, section]);
      expect(elf.sectionContaining(value + 1n)?.name).toBe(section);
    }
    const text = elf.section('.text');
    if (!text) throw new Error('no .text');
    expect(elf.sectionContaining(text.addr - 1n)).toBeUndefined();
    expect(elf.sectionContaining(0x12000000n)).toBeUndefined(); // in the gap
    // handlers[0] = weak_hook, resolved by the linker.
    const handlers = symbols.find('handlers')?.value ?? 0n;
    const weakHook = symbols.find('weak_hook')?.value;
    expect(elf.readUnsignedAt(handlers, target.elfClass === 64 ? 8 : 4)).toBe(weakHook);
    expect(elf.readUnsignedAt(symbols.find('table')?.value ?? 0n, 4)).toBe(0n);
  });
});

describe('extended section numbering', () => {
  const manySections = (): string => {
    let source = '';
    for (let i = 0; i < 66000; i++) source += `.section .s${i},"a"\n.byte ${i & 255}\n`;
    return `${source}.globl last_label\nlast_label:\n.byte 1\n`;
  };

  // The WebAssembly llvm-readelf needs 10 to 50 s to print 66k section
  // headers, so LLVM is asked about the header, the symbols and a few
  // sections by name instead.
  it.each(['powerpc-linux-gnu', 'powerpc64le-linux-gnu'])(
    'reads a %s object with more than 65280 sections as llvm-readelf does',
    async (triple) => {
      const bytes = compileObject(triple, 'many.s', manySections());
      const elf = readElf(bytes);
      expect(elf.header.shnum).toBe(0); // the real count is in section 0
      expect(elf.sections.length).toBe(66005);
      const result = await toolchain.run('llvm-readelf', ['-h', '-s', 'x'], { x: bytes });
      const output = text(result.stdout);
      expect(output).toMatch(/Number of section headers:\s+0 \(66005\)/);
      const theirs = parseReadelf(output).symbolTables.get('.symtab');
      const last = elf.symbolTable()?.find('last_label');
      expect(last && elf.sections[last.sectionIndex].name).toBe('.s65999');
      expect(theirs?.find((s) => s.name === 'last_label')?.ndx).toBe(String(last?.sectionIndex));
      for (const name of ['.s0', '.s65279', '.s65280', '.s65999']) {
        const dump = await toolchain.run('llvm-readelf', ['-x', name, 'x'], { x: bytes });
        expect([name, elf.sectionBytes(name)]).toEqual([name, parseHexDump(text(dump.stdout))]);
      }
    },
  );
});

describe('a large symbol table', () => {
  it('reads 150k symbols of a linked image quickly and as llvm-nm does', async () => {
    let source = '\t.text\n';
    for (let i = 0; i < 150_000; i++) {
      source += `\t.globl fn_${i}\n\t.type fn_${i},@function\nfn_${i}:\n\tblr\n\t.size fn_${i}, 4\n`;
    }
    const object = compileObject('powerpc64le-linux-gnu', 'big.s', source);
    const linked = await toolchain.run(
      'ld.lld',
      ['-e', 'fn_0', '-Ttext=0xc000000000000000', 'big.o', '-o', 'out'],
      { 'big.o': object },
    );
    const bytes = linked.files.out;

    const started = performance.now();
    const symbols = readElf(bytes).symbolTable();
    if (!symbols) throw new Error('no .symtab');
    let checksum = 0n;
    for (let i = 1; i < symbols.count; i++) {
      checksum += symbols.value(i);
      if (symbols.name(i).length === 0) throw new Error(`symbol ${i} has no name`);
    }
    const elapsed = performance.now() - started;
    expect(symbols.count).toBeGreaterThan(150_000);
    expect(checksum).toBeGreaterThan(0n);
    // A generous bound (it takes a few tens of ms): reading must not be the
    // cost of a pass.
    expect(elapsed).toBeLessThan(1000);

    await expectMatchesNm(bytes);
  });
});
