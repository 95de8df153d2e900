/**
 * Test support (Node only, never imported by library code): Debian's
 * clang-16, which has the PowerPC back end the WebAssembly clang lacks, is
 * the reference the reader and the writer are checked against.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** `CLANG16=/path/to/clang-16` overrides where it is looked for. */
const CLANG =
  process.env.CLANG16 ?? (existsSync('/usr/bin/clang-16') ? '/usr/bin/clang-16' : 'clang-16');

/** Throws (so the test fails, never skips) when clang-16 is not installed. */
export function requireClang16(): void {
  try {
    execFileSync(CLANG, ['--version'], { stdio: 'pipe' });
  } catch (cause) {
    throw new Error(
      `clang-16 (with the PowerPC target) is needed to check the ELF code against a real assembler, and ${CLANG} does not run: apt-get install clang-16`,
      { cause },
    );
  }
}

/**
 * Runs clang-16 in a fresh temporary directory holding `files`, with
 * `--target=<triple>` and `args`, and returns the bytes of `output`.
 */
export function clang16(
  triple: string,
  args: string[],
  files: Record<string, string | Uint8Array>,
  output: string,
): Uint8Array {
  requireClang16();
  const dir = mkdtempSync(join(tmpdir(), 'kallsyms-lab-elf-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    try {
      execFileSync(CLANG, [`--target=${triple}`, ...args], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
      throw new Error(`clang-16 --target=${triple} ${args.join(' ')} failed:\n${stderr}`, {
        cause: error,
      });
    }
    return new Uint8Array(readFileSync(join(dir, output)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Compiles C or assembles a `.S` (preprocessed assembler) into an object. */
export function compileObject(
  triple: string,
  name: string,
  source: string,
  flags: string[] = [],
): Uint8Array {
  return clang16(triple, ['-c', ...flags, name, '-o', 'out.o'], { [name]: source }, 'out.o');
}
