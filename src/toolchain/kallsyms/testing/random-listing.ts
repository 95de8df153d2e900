/**
 * Test support: random but kernel-like `nm -n` listings — core text, rodata
 * with section markers, init text, data; stubs of both linkers, symbols the
 * filters drop, undefined and absolute symbols, shared addresses and names.
 */
import { nm, nmUndefined } from './nm.ts';
import { pick, randomInt } from './random.ts';

export interface RandomListing {
  text: string;
  /** Every line's fields, in listing order (undefined symbols have addr null). */
  lines: Array<{ addr: bigint | null; type: string; name: string }>;
}

const SUBSYSTEMS = ['sched', 'mm', 'net', 'fs', 'irq', 'rcu', 'tty', 'pci', 'kvm', 'crypto'];
const WORDS = ['init', 'alloc', 'free', 'handler', 'lock', 'work', 'queue', 'read', 'write', 'x'];

function functionName(random: () => number): string {
  const parts = [pick(random, SUBSYSTEMS)];
  for (let i = randomInt(random, 3); i >= 0; i--) parts.push(pick(random, WORDS));
  if (random() < 0.3) parts.push(String(randomInt(random, 1000)));
  const underscores = random() < 0.2 ? '_'.repeat(1 + randomInt(random, 3)) : '';
  return underscores + parts.join('_');
}

/** Names that exercise a rule somewhere (filters, ordering, stubs). */
function specialName(random: () => number, callee: string): string {
  return pick(random, [
    `__long_branch_${callee}`,
    `__plt_${callee}`,
    `__toc_save_${callee}`,
    `__gep_setup_${callee}`,
    `0000001a.long_branch.${callee}`,
    `00000002.plt_branch.${callee}`,
    `__LongThunk_${callee}`,
    `__crc_${callee}`,
    `.L${callee}`,
    `$x`,
    `${callee}_veneer`,
    `__start_${callee}`,
    `__stop_${callee}`,
    `__${callee}_end`,
    `__end_${callee}`,
    `kallsyms_names`,
    `_SDA_BASE_`,
    callee, // a duplicate name
  ]);
}

export function randomListing(random: () => number, size: number, wide: boolean): RandomListing {
  const width = wide ? 16 : 8;
  const base = wide ? 0xc000000000000000n : 0xc0000000n;
  const lines: RandomListing['lines'] = [];
  let addr = base;
  const step = (): void => {
    addr += BigInt(random() < 0.15 ? 0 : 4 * (1 + randomInt(random, 64)));
  };
  const add = (type: string, name: string): void => {
    lines.push({ addr, type, name });
  };
  const names: string[] = ['start_kernel'];
  const region = (count: number, types: string[]): void => {
    for (let i = 0; i < count; i++) {
      step();
      const type = pick(random, types);
      const name =
        random() < 0.15 ? specialName(random, pick(random, names)) : functionName(random);
      names.push(name);
      add(type, name);
    }
  };

  add('T', '_text');
  add('T', '_stext');
  region(Math.ceil(size * 0.5), ['T', 't', 't', 'W', 'w']);
  step();
  add('T', '_etext');
  if (random() < 0.5) add('T', 'same_as_etext');
  step();
  add('R', '__start___ex_table');
  region(Math.ceil(size * 0.1), ['R', 'r', 'r']);
  add('R', '__stop___ex_table');
  addr += BigInt(0x10000 + randomInt(random, 0x100000));
  add('T', '_sinittext');
  region(Math.ceil(size * 0.3), ['T', 't', 't']);
  step();
  add('T', '_einittext');
  if (random() < 0.5) add('t', 'same_as_einittext');
  step();
  region(Math.ceil(size * 0.1), ['D', 'd', 'B', 'b', 'V']);
  lines.push({ addr: 0n, type: 'A', name: 'abs_symbol' });
  // An absolute symbol the tool keeps; near the image, or --all-symbols would
  // (rightly) overflow the 32-bit offsets.
  lines.push({ addr: base + 0x8000n, type: 'A', name: '__gp' });
  lines.push({ addr: null, type: 'U', name: 'undefined_symbol' });
  lines.push({ addr: null, type: 'w', name: 'weak_undefined' });

  // nm -n sorts by address; absolute and undefined symbols first.
  const ordered = lines
    .map((l, i) => ({ l, i }))
    .sort((a, b) => {
      const x = a.l.addr ?? -1n;
      const y = b.l.addr ?? -1n;
      return x === y ? a.i - b.i : x < y ? -1 : 1;
    })
    .map(({ l }) => l);
  const text = ordered
    .map((l) =>
      l.addr === null ? nmUndefined(l.type, l.name, width) : nm(l.addr, l.type, l.name, width),
    )
    .join('\n');
  return { text: text + '\n', lines: ordered };
}
