/**
 * Listing lines read exactly as the kernel tool reads them (issue 10, point 9).
 * `latest` reads a line with getline and takes its address with
 * `strtoull(line, &end, 16)`, which skips leading whitespace and takes a sign
 * and a `0x` prefix; `v5.9` reads with `fscanf("%llx %c %499s\n")`; both then
 * treat the name as a C string, so a NUL byte ends it. The oracle here is
 * glibc itself: a small C program (ours, written from spec/kallsyms.md) built
 * with Debian's clang-16 that reads the same bytes with those very calls.
 * The odd lines the kernel accepts are then run through the whole generator
 * and the output assembled by clang-16, as the other kallsyms tests do.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS } from '../arch/targets.ts';
import { bytesToByteString, byteStringToBytes } from './bytes.ts';
import { generateKallsyms, KallsymsError, layoutKallsyms } from './index.ts';
import { parseLatestSpan, scanV59Listing } from './listing.ts';
import { Assembler, CLANG, requireClang } from './testing/clang.ts';
import { expectLayoutMatches } from './testing/compare.ts';
import { decodeTable } from './testing/decode.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';

/** Each line as `latest` reads it: "OK addr type-byte name-hex", "ERR", or "UB" (reads past the line). */
const LATEST_READER = String.raw`
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static void hex(const char *s, size_t n) { for (size_t i = 0; i < n; i++) printf("%02x", (unsigned char)s[i]); }
int main(void) {
  char *line = NULL; size_t cap = 0; ssize_t len;
  while ((len = getline(&line, &cap, stdin)) >= 0) {
    if (len > 0 && line[len - 1] == '\n') line[--len] = 0;
    char *end; unsigned long long addr = strtoull(line, &end, 16);
    if (line == end || *end != ' ') { puts("ERR"); continue; }
    end++;
    if (end - line >= len) { puts("UB"); continue; }
    unsigned char type = (unsigned char)*end++;
    if (!isascii(type)) { puts("ERR"); continue; }
    if (end - line >= len) { puts("UB"); continue; }
    if (*end++ != ' ') { puts("ERR"); continue; }
    printf("OK %llx %02x ", addr, type); hex(end, strlen(end)); putchar('\n');
  }
  return 0;
}`;

/** The symbols `v5.9` reads from the whole stream: "OK addr type-byte name-hex" each. */
const V59_READER = String.raw`
#include <stdio.h>
#include <string.h>
int main(void) {
  unsigned long long addr; char type; char name[500];
  while (!feof(stdin)) {
    int items = fscanf(stdin, "%llx %c %499s\n", &addr, &type, name);
    if (items != 3) { if (items != EOF) fgets(name, 500, stdin); continue; }
    printf("OK %llx %02x ", addr, (unsigned char)type);
    for (size_t i = 0; i < strlen(name); i++) printf("%02x", (unsigned char)name[i]);
    putchar('\n');
  }
  return 0;
}`;

let dir: string;
const readers: Record<'latest' | 'v59', string> = { latest: '', v59: '' };

