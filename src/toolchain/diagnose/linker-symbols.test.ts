/**
 * Linker-made symbols: each linker's naming recognised, and on real images
 * linked here by ld.lld-16 (ARM, Thumb, AArch64, MIPS, x86), the thunk found
 * with what each kallsyms generation does with it: today's mksysmap hides
 * every `__<alnum>Thunk_` name, while v5.9's ignore list knows only some.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource, diagnose, type TableDiagnosis } from './index.ts';
import { classifyLinkerSymbol } from './linker-symbols.ts';
import { linkThunkCase, type ThunkCase } from './testing/link-thunks.ts';

const THUNK_RULE = 'mksysmap / __[A-Za-z0-9]*Thunk_/';

describe('linker symbol names', () => {
  it.each([
    ['__long_branch_printk', 'ld.lld', 'PowerPC64', '__long_branch_<f>'],
    ['__plt_memcpy', 'ld.lld', 'PowerPC64', '__plt_<f>'],
    ['__plt_pcrel_memcpy', 'ld.lld', 'PowerPC64', '__plt_pcrel_<f>'],
    ['__toc_save_f', 'ld.lld', 'PowerPC64', '__toc_save_<f>'],
    ['__gep_setup_f', 'ld.lld', 'PowerPC64', '__gep_setup_<f>'],
    ['__LongThunk_printk', 'ld.lld', 'PowerPC', '__LongThunk_<f>'],
    [
      '00008000.got2.plt_pic32.memcpy',
      'ld.lld or GNU ld',
      'PowerPC',
      '<addend>.got2.plt_pic32.<f>',
    ],
    ['00000000.plt_call32.f', 'ld.lld or GNU ld', 'PowerPC', '<addend>.plt_call32.<f>'],
    ['__ARMv7ABSLongThunk_f', 'ld.lld', 'ARM', '__ARMv7ABSLongThunk_<f>'],
    ['__AArch64ADRPThunk_f', 'ld.lld', 'AArch64', '__AArch64ADRPThunk_<f>'],
    ['__LA25Thunk_f', 'ld.lld', 'MIPS', '__LA25Thunk_<f>'],
    ['__microLA25Thunk_f', 'ld.lld', 'MIPS', '__microLA25Thunk_<f>'],
    ['00000075.long_branch.memmove', 'GNU ld', 'PowerPC64', '<group>.long_branch.<f>'],
    ['0000001a.plt_branch.foo+4', 'GNU ld', 'PowerPC64', '<group>.plt_branch.<f>'],
    ['00000003.long_branch_r2off.f', 'GNU ld', 'PowerPC64', '<group>.long_branch_r2off.<f>'],
    ['00000003.plt_call.f', 'GNU ld', 'PowerPC64', '<group>.plt_call.<f>'],
    ['__f_from_arm', 'GNU ld', 'ARM', '__<f>_from_arm'],
    ['__f_from_thumb', 'GNU ld', 'ARM', '__<f>_from_thumb'],
    ['__bx_r3', 'GNU ld', 'ARM', '__bx_r<n>'],
    ['__erratum_835769_veneer_0', 'GNU ld', 'AArch64', '__erratum_<n>_veneer_<k>'],
    ['__f_bti_veneer', 'GNU ld', 'AArch64', '__<f>_bti_veneer'],
    ['.pic.f', 'GNU ld', 'MIPS', '.pic.<f>'],
  ])('%s is %s %s (%s)', (name, linker, arch, pattern) => {
    expect(classifyLinkerSymbol(name)).toMatchObject({ linker, arch, pattern });
  });

  it("tells ARM's __<f>_veneer from AArch64's by the image's machine", () => {
    expect(classifyLinkerSymbol('__f_veneer', 40)?.arch).toBe('ARM');
    expect(classifyLinkerSymbol('__f_veneer', 183)?.arch).toBe('AArch64');
    expect(classifyLinkerSymbol('__f_veneer')?.arch).toBe('ARM or AArch64');
  });

  it('leaves ordinary kernel names alone', () => {
    for (const name of [
      'printk',
      '__x86_indirect_thunk_rax', // the kernel's own retpoline thunks, not the linker's
      '__long_branch', // no target
      'long_branch_f',
      '__crc_printk',
      '_veneer',
      '00000075.text.f',
      'deadbeef',
      '.pic',
      '__bx_rx',
    ]) {
      expect(classifyLinkerSymbol(name), name).toBeNull();
    }
  });
});

const arm = (mode: string) => ['--target=armv7a-none-eabi', mode, '-fno-pic'];
const CASES: Array<
  ThunkCase & { expected: string | null; machine: string; v59: 'table' | string }
> = [
  {
    name: 'ARM, absolute',
    caller: arm('-marm'),
    callee: arm('-marm'),
    link: [],
    farAddress: 0x8000000,
    expected: '__ARMv7ABSLongThunk_far_target',
    machine: 'ARM',
    v59: 'table', // not in v5.9's list
  },
  {
    name: 'ARM, position-independent veneers',
    caller: arm('-marm'),
    callee: arm('-marm'),
    link: ['--pic-veneer'],
    farAddress: 0x8000000,
    expected: '__ARMV7PILongThunk_far_target',
    machine: 'ARM',
    v59: 'v5.x: prefix "__ARMV7PILongThunk_"',
  },
  {
    name: 'Thumb, absolute',
    caller: arm('-mthumb'),
    callee: arm('-mthumb'),
    link: [],
    farAddress: 0x8000000,
    expected: '__Thumbv7ABSLongThunk_far_target',
    machine: 'ARM',
    v59: 'table',
  },
  {
    name: 'Thumb, position-independent veneers',
    caller: arm('-mthumb'),
    callee: arm('-mthumb'),
    link: ['--pic-veneer'],
    farAddress: 0x8000000,
    expected: '__ThumbV7PILongThunk_far_target',
    machine: 'ARM',
    v59: 'v5.x: prefix "__ThumbV7PILongThunk_"',
  },
  {
    name: 'ARMv5',
    caller: ['--target=armv5te-none-eabi', '-marm', '-fno-pic'],
    callee: ['--target=armv5te-none-eabi', '-marm', '-fno-pic'],
    link: [],
    farAddress: 0x8000000,
    expected: '__ARMv5LongLdrPcThunk_far_target',
    machine: 'ARM',
    v59: 'table',
  },
  {
    name: 'ARMv6-M',
    caller: ['--target=armv6m-none-eabi', '-mthumb', '-fno-pic'],
    callee: ['--target=armv6m-none-eabi', '-mthumb', '-fno-pic'],
    link: [],
    farAddress: 0x8000000,
    expected: '__Thumbv6MABSLongThunk_far_target',
    machine: 'ARM',
    v59: 'table',
  },
  {
    name: 'AArch64, absolute',
    caller: ['--target=aarch64-linux-gnu', '-fno-pic'],
    callee: ['--target=aarch64-linux-gnu', '-fno-pic'],
    link: [],
    farAddress: 0x10000000,
    expected: '__AArch64AbsLongThunk_far_target',
    machine: 'AArch64',
    v59: 'table',
  },
  {
    name: 'AArch64, position-independent veneers',
    caller: ['--target=aarch64-linux-gnu', '-fno-pic'],
    callee: ['--target=aarch64-linux-gnu', '-fno-pic'],
    link: ['--pic-veneer'],
    farAddress: 0x10000000,
    expected: '__AArch64ADRPThunk_far_target',
    machine: 'AArch64',
    v59: 'v5.x: prefix "__AArch64ADRPThunk_"',
  },
  {
    name: 'MIPS, non-PIC calling PIC',
    caller: ['--target=mips-linux-gnu', '-fno-pic', '-mno-abicalls'],
    callee: ['--target=mips-linux-gnu', '-fpic'],
    link: [],
    farAddress: 0x100000,
    expected: '__LA25Thunk_far_target',
    machine: 'MIPS',
    v59: 'v5.x: prefix "__LA25Thunk_"',
  },
  {
    name: 'microMIPS, non-PIC calling PIC',
    caller: ['--target=mips-linux-gnu', '-mmicromips', '-fno-pic', '-mno-abicalls'],
    callee: ['--target=mips-linux-gnu', '-mmicromips', '-fpic'],
    link: [],
    farAddress: 0x100000,
    expected: '__microLA25Thunk_far_target',
    machine: 'MIPS',
    v59: 'v5.x: prefix "__microLA25Thunk_"',
  },
  {
    name: 'x86-64',
    caller: ['--target=x86_64-linux-gnu', '-fno-pic'],
    callee: ['--target=x86_64-linux-gnu', '-fno-pic'],
    link: [],
    farAddress: 0x80000000 - 0x1000,
    expected: null,
    machine: 'x86-64',
    v59: 'table',
  },
  {
    name: 'i386',
    caller: ['--target=i386-linux-gnu', '-fno-pic'],
    callee: ['--target=i386-linux-gnu', '-fno-pic'],
    link: [],
    farAddress: 0x80000000,
    expected: null,
    machine: 'x86 (i386)',
    v59: 'table',
  },
];

describe('thunks in real images linked by ld.lld-16', () => {
  it.each(CASES)('$name: finds $expected and says what each generation does', async (c) => {
    const image = linkThunkCase(c);
    const result = await diagnose([bytesSource(c.name, image)]);
    const t: TableDiagnosis = result.tables[0];
    expect(t.input.kind).toBe('elf');
    expect(t.input.elf?.machineName).toBe(c.machine);
    if (c.expected === null) {
      expect(t.linkerSymbols).toEqual({ total: 0, groups: [] });
      return;
    }
    expect(t.linkerSymbols.total).toBe(1);
    const [group] = t.linkerSymbols.groups;
    expect(group.examples).toEqual([c.expected]);
    expect(group.kind.pattern).toBe(c.expected.replace('far_target', '<f>'));
    // Today's mksysmap hides every __<alnum>Thunk_ name.
    expect(group.fate.latest).toEqual({
      inTable: 0,
      droppedBy: [{ rule: THUNK_RULE, symbols: 1 }],
    });
    // v5.9 knows only the names in its list; the rest go into the table.
    expect(group.fate['v5.9']).toEqual(
      c.v59 === 'table'
        ? { inTable: 1, droppedBy: [] }
        : { inTable: 0, droppedBy: [{ rule: c.v59, symbols: 1 }] },
    );
    // And the tables agree: the thunk is one more symbol where it is kept.
    const v59 = t.generations.find((g) => g.generation === 'v5.9')!;
    const latest = t.generations.find((g) => g.generation === 'latest')!;
    expect(v59.counts!.tableSymbols - latest.counts!.tableSymbols).toBe(c.v59 === 'table' ? 1 : 0);
  });
});
