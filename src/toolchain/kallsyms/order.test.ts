import { describe, expect, it } from 'vitest';
import { generateKallsyms } from './index.ts';
import { leadingUnderscores, mayBeLinkerScriptProvided } from './order.ts';
import { sortSymbols } from './testing/symbols.ts';
import type { ListingSymbol } from './listing.ts';
import { KERNEL_BASE, kernelListing } from './testing/nm.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';

const sym = (addr: bigint, type: string, name: string, line = 1): ListingSymbol => ({
  addr,
  type,
  name,
  place: { line, text: '' },
});
const names = (symbols: readonly ListingSymbol[]): string[] => symbols.map((s) => s.name);

describe('the table order', () => {
  it('sorts by address first', () => {
    const sorted = sortSymbols([sym(2n, 'T', 'b'), sym(1n, 'W', '__start_x'), sym(3n, 'T', 'a')]);
    expect(names(sorted)).toEqual(['__start_x', 'b', 'a']);
  });

  it('puts weak symbols (w/W) after the others at one address', () => {
    const sorted = sortSymbols([sym(1n, 'W', 'a'), sym(1n, 'w', 'b'), sym(1n, 't', '___c')]);
    expect(names(sorted)).toEqual(['___c', 'a', 'b']);
  });

  it('then names that look linker-provided after the others', () => {
    const sorted = sortSymbols([sym(1n, 'T', '__bss_start'), sym(1n, 'T', '___plain')]);
    expect(names(sorted)).toEqual(['___plain', '__bss_start']);
  });

  it('weakness outranks the linker-provided rule', () => {
    const sorted = sortSymbols([sym(1n, 'W', 'plain'), sym(1n, 'T', '__start_x')]);
    expect(names(sorted)).toEqual(['__start_x', 'plain']);
  });

  it('then fewer leading underscores first, then input order', () => {
    const sorted = sortSymbols([
      sym(1n, 'T', '__b'),
      sym(1n, 'T', '_z'),
      sym(1n, 'T', 'y'),
      sym(1n, 'T', '_a'),
    ]);
    expect(names(sorted)).toEqual(['y', '_z', '_a', '__b']);
  });

  it('recognises linker-provided names as the kernel does (8+ bytes, starting with __)', () => {
    for (const name of ['__start_x', '__stop_xy', '__end_xyz', '__bss_start', '__init_end']) {
      expect(mayBeLinkerScriptProvided(name), name).toBe(true);
    }
    // Too short, or not starting with two underscores.
    for (const name of ['__end_x', '__x_end', '_bss_start', 'init_end', 'foo_start', '__startx']) {
      expect(mayBeLinkerScriptProvided(name), name).toBe(false);
    }
    expect(mayBeLinkerScriptProvided('__xy_end')).toBe(true);
  });

  it('counts leading underscores only', () => {
    expect(leadingUnderscores('___a_b_')).toBe(3);
    expect(leadingUnderscores('a__')).toBe(0);
    expect(leadingUnderscores('')).toBe(0);
  });

  it('applies in the generated table and its relative base is the first symbol', () => {
    const at = KERNEL_BASE + 0x100n;
    const result = generateKallsyms(
      kernelListing([
        [at, 'W', 'weak_one'],
        [at, 'T', '__kernel_end'],
        [at, 'T', '__two'],
        [at, 'T', 'one'],
        [at, 't', 'one_again'],
      ]),
      { generation: 'latest' },
    );
    const around = names(result.symbols).slice(2, 7);
    expect(around).toEqual(['one', 'one_again', '__two', '__kernel_end', 'weak_one']);
    expect(result.symbols[0].name).toBe('_text');
    expect(result.text).toContain('\tPTR\t_text + 0\n');
  });

  it('sorting only the runs at one address (few or many) gives the full sort', () => {
    /** The rule as a plain comparison sort of everything. */
    const plain = (symbols: readonly ListingSymbol[]): ListingSymbol[] =>
      symbols
        .map((s, index) => ({ s, index }))
        .sort((a, b) => {
          if (a.s.addr !== b.s.addr) return a.s.addr < b.s.addr ? -1 : 1;
          const key = (s: ListingSymbol) => [
            s.type === 'w' || s.type === 'W' ? 1 : 0,
            mayBeLinkerScriptProvided(s.name) ? 1 : 0,
            leadingUnderscores(s.name),
          ];
          const [x, y] = [key(a.s), key(b.s)];
          return x[0] - y[0] || x[1] - y[1] || x[2] - y[2] || a.index - b.index;
        })
        .map(({ s }) => s);
    const random = mulberry32(13);
    for (let round = 0; round < 100; round++) {
      let addr = 0n;
      // Every seventh listing holds a run of more than 32 aliases (the n log n path).
      const many = round % 7 === 3;
      const symbols = Array.from({ length: randomInt(random, 30) + (many ? 40 : 0) }, (_, i) => {
        addr += BigInt(random() < (many ? 0.97 : 0.5) ? 0 : randomInt(random, 3));
        // Every fifth listing out of address order, to take the general path.
        const at = round % 5 === 0 ? BigInt(randomInt(random, 4)) : addr;
        const name = pick(random, ['f', '_f', '__f', '__start_f', '__f_end', 'g']) + i;
        return sym(at, pick(random, ['T', 't', 'W', 'w']), name);
      });
      expect(names(sortSymbols(symbols)), `round ${round}`).toEqual(names(plain(symbols)));
    }
  });
});
