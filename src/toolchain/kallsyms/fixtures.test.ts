import { describe, expect, it } from 'vitest';
import { generateKallsyms, mksysmap } from './index.ts';
import { outputFixtures, readFixture } from './testing/fixtures.ts';

describe("the kernel tool's fixtures, byte for byte", () => {
  const fixtures = outputFixtures();

  it('finds the fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(8);
  });

  for (const fixture of fixtures) {
    it(`${fixture.file} from ${fixture.listing}`, () => {
      const result = generateKallsyms(readFixture(fixture.listing), fixture.options);
      const expected = readFixture(fixture.file);
      if (result.text !== expected) {
        // A line diff reads better than two 300 kB strings.
        expect(result.text.split('\n')).toEqual(expected.split('\n'));
      }
      expect(result.text).toBe(expected);
      expect(result.warnings).toEqual([]);
    });
  }

  it('example.latest.syms is the mksysmap filter of example.nm', () => {
    expect(mksysmap(readFixture('example.nm')).text).toBe(readFixture('example.latest.syms'));
  });

  it('latest reads raw nm output and its .syms file alike', () => {
    const fromNm = generateKallsyms(readFixture('example.nm'), { generation: 'latest' });
    const fromSyms = generateKallsyms(readFixture('example.latest.syms'), { generation: 'latest' });
    expect(fromSyms.text).toBe(fromNm.text);
    expect(fromNm.syms).toBe(readFixture('example.latest.syms'));
  });
});
