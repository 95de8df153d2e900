import { describe, expect, it } from 'vitest';
import {
  LLD_STUB_RULES,
  MKSYSMAP_RULES,
  MKSYSMAP_V59_RULES,
  describeMksysmapRule,
  latestRules,
  mksysmap,
  mksysmapRuleOf,
  mksysmapV59,
  type MksysmapResult,
} from './mksysmap.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';
import { listing, nm, nmUndefined } from './testing/nm.ts';

const drops = (line: string): boolean => mksysmap(line + '\n').lines.length === 0;

describe('the mksysmap filter (latest)', () => {
  it('drops a, N, U and w lines, keeps A, n, u, W', () => {
    expect(drops(nm(0, 'a', 'x'))).toBe(true);
    expect(drops(nm(0, 'N', 'x'))).toBe(true);
    expect(drops(nmUndefined('U', 'x'))).toBe(true);
    expect(drops(nmUndefined('w', 'x'))).toBe(true);
    expect(drops(nm(0, 'w', 'x'))).toBe(true);
    for (const type of ['A', 'n', 'u', 'W', 'T', 't']) expect(drops(nm(0, type, 'x'))).toBe(false);
  });

  it('drops each name rule of the kernel', () => {
    const dropped = [
      '$x',
      '.Ltmp0',
      '__efistub_foo',
      '__pi_\\',
      '__pi_.Lfoo',
      '__kvm_nvhe_$x',
      '__kvm_nvhe_.Lx',
      '__AArch64ADRPThunk_foo',
      '__LongThunk_printk',
      '__Thunk_x',
      '__kcfi_typeid_foo',
      '__kvm_nvhe___kcfi_typeid_foo',
      '__pi___kcfi_typeid_foo',
      '__crc_memcpy',
      '__kstrtab_memcpy',
      '__kstrtabns_memcpy',
      'foo_from_arm',
      'foo_from_thumb',
      'foo_veneer',
      'L0',
      '_SDA_BASE_',
      '_SDA2_BASE_',
      '00000075.long_branch.memmove',
      '0000001a.plt_branch.foo',
    ];
    for (const name of dropped) expect(drops(nm(0x10, 'T', name)), name).toBe(true);
  });

  it('keeps near misses', () => {
    const kept = [
      'x$',
      'x.L',
      '__pi_x', // the rule wants a literal backslash at the end of the line
      '__pi_\\x',
      '__Thunk', // no trailing underscore
      '__x-Thunk_y', // "-" is not alnum
      'foo_from_arm_x',
      'foo_veneer2',
      'L0x',
      '_SDA_BASE_x',
      'x.long_branchy',
      '__long_branch_memcpy', // ld.lld's stubs: the kernel keeps them
      '__plt_schedule',
    ];
    for (const name of kept) expect(drops(nm(0x10, 'T', name)), name).toBe(false);
  });

  it('searches the whole line: "_veneer" at the end drops whatever the type', () => {
    expect(drops('zzz junk_veneer')).toBe(true);
  });

  it('with ignoreLldStubs, also drops ld.lld PPC64 stubs', () => {
    const text = listing(
      nm(1, 't', '__long_branch_memcpy'),
      nm(2, 't', '__plt_schedule'),
      nm(3, 't', '__toc_save_foo'),
      nm(4, 't', '__gep_setup_bar'),
      nm(5, 'T', 'long_branch_ok'),
      nm(6, 'T', '_plt_ok'),
    );
    expect(mksysmap(text).lines).toHaveLength(6);
    const filtered = mksysmap(text, { ignoreLldStubs: true });
    expect(filtered.lines.map((l) => l.line)).toEqual([5, 6]);
    expect(filtered.text).toBe(listing(nm(5, 'T', 'long_branch_ok'), nm(6, 'T', '_plt_ok')));
  });

  it('writes lines as sed does, keeping a missing final newline missing', () => {
    expect(mksysmap('').text).toBe('');
    expect(mksysmap(`${nm(1, 'T', 'a')}\n${nm(2, 'T', 'b')}`).text).toBe(
      `${nm(1, 'T', 'a')}\n${nm(2, 'T', 'b')}`,
    );
    expect(mksysmap(`${nm(1, 'T', 'a')}\n${nm(2, 'U', 'b')}`).text).toBe(`${nm(1, 'T', 'a')}\n`);
    expect(mksysmap('\n\n').lines).toHaveLength(2);
  });

  it('reports input lines and original line numbers', () => {
    const result = mksysmap(listing(nmUndefined('U', 'u'), nm(1, 'T', 'a')));
    expect(result.inputLines).toBe(2);
    expect(result.lines).toEqual([{ line: 2, text: nm(1, 'T', 'a') }]);
  });
});

