/**
 * nmListing against the WebAssembly toolchain's `llvm-nm -n` (LLVM 22), byte
 * for byte: objects clang-16 assembles to reach every type letter and tie
 * rule, small linked images, every corpus object of the three targets, and
 * linked images of 150k+ symbols. (Every preset's images: nm-listing.presets.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS, type Target } from '../arch/targets.ts';
import { loadCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { renderLinkerScript } from '../kbuild/linker-script.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { nmListing, nmListingBytes } from './nm-listing.ts';
import { compareWithLlvmNm, firstDifference, llvmNmListings } from './nm-listing.testing.ts';
import { readElf } from './read-elf.ts';
import { clang16 } from './testing/clang16.ts';

const toolchain = createWasmToolchain();

const assemble = (target: Target, source: string, name = 'in.s'): Uint8Array =>
  clang16(target.clangTriple, ['-c', name, '-o', 'out.o'], { [name]: source }, 'out.o');

async function link(
  target: Target,
  objects: Record<string, Uint8Array>,
  script: string,
  flags: string[] = [],
): Promise<Uint8Array> {
  const linked = await toolchain.run(
    'ld.lld',
    [
      ...['-m', target.lldEmulation, '--strip-debug', ...flags, '-T', 'link.lds', '-o', 'img'],
      ...Object.keys(objects),
    ],
    { ...objects, 'link.lds': script },
  );
  return linked.files.img;
}

/** One symbol for each type-letter rule (see nm-listing.ts). */
const LETTERS = String.raw`
	.file "letters.c"
	.text
	.globl gfunc
	.type gfunc,@function
gfunc:	blr
lfunc:	blr
	.weak wfunc
	.type wfunc,@function
wfunc:	blr
	.type ifn,@gnu_indirect_function
	.globl ifn
ifn:	blr
	.type lifn,@gnu_indirect_function
lifn:	blr
	.weak wifn
	.type wifn,@gnu_indirect_function
wifn:	blr
	.type uf,@gnu_unique_object
uf:	blr
	.weak wundef
	.weak wundefobj
	.type wundefobj,@object
	.weak wundefifn
	.type wundefifn,@gnu_indirect_function
	.type undefifn,@gnu_indirect_function
	bl undef_f
	bl wundef
	bl wundefifn
	bl undefifn
	.long wundefobj
	.long .Llocal_data
	.data
	.globl gdata
gdata:	.long 1
ldata:	.long 2
.Llocal_data:	.long 3
	.weak wobj
	.type wobj,@object
wobj:	.long 3
	.type uobj,@gnu_unique_object
uobj:	.long 4
	.section .rodata,"a"
	.globl grod
grod:	.long 5
	.section .rodata.str1.1,"aMS",@progbits,1
str:	.asciz "x"
	.bss
bssv:	.long 0
	.globl gbss
gbss:	.long 0
	.comm cmn,24,16
	.lcomm lcmn,8
	.section .sdata,"aw"
sd:	.long 1
	.section .sbss,"aw",@nobits
sb:	.long 0
	.section .toc,"aw"
tc1:	.long 0
	.section .got,"aw"
got1:	.long 0
	.section .branch_lt,"aw",@nobits
blt:	.long 0
	.section .init.text,"ax",@progbits
itext:	blr
	.section .note.foo,"",@note
nf:	.long 0
	.globl gnf
gnf:	.long 0
	.section .comment.x,"",@progbits
cm:	.long 0
	.section .debug_foo,"",@progbits
dbg:	.long 0
	.section .debugx,"a",@progbits
dbgalloc:	.long 0
	.section .wnoalloc,"w",@progbits
wna:	.long 0
	.globl gwna
gwna:	.long 0
	.section .foo,"",@nobits
nb:	.long 0
	.section .tdata,"awT",@progbits
td:	.long 1
	.section .tbss,"awT",@nobits
tb:	.long 0
	.set absl, 0x1234
	.globl absg
	.set absg, 0x5678
	.weak absw
	.set absw, 0x99
	.type absifn,@gnu_indirect_function
	.set absifn, 0x10
	.type absu,@gnu_unique_object
	.set absu, 0x20
	.weak wcmn
	.comm wcmn,40,8
	.text
	.globl hid
	.hidden hid
hid:	blr
	.globl prot
	.protected prot
prot:	blr
	.section .xnobits,"ax",@nobits
xnb:	.long 0
	.section .robss,"a",@nobits
rob:	.long 0
	.section .note.alloc,"a",@note
nalloc:	.long 0
	.type tlsu,@tls_object
	.globl tlsu
	.section .text.t,"ax",@progbits
	.long tlsu@tprel
	.symver gfunc, gfunc@VER_1
`;

