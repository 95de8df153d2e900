import { describe, expect, it } from 'vitest';
import { generateKallsyms } from './index.ts';
import { IGNORE_RULES, ignoreRuleOf, isIgnoredSymbol } from './ignore.ts';
import { KERNEL_BASE as B, kernelListing, listing, nm } from './testing/nm.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';

const v59 = { generation: 'v5.9' } as const;
const v58 = { generation: 'v5.8' } as const;
const latest = { generation: 'latest' } as const;

describe('ignored symbols', () => {
  it('drops u and n in every generation, U and N in v5.x only', () => {
    for (const options of [v58, v59, latest]) {
      expect(isIgnoredSymbol('x', 'u', options)).toBe(true);
      expect(isIgnoredSymbol('x', 'n', options)).toBe(true);
    }
    expect(isIgnoredSymbol('x', 'U', v59)).toBe(true);
    expect(isIgnoredSymbol('x', 'N', v59)).toBe(true);
    expect(isIgnoredSymbol('x', 'U', latest)).toBe(false); // mksysmap's job there
  });

  it('drops absolute symbols except the four the kernel needs', () => {
    for (const options of [v59, latest]) {
      expect(isIgnoredSymbol('abs_symbol', 'A', options)).toBe(true);
      expect(isIgnoredSymbol('abs_symbol', 'a', options)).toBe(true);
      for (const name of [
        '__kernel_syscall_via_break',
        '__kernel_syscall_via_epc',
        '__kernel_sigtramp',
        '__gp',
      ]) {
        expect(isIgnoredSymbol(name, 'A', options), name).toBe(false);
      }
    }
  });

  it("v5.9 drops the table's own names and the listed prefixes and suffixes", () => {
    const ignored = [
      'kallsyms_addresses',
      'kallsyms_offsets',
      'kallsyms_relative_base',
      'kallsyms_num_syms',
      'kallsyms_names',
      'kallsyms_markers',
      'kallsyms_token_table',
      'kallsyms_token_index',
      '_SDA_BASE_',
      '_SDA2_BASE_',
      '$x',
      '.LASANPC123',
      '__crc_memcpy',
      '__efistub_foo',
      '__kvm_nvhe_foo',
      '__AArch64ADRPThunk_x',
      '__ARMV5PILongThunk_x',
      '__ARMV7PILongThunk_x',
      '__ThumbV7PILongThunk_x',
      '__LA25Thunk_x',
      '__microLA25Thunk_x',
      'f_from_arm',
      'f_from_thumb',
      'f_veneer',
    ];
    for (const name of ignored) {
      expect(isIgnoredSymbol(name, 'T', v59), name).toBe(true);
      expect(isIgnoredSymbol(name, 'T', v58), name).toBe(true);
      expect(isIgnoredSymbol(name, 'T', latest), name).toBe(false);
    }
    for (const name of [
      'kallsyms_seqs_of_names',
      '_SDA_BASE_x',
      'x$',
      '__LongThunk_x',
      'x_veneer_',
    ]) {
      expect(isIgnoredSymbol(name, 'T', v59), name).toBe(false);
    }
  });

  it('v5.9 drops GNU ld stubs (.long_branch. / .plt_branch.), v5.8 does not', () => {
    for (const name of ['00000075.long_branch.memmove', '0000001a.plt_branch.foo+4']) {
      expect(isIgnoredSymbol(name, 't', v59)).toBe(true);
      expect(isIgnoredSymbol(name, 't', v58)).toBe(false);
    }
  });

  it('ld.lld stubs are kept unless ignoreLldStubs', () => {
    for (const name of ['__long_branch_f', '__plt_f', '__toc_save_f', '__gep_setup_f']) {
      expect(isIgnoredSymbol(name, 't', v59)).toBe(false);
      expect(isIgnoredSymbol(name, 't', { ...v59, ignoreLldStubs: true })).toBe(true);
      expect(isIgnoredSymbol(name, 't', { ...v58, ignoreLldStubs: true })).toBe(true);
    }
    expect(isIgnoredSymbol('long_branch_f', 't', { ...v59, ignoreLldStubs: true })).toBe(false);
  });

  it('names the rule that drops a symbol, the very string that matched', () => {
    expect(ignoreRuleOf('x', 'U', v59)).toBe(IGNORE_RULES.undefined);
    expect(ignoreRuleOf('x', 'U', latest)).toBeNull();
    expect(ignoreRuleOf('x', 'a', latest)).toBe(IGNORE_RULES.absolute);
    expect(ignoreRuleOf('kallsyms_names', 'R', v58)).toBe(IGNORE_RULES.ownName);
    expect(ignoreRuleOf('__crc_memcpy', 'A', v59)).toBe(IGNORE_RULES.absolute); // type first
    expect(ignoreRuleOf('__crc_memcpy', 'R', v59)).toBe('v5.x: prefix "__crc_"');
    expect(ignoreRuleOf('__LA25Thunk_f', 't', v59)).toBe('v5.x: prefix "__LA25Thunk_"');
    expect(ignoreRuleOf('__f_veneer', 't', v58)).toBe('v5.x: suffix "_veneer"');
    expect(ignoreRuleOf('00000075.long_branch.f', 't', v59)).toMatch(
      /^v5\.9: contains "\.long_branch\."/,
    );
    expect(ignoreRuleOf('00000075.long_branch.f', 't', v58)).toBeNull();
    expect(ignoreRuleOf('__plt_f', 't', { ...v59, ignoreLldStubs: true })).toBe(
      IGNORE_RULES.lldStub,
    );
    expect(ignoreRuleOf('core_fn', 'T', v59)).toBeNull();
  });
});