describe('the v5.9 System.map filter', () => {
  it('drops [aNUw] lines, __crc_ anywhere, $a/$d/$t and .L', () => {
    const text = listing(
      nm(1, 'T', 'keep'),
      nm(2, 'a', 'abs'),
      nm(3, 'T', 'x__crc_y'),
      nm(4, 't', '$a'),
      nm(5, 't', '$x'),
      nm(6, 't', '.Lfoo'),
      nm(7, 't', '__long_branch_keep'),
    );
    expect(mksysmapV59(text).lines.map((l) => l.line)).toEqual([1, 5, 7]);
  });
});

/** sed's `/re/d` as plainly as it can be said: split, test each line, join. */
function plainFilter(text: string, rules: readonly RegExp[]): MksysmapResult {
  const all: string[] = [];
  for (let at = 0; at < text.length;) {
    const nl = text.indexOf('\n', at);
    all.push(text.slice(at, nl < 0 ? text.length : nl));
    at = nl < 0 ? text.length : nl + 1;
  }
  const lines = all
    .map((t, i) => ({ text: t, line: i + 1 }))
    .filter((l) => !rules.some((rule) => rule.test(l.text)));
  const open = text.length > 0 && !text.endsWith('\n') ? all.length : 0;
  return {
    text: lines.map((l) => (l.line === open ? l.text : l.text + '\n')).join(''),
    lines,
    inputLines: all.length,
  };
}

describe('the filter over the whole listing at once', () => {
  it('agrees with testing each line on its own, on lines made to catch it out', () => {
    // Line ends that "$" must (not) match: "\r", a missing final newline,
    // empty lines; and names that end each rule or nearly do.
    const names = [
      'foo_veneer',
      'foo_veneer\r',
      'foo_veneer2',
      'L0',
      'L0\r',
      '__pi_\\',
      '__pi_\\x',
      '_SDA_BASE_',
      '$x',
      'a$',
      '.Lx',
      '__crc_x',
      '__x9Thunk_y',
      '__x-Thunk_y',
      '__long_branch_f',
      'x.long_branch.y',
      'plain',
      '',
      ' ',
    ];
    const random = mulberry32(21);
    for (let round = 0; round < 200; round++) {
      const lines = Array.from({ length: randomInt(random, 12) }, () =>
        random() < 0.1
          ? pick(random, ['', '\r', ' ', 'garbage'])
          : `${randomInt(random, 1 << 20).toString(16)} ${pick(random, ['T', 't', 'a', 'w', 'U'])} ${pick(random, names)}`,
      );
      const text = lines.join('\n') + (random() < 0.5 ? '\n' : '');
      const label = JSON.stringify(text);
      expect(mksysmap(text), label).toEqual(plainFilter(text, MKSYSMAP_RULES));
      expect(mksysmap(text, { ignoreLldStubs: true }), label).toEqual(
        plainFilter(text, [...MKSYSMAP_RULES, ...LLD_STUB_RULES]),
      );
      expect(mksysmapV59(text), label).toEqual(plainFilter(text, MKSYSMAP_V59_RULES));
    }
  });
});

describe('naming the rule that drops a line', () => {
  it('is the first rule that matches, as sed stops at the first d', () => {
    // ' [aNUw] ' and ' __crc_' both match; the type rule comes first.
    expect(mksysmapRuleOf(nmUndefined('U', '__crc_x'), MKSYSMAP_RULES)).toBe(MKSYSMAP_RULES[0]);
    expect(mksysmapRuleOf(nm(0, 'R', '__crc_x'), MKSYSMAP_RULES)?.source).toBe(' __crc_');
    expect(mksysmapRuleOf(nm(0, 't', '__LongThunk_f'), MKSYSMAP_RULES)?.source).toBe(
      ' __[A-Za-z0-9]*Thunk_',
    );
    expect(mksysmapRuleOf(nm(0, 't', '__long_branch_f'), MKSYSMAP_RULES)).toBeUndefined();
    const withLld = latestRules(true);
    const rule = mksysmapRuleOf(nm(0, 't', '__long_branch_f'), withLld)!;
    expect(describeMksysmapRule(rule)).toMatch(
      /^mksysmap \/ __long_branch_\/ \(ld\.lld stub filter/,
    );
    expect(describeMksysmapRule(MKSYSMAP_RULES[0])).toBe('mksysmap / [aNUw] /');
  });

  it('agrees with the filter on every line of random listings', () => {
    const random = mulberry32(11);
    const names = [
      'f',
      '__crc_f',
      '$x',
      '.Lx',
      '__LongThunk_f',
      'f_veneer',
      'L0',
      'a.long_branch.b',
    ];
    for (let round = 0; round < 20; round++) {
      const lines = Array.from({ length: 40 }, () =>
        nm(randomInt(random, 1000), pick(random, ['T', 't', 'a', 'w', 'R']), pick(random, names)),
      );
      const kept = new Set(mksysmap(listing(...lines)).lines.map((l) => l.line));
      lines.forEach((line, i) => {
        expect(mksysmapRuleOf(line, MKSYSMAP_RULES) === undefined, line).toBe(kept.has(i + 1));
      });
    }
  });
});
