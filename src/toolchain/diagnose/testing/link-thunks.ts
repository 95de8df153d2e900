/**
 * Test support: real images with real linker thunks, made here with
 * Debian's clang-16 and ld.lld-16 (never files copied from elsewhere). A
 * caller in `.text` calls a function placed far away (or in PIC code from
 * non-PIC code, for MIPS), so ld.lld has to add a thunk and names it.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLANG = '/usr/bin/clang-16';
export const LLD = '/usr/bin/ld.lld-16';

export interface ThunkCase {
  name: string;
  /** clang arguments (target and mode) for the caller and the callee. */
  caller: string[];
  callee: string[];
  /** ld.lld arguments before the objects. */
  link: string[];
  /** Where the callee's section goes. */
  farAddress: number;
}

const CALLER = 'void far_target(void);\nvoid near_caller(void) { far_target(); }\n';
const CALLEE = 'int counter;\nvoid far_target(void) { counter++; }\n';

/**
 * A kernel-like frame: _text/_stext before the caller, _etext after the
 * callee; two load segments, so the distance between them is addresses,
 * not file bytes.
 */
const script = (far: number) => `PHDRS { near PT_LOAD; far PT_LOAD; }
SECTIONS {
  . = 0x10000;
  .text : { _text = .; _stext = .; caller.o(.text .text.*) } :near
  . = 0x${far.toString(16)};
  .text.far : { callee.o(.text .text.*) _etext = .; } :far
  .bss : { *(.bss .bss.*) } :far
}
`;

export function requireToolchain(): void {
  for (const tool of [CLANG, LLD]) {
    if (!existsSync(tool)) {
      throw new Error(
        `${tool} is missing; the thunk tests link real images: apt-get install clang-16 lld-16`,
      );
    }
  }
}

/** Compiles and links one case; returns the image's bytes. */
export function linkThunkCase(c: ThunkCase): Uint8Array {
  requireToolchain();
  const dir = mkdtempSync(join(tmpdir(), 'kallsyms-thunk-'));
  try {
    writeFileSync(join(dir, 'caller.c'), CALLER);
    writeFileSync(join(dir, 'callee.c'), CALLEE);
    writeFileSync(join(dir, 'far.lds'), script(c.farAddress));
    const cc = (flags: string[], source: string, object: string) =>
      execFileSync(CLANG, [...flags, '-O2', '-ffreestanding', '-c', source, '-o', object], {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    cc(c.caller, 'caller.c', 'caller.o');
    cc(c.callee, 'callee.c', 'callee.o');
    execFileSync(LLD, [...c.link, '-T', 'far.lds', 'caller.o', 'callee.o', '-o', 'image'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    return new Uint8Array(readFileSync(join(dir, 'image')));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