describe('the v5.x name rules as lists', () => {
  // The spec's lists, tested one by one: the plain reading of the rules.
  const prefixes = [
    '$',
    '.LASANPC',
    '__crc_',
    '__efistub_',
    '__kvm_nvhe_',
    '__AArch64ADRPThunk_',
    '__ARMV5PILongThunk_',
    '__ARMV7PILongThunk_',
    '__ThumbV7PILongThunk_',
    '__LA25Thunk_',
    '__microLA25Thunk_',
  ];
  const suffixes = ['_from_arm', '_from_thumb', '_veneer'];
  const substrings = ['.long_branch.', '.plt_branch.'];
  const names = [
    'kallsyms_addresses',
    'kallsyms_offsets',
    'kallsyms_relative_base',
    'kallsyms_num_syms',
    'kallsyms_names',
    'kallsyms_markers',
    'kallsyms_token_table',
    'kallsyms_token_index',
    '_SDA_BASE_',
    '_SDA2_BASE_',
  ];
  const plain = (name: string, generation: 'v5.8' | 'v5.9'): boolean =>
    names.includes(name) ||
    prefixes.some((p) => name.startsWith(p)) ||
    suffixes.some((x) => name.endsWith(x)) ||
    (generation === 'v5.9' && substrings.some((x) => name.includes(x)));

  it('match names exactly as testing each entry does', () => {
    const random = mulberry32(17);
    const parts = [
      ...prefixes,
      ...suffixes,
      ...substrings,
      'x',
      '_',
      '.',
      '$',
      'LASANPC',
      'veneer',
    ];
    for (let round = 0; round < 3000; round++) {
      const name = Array.from({ length: randomInt(random, 4) }, () => pick(random, parts)).join('');
      for (const generation of ['v5.8', 'v5.9'] as const) {
        expect(isIgnoredSymbol(name, 'T', { generation }), `${generation} ${name}`).toBe(
          plain(name, generation),
        );
      }
    }
  });
});

describe('the stub filter option end to end', () => {
  const text = kernelListing([
    [B + 0x10n, 'T', 'memcpy'],
    [B + 0x100020n, 't', '__long_branch_memcpy'],
    [B + 0x100040n, 't', '__plt_schedule'],
    [B + 0x100060n, 't', '__toc_save_foo'],
    [B + 0x100080n, 't', '__gep_setup_bar'],
  ]);
  const stubs = ['__long_branch_memcpy', '__plt_schedule', '__toc_save_foo', '__gep_setup_bar'];

  for (const generation of ['v5.8', 'v5.9', 'latest'] as const) {
    it(`${generation}: off by default, drops the four stub kinds when on`, () => {
      const plain = generateKallsyms(text, { generation });
      const fixed = generateKallsyms(text, { generation, ignoreLldStubs: true });
      const names = (r: typeof plain) => r.symbols.map((s) => s.name);
      expect(names(plain)).toEqual(expect.arrayContaining(stubs));
      for (const stub of stubs) expect(names(fixed)).not.toContain(stub);
      expect(fixed.counts.tableSymbols).toBe(plain.counts.tableSymbols - 4);
      expect(fixed.sizes.total).toBeLessThan(plain.sizes.total);
      if (generation === 'latest') {
        // The rule lives in mksysmap, so the .syms file (and System.map) lose them too.
        expect(fixed.syms).not.toContain('__plt_schedule');
        expect(fixed.counts.symsLines).toBe(plain.counts.symsLines! - 4);
      }
    });
  }
});

describe('_text', () => {
  it('is remembered even when its line is ignored', () => {
    const text = listing(
      nm(B, 'T', '_stext'),
      nm(B + 0x40n, 'A', '_text'),
      nm(B + 0x100n, 'T', '_etext'),
    );
    for (const generation of ['v5.9', 'latest'] as const) {
      const result = generateKallsyms(text, { generation });
      expect(result.textAddr).toBe(B + 0x40n);
      expect(result.symbols.map((s) => s.name)).toEqual(['_stext', '_etext']);
      expect(result.text).toContain('\tPTR\t_text - 0x40\n');
    }
  });
});
