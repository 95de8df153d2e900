import { describe, expect, it } from 'vitest';
import { fromArrays } from './byte-lines.ts';
import { orderByName } from './name-order.ts';
import { mulberry32, pick, randomInt } from './testing/random.ts';

/** The rule as plainly as it can be said: a comparison sort. */
function plainOrder(names: readonly Uint8Array[], addrs: readonly bigint[]): number[] {
  const order = names.map((_, i) => i);
  order.sort((a, b) => {
    const x = names[a];
    const y = names[b];
    for (let k = 0; k < Math.min(x.length, y.length); k++) if (x[k] !== y[k]) return x[k] - y[k];
    if (x.length !== y.length) return x.length - y.length;
    if (addrs[a] !== addrs[b]) return addrs[a] < addrs[b] ? -1 : 1;
    return a - b;
  });
  return order;
}

function check(names: readonly Uint8Array[], addrs: readonly bigint[], label: string): void {
  // Entries carry the type char first; give each a different one, which must not count.
  const entries = fromArrays(names.map((name, i) => Uint8Array.of(0x41 + (i % 26), ...name)));
  expect(Array.from(orderByName(entries, (i) => addrs[i])), label).toEqual(
    plainOrder(names, addrs),
  );
}

const bytes = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0));

describe('the order of names (kallsyms_seqs_of_names)', () => {
  it('sorts by bytes, unsigned, a prefix first, then by address, then by position', () => {
    const names = ['b', 'ab', 'a', '', 'abc', 'a\x00', 'a\xff', 'a\x7f', 'ab', 'ab', 'abcd'];
    const addrs = [5n, 9n, 1n, 0n, 2n, 3n, 4n, 6n, 7n, 9n, 8n];
    check(names.map(bytes), addrs, 'small');
    expect(Array.from(orderByName(fromArrays([]), () => 0n))).toEqual([]);
    check([bytes('x')], [0n], 'one');
  });

  it('agrees with a comparison sort on random names with long shared prefixes', () => {
    const random = mulberry32(9);
    const prefixes = ['', '__long_branch_', '__long_branch_sched_', 'sched_', 's', '\xff\x00'];
    for (let round = 0; round < 20; round++) {
      const count = 1 + randomInt(random, round < 10 ? 40 : 3000);
      const alphabet = 1 + randomInt(random, 6);
      const names = Array.from({ length: count }, () =>
        bytes(
          pick(random, prefixes) +
            Array.from({ length: randomInt(random, 8) }, () =>
              String.fromCharCode(0x61 + randomInt(random, alphabet)),
            ).join(''),
        ),
      );
      // Addresses mostly rising, as in table order, sometimes not.
      let addr = 0n;
      const addrs = names.map(() => {
        addr += BigInt(randomInt(random, 3));
        return round % 3 === 0 ? BigInt(randomInt(random, 4)) : addr;
      });
      check(names, addrs, `round ${round}`);
    }
  });
});
