/**
 * The rule account is the generator's own decisions: on the kernel tool's
 * fixture listings and on random kernel-like listings, every line is
 * accounted for exactly once, and the symbols the account puts in the table
 * are exactly the ones `generateKallsyms` lists, for every generation.
 */
import { describe, expect, it } from 'vitest';
import { GENERATIONS, generateKallsyms } from '../kallsyms/index.ts';
import { listingFixtures, readFixture } from '../kallsyms/testing/fixtures.ts';
import { randomListing } from '../kallsyms/testing/random-listing.ts';
import { mulberry32 } from '../random/mulberry32.ts';
import { accountListing, READ_RULES } from './rules.ts';

const lineCount = (text: string) => text.split('\n').length - (text.endsWith('\n') ? 1 : 0);

function expectAccountMatches(
  text: string,
  options: { ignoreLldStubs?: boolean; allSymbols?: boolean },
) {
  const lines = lineCount(text);
  for (const generation of GENERATIONS) {
    const label = `${generation} ${JSON.stringify(options)}`;
    const account = accountListing(text, lines, { generation, listedNames: 5, ...options });
    const result = generateKallsyms(text, { generation, ...options });
    // Every line, exactly once (a v5.x line that gave no symbol is "not read").
    for (let line = 1; line <= lines; line++)
      expect(account.decisionOfLine[line], `${label} line ${line}`).toBeGreaterThanOrEqual(0);
    expect(
      account.tallies.reduce((n, t) => n + t.symbols, 0),
      label,
    ).toBe(lines);
    expect(account.kept, label).toBe(result.counts.keptSymbols);
    // The table's symbols, by line: the same set as the generator's.
    const inTable = [];
    for (let line = 1; line <= lines; line++) {
      if (account.tallies[account.decisionOfLine[line]].inTable) inTable.push(line);
    }
    expect(inTable, label).toEqual(result.symbols.map((s) => s.place.line).sort((a, b) => a - b));
    if (generation !== 'latest') {
      expect(
        account.tallies.some((t) => t.stage === 'mksysmap'),
        label,
      ).toBe(false);
    } else {
      expect(
        account.tallies.some((t) => t.rule === READ_RULES.unread),
        label,
      ).toBe(false);
    }
  }
}

describe('the rule account', () => {
  it.each(listingFixtures())(
    'accounts for every line of the fixture %s as the tool does',
    (file) => {
      const text = readFixture(file);
      expectAccountMatches(text, {});
      expectAccountMatches(text, { allSymbols: true });
    },
  );

  it('accounts for random kernel-like listings, with and without the ld.lld stub filter', () => {
    const random = mulberry32(99);
    for (let round = 0; round < 25; round++) {
      const { text } = randomListing(random, 300, round % 2 === 0);
      expectAccountMatches(text, {});
      expectAccountMatches(text, { ignoreLldStubs: true });
    }
  });

  it('names the mksysmap rule of each dropped line and keeps a few examples', () => {
    const text =
      [
        '                 U printk',
        'c000000000000000 T _stext',
        'c000000000000010 t __LongThunk_f',
        'c000000000000020 T _etext',
        'c000000000000030 R __crc_f',
      ].join('\n') + '\n';
    const account = accountListing(text, 5, { generation: 'latest', listedNames: 5 });
    const byRule = Object.fromEntries(account.tallies.map((t) => [t.rule, t.examples]));
    expect(byRule['mksysmap / [aNUw] /']).toEqual(['printk']);
    expect(byRule['mksysmap / __[A-Za-z0-9]*Thunk_/']).toEqual(['__LongThunk_f']);
    expect(byRule['mksysmap / __crc_/']).toEqual(['__crc_f']);
    const v59 = accountListing(text, 5, { generation: 'v5.9', listedNames: 5 });
    expect(v59.tallies[0]).toMatchObject({
      rule: READ_RULES.unread,
      symbols: 1,
      examples: ['printk'],
    });
  });
});
