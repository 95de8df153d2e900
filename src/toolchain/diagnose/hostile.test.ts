/**
 * Inputs come from strangers: every bad one gets a DiagnoseError (the CLI's
 * exit 2) with a one-line message that quotes at most a bounded, escaped
 * piece of it; nothing else is thrown, nothing hangs, and an input over a
 * limit is refused before it is read whole.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import {
  DIAGNOSE_LIMITS,
  DiagnoseError,
  bytesSource,
  diagnose,
  type DiagnoseSource,
} from './index.ts';
import { linkThunkCase } from './testing/link-thunks.ts';

const text = (s: string) => new TextEncoder().encode(s);

/** Runs diagnose and returns its DiagnoseError (fails the test on success or any other error). */
async function refusal(source: DiagnoseSource): Promise<DiagnoseError> {
  try {
    await diagnose([source]);
  } catch (error) {
    if (error instanceof DiagnoseError) return error;
    throw new Error(`expected a DiagnoseError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the input to be refused');
}

/** One line, bounded, no raw control characters (C0, DEL, C1). */
function expectSafeMessage(error: DiagnoseError): void {
  // eslint-disable-next-line no-control-regex
  expect(error.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  expect(error.message.length).toBeLessThan(500);
}

describe('text that is not a listing', () => {
  it.each([
    ['empty', '', 'empty', /the input is empty/],
    ['blank lines only', '\n\n  \n', 'empty', /only blank lines/],
    ['prose', 'hello world\n', 'not-a-listing', /line 1 is not an "nm -n" line: "hello world"/],
    [
      'Windows line endings',
      'c000000000000000 T _stext\r\nc000000000000010 T f\r\n',
      'not-a-listing',
      /line 1 ends with a carriage return.*dos2unix/,
    ],
    [
      'an empty line in the middle',
      'c000000000000000 T _stext\n\nc000000000000010 T f\n',
      'not-a-listing',
      /line 2 is empty/,
    ],
    ['an address of 17 digits', '10000000000000000 T f\n', 'not-a-listing', /line 1 is not/],
    ['no name', 'c000000000000000 T \n', 'not-a-listing', /line 1 is not/],
  ])('%s: refused (%s)', async (_label, input, code, message) => {
    const error = await refusal(bytesSource('in.txt', text(input)));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith('in.txt: ')).toBe(true);
    expectSafeMessage(error);
  });

  it('binary garbage: says where the first non-text byte is', async () => {
    const garbage = new Uint8Array(4096);
    const random = mulberry32(7);
    for (let i = 0; i < garbage.length; i++) garbage[i] = Math.floor(random() * 256);
    garbage[0] = 0x41; // not \x7fELF
    const error = await refusal(bytesSource('garbage.bin', garbage));
    expect(error.code).toBe('not-a-listing');
    expect(error.message).toMatch(/byte 0x[0-9a-f]{2} at offset \d+ \(line \d+\) is not text/);
    expectSafeMessage(error);
  });

  it('a 2 MB line: named by its length, quoted by a bounded prefix', async () => {
    const huge = 'c000000000000000 T ' + 'x'.repeat(2_000_000) + '\n';
    const error = await refusal(bytesSource('huge.map', text(huge)));
    expect(error.code).toBe('not-a-listing');
    expect(error.message).toMatch(/line 1 is 2,000,019 bytes long/);
    expectSafeMessage(error);
  });

  it('control bytes and C1 characters in a bad line are escaped, not echoed', async () => {
    // U+009B (CSI) is one byte 0x9b in a byte string: text, but never raw in a message.
    const error = await refusal(bytesSource('csi.map', new Uint8Array([0x9b, 0x32, 0x4a, 0x0a])));
    expect(error.message).toContain('\\x9b2J');
    expectSafeMessage(error);
  });

  it('a listing over the size limit is refused from its size, without reading it', async () => {
    const reads: Array<[number, number]> = [];
    const source: DiagnoseSource = {
      name: 'big.map',
      size: DIAGNOSE_LIMITS.textBytes + 1,
      async read(offset, length) {
        reads.push([offset, length]);
        return text('c000').subarray(0, length);
      },
    };
    const error = await refusal(source);
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/is more than the 256 MiB a System\.map/);
    expect(reads).toEqual([[0, 4]]); // only the first bytes, to tell ELF from text
  });

  it('one or two inputs, no more', async () => {
    const a = bytesSource('a', text('0 T f\n'));
    for (const sources of [[], [a, a, a]]) {
      await expect(diagnose(sources)).rejects.toMatchObject({ code: 'too-many-inputs' });
    }
  });
});

describe('ELF files that cannot be read', () => {
  let image: Uint8Array;
  let stripped: Uint8Array;
  beforeAll(() => {
    image = linkThunkCase({
      name: 'AArch64',
      caller: ['--target=aarch64-linux-gnu', '-fno-pic'],
      callee: ['--target=aarch64-linux-gnu', '-fno-pic'],
      link: [],
      farAddress: 0x10000000,
    });
    const dir = mkdtempSync(join(tmpdir(), 'kallsyms-strip-'));
    try {
      writeFileSync(join(dir, 'image'), image);
      execFileSync('/usr/bin/llvm-strip-16', [join(dir, 'image'), '-o', join(dir, 'stripped')]);
      stripped = new Uint8Array(readFileSync(join(dir, 'stripped')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the intact image (the baseline of what follows)', async () => {
    const result = await diagnose([bytesSource('image', image)]);
    expect(result.tables[0].linkerSymbols.total).toBe(1);
  });

  it('a stripped image: says it has no symbol table and what to give instead', async () => {
    const error = await refusal(bytesSource('vmlinux.stripped', stripped));
    expect(error.code).toBe('no-symbols');
    expect(error.message).toMatch(/no symbol table \(\.symtab\).*stripped.*System\.map/);
  });

  it.each([
    [10, /shorter than the 16-byte identification/],
    [40, /truncated ELF header/],
  ])('truncated to %i bytes: a bad ELF image', async (length, message) => {
    const error = await refusal(bytesSource('cut', image.subarray(0, length)));
    expect(error.code).toBe('bad-elf');
    expect(error.message).toMatch(message);
    expectSafeMessage(error);
  });

  it('truncated anywhere: always refused with a DiagnoseError, never anything else', async () => {
    // Cut short of the section headers, which sit at the end of an ld.lld image.
    for (let length = 16; length < image.length - 64; length += 97) {
      const error = await refusal(bytesSource('cut', image.subarray(0, length)));
      expect(['bad-elf', 'no-symbols']).toContain(error.code);
      expectSafeMessage(error);
    }
    const error = await refusal(bytesSource('cut', image.subarray(0, image.length - 64)));
    expect(error.message).toMatch(/extends past the end of the file .* truncated/);
  });

  it('a symbol table claiming more entries than the limit: refused before it is read', async () => {
    const bad = Uint8Array.from(image);
    const view = new DataView(bad.buffer);
    const shoff = Number(view.getBigUint64(0x28, true));
    const shnum = view.getUint16(0x3c, true);
    for (let i = 0; i < shnum; i++) {
      const at = shoff + i * 64;
      if (view.getUint32(at + 4, true) === 2) view.setBigUint64(at + 32, 1n << 40n, true); // SHT_SYMTAB size
    }
    const reads: number[] = [];
    const source = bytesSource('huge-symtab', bad);
    const error = await refusal({
      ...source,
      read: (offset, length) => {
        reads.push(length);
        return source.read(offset, length);
      },
    });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/symbol table has \d+ entries, more than the 4,000,000/);
    expect(Math.max(...reads)).toBeLessThanOrEqual(shnum * 64);
  });

  it('bytes flipped at random: read or refused, never a crash (300 variants)', async () => {
    const random = mulberry32(2024);
    let refused = 0;
    for (let round = 0; round < 300; round++) {
      const bad = Uint8Array.from(image);
      for (let k = 0; k < 4; k++) {
        bad[Math.floor(random() * bad.length)] = Math.floor(random() * 256);
      }
      try {
        await diagnose([bytesSource('flipped', bad)]);
      } catch (error) {
        if (!(error instanceof DiagnoseError)) throw error;
        expectSafeMessage(error);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });
});
