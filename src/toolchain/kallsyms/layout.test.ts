import { afterAll, describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS } from '../arch/targets.ts';
import { generateKallsyms, layoutKallsyms } from './index.ts';
import { Assembler } from './testing/clang.ts';
import { expectLayoutMatches } from './testing/compare.ts';
import { outputFixtures, readFixture } from './testing/fixtures.ts';

describe('the layout equals what clang-16 assembles from the printed text', () => {
  const assembler = new Assembler();
  afterAll(() => assembler.dispose());

  for (const fixture of outputFixtures()) {
    for (const arch of ARCH_IDS) {
      it(`${fixture.file} on ${arch}`, () => {
        const target = TARGETS[arch];
        const result = generateKallsyms(readFixture(fixture.listing), {
          ...fixture.options,
          wordSize: target.wordSize,
        });
        const spec = layoutKallsyms(result, target);
        expectLayoutMatches(spec, assembler.assemble(fixture.file, result.text, target));
        expect(result.sizes.total).toBe(spec.section.data.length);
      });
    }
  }

  it('lays out the empty table of the first latest pass', () => {
    const result = generateKallsyms('', { generation: 'latest' });
    for (const arch of ARCH_IDS) {
      const target = TARGETS[arch];
      expectLayoutMatches(
        layoutKallsyms(result, target),
        assembler.assemble('empty', result.text, target),
      );
    }
  });
});
