import { beforeAll, describe, expect, it } from 'vitest';
import { ElfFormatError } from './errors.ts';
import { readElf } from './read-elf.ts';
import { compileObject, requireClang16 } from './testing/clang16.ts';

/**
 * Damaged input must give an ElfFormatError that says what is wrong and
 * where, never a RangeError from a DataView or a silently wrong answer.
 * The damage is done to real clang-16 objects.
 */

const SOURCE = `
int counter = 1;
int *pointer = &counter;
extern int far(int);
int call(int x) { return far(x) + counter; }
`;

/** Reads everything the reader can give, so that lazily read tables are checked too. */
function readEverything(bytes: Uint8Array): void {
  const elf = readElf(bytes);
  for (const section of elf.sections) elf.sectionBytes(section);
  for (const table of [elf.symbolTable(), elf.dynamicSymbolTable()]) table?.toArray();
  for (const table of elf.relocationTables()) table.toArray();
}

function errorOf(action: () => unknown): ElfFormatError {
  try {
    action();
  } catch (error) {
    if (error instanceof ElfFormatError) return error;
    throw new Error(`expected an ElfFormatError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected an ElfFormatError, but the input was accepted');
}

function patched(bytes: Uint8Array, patch: (view: DataView) => void): Uint8Array {
  const copy = bytes.slice();
  patch(new DataView(copy.buffer));
  return copy;
}

describe.each([
  { triple: 'powerpc64le-linux-gnu', is64: true, le: true },
  { triple: 'powerpc-linux-gnu', is64: false, le: false },
])('malformed $triple input', ({ triple, is64, le }) => {
  let object: Uint8Array;
  // Offsets of header fields for this class.
  const w = is64 ? 8 : 4;
  const SHOFF = 24 + 2 * w;
  const SHSTRNDX = 24 + 3 * w + 14;
  const shoff = (): number =>
    Number(is64 ? view().getBigUint64(SHOFF, le) : view().getUint32(SHOFF, le));
  const shentsize = is64 ? 64 : 40;
  const view = (): DataView => new DataView(object.buffer);
  const sectionHeader = (name: string): number => {
    const elf = readElf(object);
    const section = elf.section(name);
    if (!section) throw new Error(`no ${name}`);
    return shoff() + section.index * shentsize;
  };
  const setWord = (v: DataView, at: number, value: number): void =>
    is64 ? v.setBigUint64(at, BigInt(value), le) : v.setUint32(at, value, le);

  beforeAll(() => {
    requireClang16();
    object = compileObject(triple, 'a.c', SOURCE, ['-O2']);
    readEverything(object); // the undamaged object reads
  });

  it('rejects what is not ELF at all', () => {
    const script = new TextEncoder().encode('#!/bin/sh\necho this is not an object file\n');
    expect(errorOf(() => readElf(script)).message).toMatch(
      /^not an ELF file: magic is 23 21 2f 62, expected 7f 45 4c 46 \(at offset 0x0\)$/,
    );
    expect(errorOf(() => readElf(new Uint8Array(3))).message).toMatch(
      /3 bytes is shorter than the 16-byte identification/,
    );
    expect(errorOf(() => readElf(new Uint8Array(0))).offset).toBe(0);
  });

  it('names a bad class, byte order or version, with its offset', () => {
    const badClass = errorOf(() => readElf(patched(object, (v) => v.setUint8(4, 3))));
    expect(badClass.message).toMatch(/unknown ELF class 3 .*\(at offset 0x4\)$/);
    expect(badClass.offset).toBe(4);
    expect(errorOf(() => readElf(patched(object, (v) => v.setUint8(5, 0)))).message).toMatch(
      /unknown ELF data encoding 0 .*\(at offset 0x5\)$/,
    );
    expect(errorOf(() => readElf(patched(object, (v) => v.setUint8(6, 2)))).message).toMatch(
      /unknown ELF version 2 .*\(at offset 0x6\)$/,
    );
  });

  it('says when the header itself is cut short', () => {
    expect(errorOf(() => readElf(object.subarray(0, 40))).message).toMatch(
      new RegExp(
        `truncated ELF header: 40 bytes, an ELF${is64 ? 64 : 32} header needs ${is64 ? 64 : 52}`,
      ),
    );
  });

  it('says when the section header table lies outside the file', () => {
    const error = errorOf(() =>
      readElf(patched(object, (v) => setWord(v, SHOFF, object.length + 0x100))),
    );
    expect(error.message).toMatch(
      /section header 0 at file offset 0x[0-9a-f]+ .* extends past the end of the file/,
    );
    const cut = errorOf(() => readElf(object.subarray(0, object.length - 1)));
    expect(cut.message).toMatch(
      /section header table of \d+ entries at file offset 0x[0-9a-f]+ .* extends past the end/,
    );
  });

  it('names the section whose bytes lie outside the file', () => {
    const at = sectionHeader('.data');
    const error = errorOf(() =>
      readElf(patched(object, (v) => setWord(v, at + 8 + 2 * w, object.length - 2))),
    );
    expect(error.message).toMatch(
      /^section \[\d+\] at file offset 0x[0-9a-f]+ with size 0x[0-9a-f]+ extends past the end of the file/,
    );
    expect(error.offset).toBe(at);
  });

  it('names a bad section-name table index and a bad section name offset', () => {
    expect(
      errorOf(() => readElf(patched(object, (v) => v.setUint16(SHSTRNDX, 999, le)))).message,
    ).toMatch(/e_shstrndx 999 is not a section/);
    const at = sectionHeader('.data');
    const error = errorOf(() => readElf(patched(object, (v) => v.setUint32(at, 0x7fffffff, le))));
    expect(error.message).toMatch(
      /name of section \[\d+\]: string offset 0x7fffffff is outside its string table/,
    );
  });

  it('checks symbol tables: entry size, string table link, name offsets', () => {
    const at = sectionHeader('.symtab');
    const entsizeAt = at + 16 + 5 * w;
    const sizeAt = at + 8 + 3 * w;
    const oddSize = patched(object, (v) => setWord(v, sizeAt, (is64 ? 24 : 16) * 3 + 1));
    expect(errorOf(() => readElf(oddSize).symbolTable()).message).toMatch(
      /symbol table \[\d+\] '\.symtab' has size 0x[0-9a-f]+, not a multiple of its entry size/,
    );
    const small = patched(object, (v) => setWord(v, entsizeAt, 4));
    expect(errorOf(() => readElf(small).symbolTable()).message).toMatch(
      /sh_entsize 4, smaller than a symbol/,
    );
    const badLink = patched(object, (v) => v.setUint32(at + 8 + 4 * w, 0, le));
    expect(errorOf(() => readElf(badLink).symbolTable()).message).toMatch(
      /links to section 0, which is not a string table/,
    );
    const symtabOffset = readElf(object).section('.symtab')?.offset ?? 0;
    const badName = patched(object, (v) =>
      v.setUint32(symtabOffset + (is64 ? 24 : 16), 0xfffff, le),
    );
    const error = errorOf(() => readElf(badName).symbolTable());
    expect(error.message).toMatch(/symbol 1 has name offset 0xfffff outside its string table/);
    expect(error.offset).toBe(symtabOffset + (is64 ? 24 : 16));
  });

  it('checks that a string table ends with NUL', () => {
    const strtab = readElf(object).section('.strtab');
    if (!strtab) throw new Error('no .strtab');
    const last = strtab.offset + Number(strtab.size) - 1;
    const error = errorOf(() =>
      readElf(patched(object, (v) => v.setUint8(last, 0x41))).symbolTable(),
    );
    // clang shares .strtab between section and symbol names: whichever name
    // runs off the end is reported first.
    expect(error.message).toMatch(
      /string table \[\d+\] '\.strtab' does not end with NUL|name of section \[\d+\]: string at offset 0x[0-9a-f]+ is not NUL-terminated/,
    );
    expect(error.offset).toBeLessThanOrEqual(last);
  });

  it('checks relocation symbol indices against their symbol table', () => {
    const elf = readElf(object);
    const table = elf.relocationTables()[0];
    const count = elf.symbolTable()?.count ?? 0;
    const entry = table.section.offset;
    const damaged = patched(object, (v) => {
      if (is64) v.setUint32(entry + (le ? 12 : 8), count + 5, le);
      else v.setUint32(entry + 4, ((count + 5) << 8) | (v.getUint32(entry + 4, le) & 0xff), le);
    });
    expect(errorOf(() => readElf(damaged).relocationTables()).message).toMatch(
      new RegExp(`entry 0 refers to symbol ${count + 5}, but its symbol table has ${count}`),
    );
  });

  it('throws only ElfFormatError for any truncation of the file', () => {
    for (let length = 0; length < object.length; length += 3) {
      errorOf(() => readEverything(object.subarray(0, length)));
    }
  });

  it('throws only ElfFormatError (or reads fine) whatever bytes are damaged', () => {
    // A fixed pseudo-random sequence, so that a failure is reproducible.
    let seed = 0x12345678;
    const random = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    const start = shoff();
    const regions = [
      [0, is64 ? 64 : 52],
      [start, object.length - start],
      [0, object.length],
    ];
    for (let round = 0; round < 3000; round++) {
      const copy = object.slice();
      const flips = 1 + random(4);
      for (let i = 0; i < flips; i++) {
        const [from, size] = regions[random(regions.length)];
        copy[from + random(size)] = random(256);
      }
      try {
        readEverything(copy);
      } catch (error) {
        if (!(error instanceof ElfFormatError)) {
          throw new Error(`round ${round}: ${String(error)}`, { cause: error });
        }
      }
    }
  });
});