describe('nmListing', () => {
  it('gives every type letter as llvm-nm does, on objects of all three targets', async () => {
    const objects = Object.fromEntries(
      ARCH_IDS.map((arch) => [`letters-${arch}.o`, assemble(TARGETS[arch], LETTERS)]),
    );
    expect(await compareWithLlvmNm(toolchain, objects)).toEqual([]);
    // What the rules give, spelled out once (ELF32: 8 digits; undefined: blanks).
    expect(nmListing(readElf(objects['letters-ppc32.o']))).toBe(
      [
        '         U tlsu', // undefined STT_TLS
        '         U undef_f',
        '         U undefifn',
        '         w wundef',
        '         w wundefifn', // undefined IFUNC: weak wins
        '         v wundefobj',
        '00000000 b blt',
        '00000000 b bssv',
        '00000000 n cm',
        '00000000 N dbg',
        '00000000 r dbgalloc', // SHF_ALLOC before the .debug name
        '00000000 D gdata',
        '00000000 T gfunc',
        '00000000 T gfunc@VER_1',
        '00000000 d got1',
        '00000000 R grod',
        '00000000 t itext',
        '00000000 r nalloc',
        '00000000 b nb',
        '00000000 n nf',
        '00000000 b rob', // SHT_NOBITS before SHF_ALLOC
        '00000000 b sb',
        '00000000 d sd',
        '00000000 r str',
        '00000000 b tb',
        '00000000 d tc1',
        '00000000 d td',
        '00000000 ? wna', // non-alloc, writable, not .debug
        '00000000 t xnb', // SHF_EXECINSTR before SHT_NOBITS
        '00000004 B gbss',
        '00000004 N gnf', // non-alloc, non-debug, global
        '00000004 ? gwna', // '?' has no upper case
        '00000004 d ldata',
        '00000004 t lfunc',
        '00000008 b lcmn',
        '00000008 W wfunc',
        '0000000c i ifn',
        '0000000c V wobj',
        '00000010 i absifn', // IFUNC before absolute
        '00000010 i lifn',
        '00000010 u uobj',
        '00000014 i wifn', // weak IFUNC
        '00000018 C cmn', // its size, not st_value (16, the alignment)
        '00000018 u uf', // STB_GNU_UNIQUE: never upper case
        '00000020 A absu', // absolute before unique
        '00000028 V wcmn', // weak before common; its size
        '00000034 T hid', // visibility does not matter
        '00000038 T prot',
        '00000099 W absw', // weak before absolute
        '00001234 a absl',
        '00005678 A absg',
        '',
      ].join('\n'),
    );
  });

  it('adds sh_addr to the values of ET_REL symbols, in 64 bits as llvm-nm does', async () => {
    // Relocatable objects have sh_addr 0; give some sections addresses, one
    // near the top so that ELF32 sums pass 4 GiB (llvm-nm prints 9 digits).
    const objects: Record<string, Uint8Array> = {};
    for (const arch of ARCH_IDS) {
      const bytes = assemble(TARGETS[arch], LETTERS);
      const elf = readElf(bytes);
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const top = elf.elfClass === 64 ? 0xffff_ffff_ffff_fff0n : 0xffff_fff0n;
      const addresses: Record<string, bigint> = {
        '.text': top,
        '.data': 0x1000n,
        '.tbss': 0x3000n,
      };
      for (const section of elf.sections) {
        const address = addresses[section.name];
        if (address === undefined) continue;
        if (elf.elfClass === 64) {
          view.setBigUint64(section.headerOffset + 16, address, elf.endian === 'little');
        } else view.setUint32(section.headerOffset + 12, Number(address), false);
      }
      objects[`addressed-${arch}.o`] = bytes;
    }
    expect(await compareWithLlvmNm(toolchain, objects)).toEqual([]);
    const ppc32 = nmListing(readElf(objects['addressed-ppc32.o']));
    expect(ppc32).toMatch(/^00001000 D gdata$/m);
    expect(ppc32).toMatch(/^fffffff0 T gfunc$/m);
    // Past 4 GiB: nine digits, and sorted after every 32-bit address.
    expect(ppc32).toMatch(/^fffffffc i ifn\n100000000 i lifn$/m);
    expect(ppc32.endsWith('\n100000028 T prot\n')).toBe(true);
  });

  it('sorts undefined symbols first, then by address, name (bytes), size, and symbol table order', async () => {
    const target = TARGETS.ppc64le;
    // Names whose UTF-16 order differs from their UTF-8 byte order
    // (U+E000 before U+1F600 in bytes, after it in UTF-16), and locals
    // that tie on address and name: llvm-nm orders those by st_size.
    const first = assemble(
      target,
      [
        '\t.set x, 0x10000000',
        '\t.size x, 8',
        '\t.set y, 0x10000004',
        '\t.size y, 4',
        '\t.globl _start',
        '\t.weak wk',
        '\tbl wk',
        '\t.globl undef_b',
        '\t.globl undef_a',
        '\tbl undef_b',
        '\tbl undef_a',
        '',
      ].join('\n'),
    );
    const second = assemble(
      target,
      [
        '\t.text',
        '\t.globl _start',
        '_start:',
        'x:\tblr',
        '\t.size x, 4',
        'y:\tblr',
        '\t.size y, 4',
        'Zed:',
        '_zed:',
        '"tie_\u{1F600}":',
        '"tie_\u{E000}":',
        '"tie_\u00e9":',
        'tie:',
        'tie_:',
        'zed:\tblr',
        '',
      ].join('\n'),
    );
    const script = 'SECTIONS { . = 0x10000000; .text : { b.o(.text) *(.text) } }';
    const image = await link(target, { 'a.o': first, 'b.o': second }, script, [
      '--unresolved-symbols=ignore-all',
    ]);
    expect(await compareWithLlvmNm(toolchain, { image, 'a.o': first, 'b.o': second })).toEqual([]);
    expect(nmListing(readElf(image))).toBe(
      [
        '                 U undef_a',
        '                 U undef_b',
        '                 w wk',
        '0000000010000000 T _start',
        '0000000010000000 t x', // size 4
        '0000000010000000 a x', // size 8
        '0000000010000004 a y', // size 4, first in the symbol table
        '0000000010000004 t y', // size 4
        '0000000010000008 t Zed',
        '0000000010000008 t _zed',
        '0000000010000008 t tie',
        '0000000010000008 t tie_',
        '0000000010000008 t tie_\u00e9',
        '0000000010000008 t tie_\u{E000}',
        '0000000010000008 t tie_\u{1F600}',
        '0000000010000008 t zed',
        '',
      ].join('\n'),
    );
  });

  it('prints nothing for a file without symbols, as llvm-nm does', async () => {
    const target = TARGETS.ppc64;
    const object = assemble(target, '\t.text\n\t.globl _start\n_start:\tblr\n');
    const stripped = await link(
      target,
      { 'a.o': object },
      'SECTIONS { . = 0x10000000; .text : { *(.text) } }',
      ['--strip-all'],
    );
    expect(readElf(stripped).symbolTable()).toBeUndefined();
    const reference = await llvmNmListings(toolchain, { stripped });
    expect(reference.get('stripped')!.bytes.length).toBe(0);
    expect(nmListingBytes(readElf(stripped)).length).toBe(0);
  });

  it('names the first line that differs', () => {
    const encode = (s: string) => new TextEncoder().encode(s);
    expect(firstDifference(encode('a\nb\n'), encode('a\nb\n'))).toBeNull();
    expect(firstDifference(encode('a\nb\nc\n'), encode('a\nB\nc\n'))).toBe(
      'first difference at line 2 of 3:\n  nmListing: "b"\n  llvm-nm:   "B"',
    );
    expect(firstDifference(encode('a\n'), encode('a\nb\n'))).toContain('nmListing: ""');
  });

  it.each(ARCH_IDS)('lists every %s corpus object exactly as llvm-nm does', async (arch) => {
    const corpus = await loadCorpus(nodeCorpusSource(), arch);
    const files = Object.fromEntries(corpus.objects.map((o) => [o.name, o.bytes]));
    expect(corpus.objects.length).toBeGreaterThan(50);
    expect(await compareWithLlvmNm(toolchain, files)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// Kernel-sized images.

const SUBSYSTEMS = ['sched', 'mm', 'vfs', 'net', 'blk', 'irq', 'time', 'pci'];

/**
 * One translation unit of a synthetic kernel. Copies share their static
 * names (duplicates at different addresses, as in a kernel) and differ in
 * their global ones. Ties on address come from aliases, end labels and
 * labels that share an address; init text calls core functions across the
 * gap, so the linker adds stubs (`__long_branch_*`, `__LongThunk_*`).
 */
function syntheticUnit(target: Target, copy: number, functions: number): string {
  const ppc64 = target.elfClass === 64;
  const word = ppc64 ? '.quad' : '.long';
  const out: string[] = [];
  if (copy === 0) {
    out.push(
      '\t.section .head.text,"ax",@progbits\n\t.globl start_here\n\t.type start_here,@function',
      'start_here:\n\tb start_here\n\t.size start_here, .-start_here',
    );
  }
  out.push(`\t.data\n\t.weak missing_${copy}\n\t${word} missing_${copy}`);
  out.push(
    `\t.text\n"tie_\u{E000}_${copy}":\n"tie_\u{1F600}_${copy}":\n"tie_\u00e9_${copy}":\ntie_z_${copy}:\n\tblr`,
  );
  const globals: string[] = [];
  for (let j = 0; j < functions; j++) {
    const sub = SUBSYSTEMS[j % SUBSYSTEMS.length];
    const global = j % 4 === 0;
    const name = global ? `${sub}_op_${copy}_${j}` : `${sub}_helper_${j}`;
    if (global) globals.push(name);
    out.push(
      `\t.text\n${global ? `\t.globl ${name}\n` : ''}\t.type ${name},@function\n${name}:\n` +
        `${j % 8 === 3 ? '\tnop\n' : ''}\tblr\n\t.size ${name}, .-${name}`,
    );
    if (j % 7 === 0) out.push(`${name}_end:`);
    if (j % 16 === 0) {
      out.push(
        `\t.globl ${name}_alias\n\t.set ${name}_alias, ${name}\n\t.weak __${name}\n\t.set __${name}, ${name}`,
      );
    }
    if (j % 50 === 0) {
      out.push(
        `\t.weak weak_${copy}_${j}\n\t.type weak_${copy}_${j},@function\nweak_${copy}_${j}:\n\tblr`,
      );
    }
    if (j % 5 === 0) {
      const data = `${sub}_data_${copy}_${j}`;
      out.push(
        `\t.data\n${j % 10 === 0 ? `\t.globl ${data}\n` : ''}\t.type ${data},@object\n\t.size ${data}, 4\n${data}:\n\t.long ${j}`,
      );
    }
    if (j % 11 === 0) {
      out.push(`\t.section .rodata.str1.1,"aMS",@progbits,1\n__func__.${j}:\n\t.asciz "${name}"`);
    }
    if (j % 13 === 0) out.push(`\t.local ${sub}_bss_${j}\n\t.comm ${sub}_bss_${j},8,8`);
    if (j % 17 === 0) out.push(`\t.section .sdata,"aw"\n${sub}_sdata_${j}:\n\t.long ${j}`);
    if (ppc64 && j % 19 === 0) out.push(`\t.section .toc,"aw"\ntoc_${j}:\n\t.quad ${name}`);
    if (j % 97 === 0) {
      out.push(`${j % 2 ? `\t.globl abs_${copy}_${j}\n` : ''}\t.set abs_${copy}_${j}, ${j * 16}`);
    }
  }
  out.push('\t.section .init.text,"ax",@progbits');
  for (let k = 0; k < globals.length; k += 20) {
    const init = `init_${copy}_${k}`;
    out.push(
      `\t.type ${init},@function\n${init}:\n\tbl ${globals[k]}${ppc64 ? '\n\tnop' : ''}\n\tblr\n\t.size ${init}, .-${init}`,
    );
  }
  return out.join('\n') + '\n';
}

async function syntheticImage(target: Target, copies: number, functions: number) {
  const objects: Record<string, Uint8Array> = {};
  for (let c = 0; c < copies; c++) {
    objects[`unit${c}.o`] = assemble(target, syntheticUnit(target, c, functions), `unit${c}.s`);
  }
  const script = renderLinkerScript(target, {
    base: target.elfClass === 64 ? 0xc000000000000000n : 0xc0000000n,
    align: 16,
    gap: 40 << 20, // beyond a bl's reach: stubs
  });
  return link(target, objects, script);
}

describe('nmListing on kernel-sized images', () => {
  it('lists a 150k-symbol ppc64le image exactly as llvm-nm does, many times faster', async () => {
    const image = await syntheticImage(TARGETS.ppc64le, 8, 11000);
    const reference = (await llvmNmListings(toolchain, { image })).get('image')!;
    const elf = readElf(image);
    nmListingBytes(elf); // warm up
    const runs: number[] = [];
    let ours: Uint8Array = new Uint8Array();
    for (let k = 0; k < 5; k++) {
      const t0 = performance.now();
      ours = nmListingBytes(readElf(image));
      runs.push(performance.now() - t0);
    }
    const ms = runs.sort((a, b) => a - b)[2];
    const lines = ours.filter((b) => b === 0x0a).length;
    console.log(
      `nmListing: ${lines} symbols in ${ms.toFixed(1)} ms (median of 5); llvm-nm -n (wasm): ${reference.ms.toFixed(0)} ms`,
    );
    expect(firstDifference(ours, reference.bytes)).toBeNull();
    expect(lines).toBeGreaterThan(150_000);
    const text = nmListing(elf);
    expect(text).toMatch(/^ {16} w missing_0$/m);
    expect(text).toMatch(/ t __long_branch_sched_op_0_0$/m);
    expect(ms * 10).toBeLessThan(reference.ms);
  });

  it.each(['ppc64', 'ppc32'] as const)(
    'lists a synthetic %s kernel exactly as llvm-nm does',
    async (arch) => {
      const image = await syntheticImage(TARGETS[arch], 3, 3000);
      expect(await compareWithLlvmNm(toolchain, { image })).toEqual([]);
      expect(nmListing(readElf(image))).toMatch(
        arch === 'ppc32' ? /__LongThunk_/ : /__long_branch_/,
      );
    },
  );
});
