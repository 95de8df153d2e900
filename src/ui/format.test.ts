import { describe, expect, it } from 'vitest';
import { findPreset } from '../toolchain/scenario/presets.ts';
import { passesToCsv } from './export.ts';
import {
  describeCorpusProgress,
  describeScenario,
  formatGapMiB,
  parseAlign,
  parseBase,
  parseGapMiB,
  parseMaxPasses,
} from './format.ts';
import { makePass } from './store/testing/fakes.ts';

describe('gap in MiB', () => {
  it('shows every preset gap exactly and reads it back', () => {
    for (const gap of [0, 8 << 20, 0x1fb0000, 0x1fc0000, 0x1fe1000, 1024]) {
      const text = formatGapMiB(gap);
      expect(parseGapMiB(text)).toEqual({ ok: true, value: gap });
    }
    expect(formatGapMiB(0x1fb0000)).toBe('31.6875');
    expect(formatGapMiB(1)).toBe('0.0000009537');
  });

  it('rounds to whole KiB, takes hex bytes, refuses the rest', () => {
    expect(parseGapMiB(' 1.5 ')).toEqual({ ok: true, value: 1.5 * 1024 * 1024 });
    expect(parseGapMiB('.25')).toEqual({ ok: true, value: 256 * 1024 });
    expect(parseGapMiB('0x10')).toEqual({ ok: true, value: 16 });
    for (const bad of ['', 'abc', '-1', '1e3', '1,5', '0x'])
      expect(parseGapMiB(bad).ok).toBe(false);
    expect(parseGapMiB('1025')).toMatchObject({ ok: false, error: expect.stringMatching(/1 GiB/) });
  });

  it('says what is wrong with a refused gap, and the range (issue 9, point 7)', () => {
    const error = (text: string) => (parseGapMiB(text) as { error: string }).error;
    expect(error('-5')).toBe(
      'The gap cannot be negative (-5): enter the gap in MiB from 0 to 1024 MiB, such as 31.6875 (or bytes in hex, 0x1fb0000).',
    );
    expect(error('')).toMatch(/^The gap is empty: enter the gap in MiB from 0 to 1024 MiB/);
    expect(error('1e3')).toMatch(/^Write the gap without an exponent \(1e3\)/);
    expect(error('31.5abc')).toMatch(/^"31\.5abc" is not a number of MiB: .*from 0 to 1024 MiB/);
    expect(error('x'.repeat(100))).toMatch(/^"x{12}…" is not a number/);
    expect(error('2000')).toMatch(
      /at most 1024 MiB \(1 GiB\): enter the gap in MiB from 0 to 1024 MiB/,
    );
  });
});

describe('alignment, base, cap', () => {
  it('alignment: decimal, hex or K/M, a power of two from 4 bytes to 256 MiB', () => {
    expect(parseAlign('16')).toEqual({ ok: true, value: 16 });
    expect(parseAlign('0x1000')).toEqual({ ok: true, value: 4096 });
    expect(parseAlign('64K')).toEqual({ ok: true, value: 65536 });
    expect(parseAlign('16MiB')).toEqual({ ok: true, value: 16 << 20 });
    expect(parseAlign('2').ok).toBe(false);
    expect(parseAlign('512M').ok).toBe(false);
    expect(parseAlign('48').ok).toBe(false);
    expect(parseAlign('x').ok).toBe(false);
  });

  it('base: 0x and up to 16 hex digits, kept in lower case', () => {
    expect(parseBase('0xC000000000000000')).toEqual({ ok: true, value: '0xc000000000000000' });
    expect(parseBase('0x1' + '0'.repeat(16)).ok).toBe(false);
    expect(parseBase('c0000000').ok).toBe(false);
  });

  it('max passes: 2 to 64', () => {
    expect(parseMaxPasses('2')).toEqual({ ok: true, value: 2 });
    expect(parseMaxPasses('64')).toEqual({ ok: true, value: 64 });
    expect(parseMaxPasses('1').ok).toBe(false);
    expect(parseMaxPasses('8.5').ok).toBe(false);
  });
});

describe('labels and exports', () => {
  it('names a run by its preset and what matters', () => {
    const s = findPreset('powerpc-2020')!.scenario;
    expect(describeScenario(s, 'powerpc-2020')).toBe(
      'powerpc-2020 · ppc64le · v5.9 · gap 31.6875 MiB',
    );
    expect(describeScenario({ ...s, strategy: 'eight-passes', filterLldStubs: true }, null)).toBe(
      'custom · ppc64le · eight-passes/v5.9 · gap 31.6875 MiB · lld stubs filtered',
    );
  });

  it('CSV has the table columns, a row per pass, empty cells for the final link', () => {
    const csv = passesToCsv([
      makePass(1, { object: 500, stubs: 2, added: 2 }),
      makePass(2, { step: 'vmlinux', stubs: 2 }),
    ]);
    expect(csv.split('\r\n')).toEqual([
      'Link,Image,Listing lines,Table symbols,Table bytes,Object size,Stubs,New stubs,Calls out of reach,Link ms,Bytes per new stub,Next targets’ spacing,Ratio,Predicts',
      '1,.tmp_vmlinux1,2001,1001,10010,500,2,2,2,13,,,,',
      'vmlinux,vmlinux,2002,,,,2,0,2,14,,,,',
      '',
    ]);
  });
});

describe('a generated corpus being made, in words', () => {
  it('says each stage of the worker’s progress, and when the corpus is made', () => {
    expect(describeCorpusProgress({ stage: 'plan', done: 0, total: 1 })).toBe(
      'making the generated corpus in the worker: planning…',
    );
    expect(describeCorpusProgress({ stage: 'write', done: 120, total: 1400 })).toBe(
      'making the generated corpus in the worker: object 120 of 1,400 written…',
    );
    expect(describeCorpusProgress({ stage: 'checksum', done: 3, total: 400 })).toBe(
      'making the generated corpus in the worker: checking object 3 of 400…',
    );
    expect(describeCorpusProgress({ stage: 'checksum', done: 400, total: 400 })).toBe(
      'made the generated corpus in the worker (400 objects): linking the first image…',
    );
  });
});