beforeAll(() => {
  requireClang();
  dir = mkdtempSync(join(tmpdir(), 'kallsyms-oracle-'));
  for (const [name, source] of [
    ['latest', LATEST_READER],
    ['v59', V59_READER],
  ] as const) {
    writeFileSync(join(dir, `${name}.c`), source);
    readers[name] = join(dir, name);
    execFileSync(CLANG, ['-O1', '-w', '-x', 'c', join(dir, `${name}.c`), '-o', readers[name]]);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** What glibc reads from a byte-string listing. */
function oracle(reader: 'latest' | 'v59', listing: string): string[] {
  const out = execFileSync(readers[reader], { input: byteStringToBytes(listing) });
  const lines = out.toString('latin1').split('\n');
  lines.pop(); // after the last newline
  return lines;
}

const hexBytes = (s: string) =>
  Array.from(s, (c) => c.charCodeAt(0).toString(16).padStart(2, '0')).join('');

/** Our reading of one line, in the oracle's words. */
function ours(line: string): string {
  try {
    const s = parseLatestSpan(line, 0, line.length, 1, []);
    if (!s) return 'SKIPPED';
    return `OK ${s.addr.toString(16)} ${hexBytes(s.type)} ${hexBytes(s.name)}`;
  } catch (error) {
    if (error instanceof KallsymsError && error.code === 'line-format') return 'ERR';
    throw error;
  }
}

/** The lines, and the edges of strtoull around them. */
const ODD_LINES = [
  '0xc000000000000010 T prefixed',
  '0XC000000000000010 T upper_prefix',
  ' c000000000000010 T leading_space',
  '\t\v\f\rc000000000000010 T leading_whitespace',
  '+c000000000000010 T plus',
  '-10 T minus',
  '-0x10 T minus_prefixed',
  ' -0x10 T space_minus_prefixed',
  '-1ffffffffffffffff T minus_overflow',
  '1ffffffffffffffff T overflow',
  '0000000000000000000000010 T leading_zeros',
  'c000000000000010 T nul\0inside',
  'c000000000000010 T \0starts_with_nul',
  'c000000000000010 \0 nul_type',
  'c000000000000010 T name with spaces\r',
  '0x T no_digits_after_prefix',
  '0xg T bad_prefix',
  '- 10 T sign_then_space',
  '+-10 T two_signs',
  '0x0x10 T two_prefixes',
  ' ',
  '',
  'c000000000000010  T two_spaces',
  'c000000000000010 \u00e9 high_type',
  'c0000000000000\u00ff0 T high_digit',
  '10\0 T nul_in_address',
];

describe('latest reads each line as strtoull/isascii/strlen do (glibc oracle)', () => {
  it.each(ODD_LINES.map((line) => [JSON.stringify(line), line]))('%s', (_, line) => {
    const [expected] = oracle('latest', line + '\n');
    expect(ours(line)).toBe(expected);
  });

  it('agrees on 3,000 random lines built from the same pieces', () => {
    const random = mulberry32(9);
    const pieces = {
      lead: ['', '', ' ', '\t', '  ', '\v', '\r'],
      sign: ['', '', '', '+', '-'],
      prefix: ['', '', '0x', '0X', '0'],
      digits: ['', '1', 'c000000000000010', 'fffffffffffffffff', 'aBcD', '00000000000000000010'],
      gap: [' ', ' ', ' ', '  ', '\t', ''],
      type: ['T', 't', 'W', '\0', ' ', '\u0080', '\u00ff', '~'],
      gap2: [' ', ' ', ' ', '', '\t'],
      name: ['f', '', 'a b', 'n\0x', '\0', 'x\r', 'é'],
    };
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      lines.push(
        (Object.values(pieces) as string[][])
          .map((options) => pick(random, options))
          .join('')
          // getline's view of "\n" inside a piece would split the line; none has one.
          .replace(/\n/g, ''),
      );
    }
    const expected = oracle('latest', lines.map((l) => l + '\n').join(''));
    expect(expected).toHaveLength(lines.length);
    const checked = lines.filter((line, i) => {
      if (expected[i] === 'UB') return false; // glibc would read past the line: no answer to match
      expect(ours(line), JSON.stringify(line)).toBe(expected[i]);
      return true;
    });
    expect(checked.length).toBeGreaterThan(2500);
  });
});

describe('v5.9 reads the stream as fscanf("%llx %c %499s\\n") does (glibc oracle)', () => {
  it('on the odd lines, and on random streams of them', () => {
    const random = mulberry32(11);
    const listings = [ODD_LINES.join('\n') + '\n'];
    for (let i = 0; i < 200; i++) {
      const lines = Array.from({ length: 1 + randomInt(random, 12) }, () =>
        pick(random, ODD_LINES),
      );
      listings.push(
        lines.join(pick(random, ['\n', '\n', ' \n', '\n\n'])) + pick(random, ['', '\n']),
      );
    }
    for (const listing of listings) {
      const scanned = scanV59Listing(listing).symbols.map(
        (s) => `OK ${s.addr.toString(16)} ${hexBytes(s.type)} ${hexBytes(s.name)}`,
      );
      expect(scanned, JSON.stringify(listing)).toEqual(oracle('v59', listing));
    }
  });
});

describe('the odd lines the kernel accepts, through the generator and clang-16', () => {
  const assembler = new Assembler();
  afterAll(() => assembler.dispose());
  const listing = [
    'c000000000000000 T _text',
    ' c000000000000000 T _stext',
    '0xc000000000000010 T prefixed',
    '\tc000000000000020 T tabbed',
    '+c000000000000030 T plus',
    'c000000000000040 T nul\0dropped_tail',
    'c000000000000050 T _etext',
    '',
  ].join('\n');

  it.each(['latest', 'v5.9'] as const)(
    '%s: the table lists them as glibc read them',
    (generation) => {
      const result = generateKallsyms(bytesToByteString(byteStringToBytes(listing)), {
        generation,
      });
      expect(result.symbols.map((s) => `${s.type}${s.name}@${s.addr.toString(16)}`)).toEqual([
        'T_text@c000000000000000',
        'T_stext@c000000000000000',
        'Tprefixed@c000000000000010',
        'Ttabbed@c000000000000020',
        'Tplus@c000000000000030',
        'Tnul@c000000000000040',
        'T_etext@c000000000000050',
      ]);
      // No NUL reaches the assembler source, which clang-16 assembles to the same bytes.
      expect(result.text.includes('\0')).toBe(false);
      const target = TARGETS.ppc64le;
      const spec = layoutKallsyms(result, target);
      expect(decodeTable(spec, generation, result.textAddr).entries).toContain('Tnul');
      expectLayoutMatches(spec, assembler.assemble(`odd-${generation}`, result.text, target));
    },
  );
});
