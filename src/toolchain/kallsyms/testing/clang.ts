/**
 * Test support: assemble the kernel tool's text with Debian's clang-16, as the
 * kernel build does (C preprocessor first, BITS_PER_LONG from asm/bitsperlong.h),
 * and read the object back.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Target } from '../../arch/targets.ts';
import { readObject, type ReadObject } from './elf.ts';

export const CLANG = '/usr/bin/clang-16';

/** Fails loudly (never skips) when the cross-check's assembler is missing. */
export function requireClang(): void {
  if (!existsSync(CLANG)) {
    throw new Error(
      `${CLANG} is missing; the layout is cross-checked against a real assembler: ` +
        `apt-get install clang-16 llvm-16`,
    );
  }
}

export class Assembler {
  readonly dir: string;

  constructor() {
    requireClang();
    this.dir = mkdtempSync(join(tmpdir(), 'kallsyms-clang-'));
    for (const bits of [32, 64]) {
      mkdirSync(join(this.dir, `include${bits}`, 'asm'), { recursive: true });
      writeFileSync(
        join(this.dir, `include${bits}`, 'asm', 'bitsperlong.h'),
        `#define BITS_PER_LONG ${bits}\n`,
      );
    }
  }

  /** Assembles `text` (a byte string) for the target; returns the object's `.rodata` view. */
  assemble(name: string, text: string, target: Target): ReadObject {
    const source = join(this.dir, `${name}.S`);
    const object = join(this.dir, `${name}.${target.id}.o`);
    writeFileSync(source, Buffer.from(text, 'latin1'));
    execFileSync(
      CLANG,
      [
        `--target=${target.clangTriple}`,
        '-c',
        '-x',
        'assembler-with-cpp',
        '-I',
        join(this.dir, `include${target.elfClass}`),
        source,
        '-o',
        object,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return readObject(new Uint8Array(readFileSync(object)), '.rodata');
  }

  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}
