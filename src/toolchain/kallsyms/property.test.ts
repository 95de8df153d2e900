import { afterAll, describe, expect, it } from 'vitest';
import { TARGETS, type ArchId } from '../arch/targets.ts';
import {
  generateKallsyms,
  layoutKallsyms,
  type Generation,
  type KallsymsOptions,
} from './index.ts';
import { isLldPpc64StubName } from './stubs.ts';
import { Assembler } from './testing/clang.ts';
import { expectLayoutMatches } from './testing/compare.ts';
import { decodeTable } from './testing/decode.ts';
import { mulberry32 } from './testing/random.ts';
import { randomListing, type RandomListing } from './testing/random-listing.ts';

/**
 * What the spec says the table holds, written independently of the
 * implementation: the multiset of "type+name@address" the table must list.
 */
function expectedEntries(listing: RandomListing, options: KallsymsOptions): string[] {
  const latest = options.generation === 'latest';
  const defined = listing.lines.filter((l) => l.addr !== null) as Array<{
    addr: bigint;
    type: string;
    name: string;
  }>;
  const stub = (name: string) => options.ignoreLldStubs === true && isLldPpc64StubName(name);
  const kept = defined.filter(({ type, name }) => {
    if ('unUN'.includes(type) || (latest && 'aw'.includes(type))) return false;
    if ('Aa'.includes(type) && name !== '__gp') return false;
    if (stub(name)) return false;
    const gnuStub = name.includes('.long_branch.') || name.includes('.plt_branch.');
    if (latest) {
      return !(
        name.startsWith('$') ||
        name.startsWith('.L') ||
        name.startsWith('__crc_') ||
        /^__[A-Za-z0-9]*Thunk_/.test(name) ||
        name.endsWith('_veneer') ||
        name === '_SDA_BASE_' ||
        gnuStub
      );
    }
    if (name.startsWith('kallsyms_') || name === '_SDA_BASE_') return false;
    if (name.startsWith('$') || name.startsWith('__crc_') || name.endsWith('_veneer')) return false;
    return !(options.generation === 'v5.9' && gnuStub);
  });
  const at = (name: string) => kept.filter((l) => l.name === name).pop()?.addr ?? 0n;
  const [stext, etext, sinit, einit] = ['_stext', '_etext', '_sinittext', '_einittext'].map(at);
  return kept
    .filter(({ addr, name }) => {
      if (options.allSymbols) return true;
      if (latest && (name.startsWith('__start_') || name.startsWith('__stop_'))) return true;
      if (!((addr >= stext && addr <= etext) || (addr >= sinit && addr <= einit))) return false;
      return !((addr === etext && name !== '_etext') || (addr === einit && name !== '_einittext'));
    })
    .map((l) => `${l.type}${l.name}@${l.addr.toString(16)}`)
    .sort();
}

describe('random kernel-like listings', () => {
  const assembler = new Assembler();
  afterAll(() => assembler.dispose());
  const random = mulberry32(20240611);
  const generations: Generation[] = ['v5.8', 'v5.9', 'latest'];
  const archs: ArchId[] = ['ppc64le', 'ppc64', 'ppc32'];

  for (let run = 0; run < 24; run++) {
    const generation = generations[run % 3];
    const arch = archs[Math.floor(run / 3) % 3];
    const target = TARGETS[arch];
    const size = run === 23 ? 6000 : 20 + Math.floor(random() * 800);
    const options: KallsymsOptions = {
      generation,
      allSymbols: random() < 0.25,
      baseRelative: random() < 0.7,
      ignoreLldStubs: random() < 0.4,
      wordSize: target.wordSize,
    };
    const listing = randomListing(random, size, target.wordSize === 8);
    const label = `run ${run}: ${generation} on ${arch}, ${size} symbols, ${JSON.stringify(options)}`;

    it(label, () => {
      const result = generateKallsyms(listing.text, options);

      // The table holds what the spec says, in an order the spec allows.
      const listed = result.symbols.map((s) => `${s.type}${s.name}@${s.addr.toString(16)}`);
      expect([...listed].sort()).toEqual(expectedEntries(listing, options));
      for (let i = 1; i < result.symbols.length; i++) {
        expect(result.symbols[i - 1].addr <= result.symbols[i].addr).toBe(true);
      }

      // Read back from the bytes, as the kernel does at run time.
      const spec = layoutKallsyms(result, target);
      const decoded = decodeTable(spec, generation, result.textAddr);
      expect(decoded.entries).toEqual(result.symbols.map((s) => s.type + s.name));
      expect(decoded.addresses).toEqual(
        result.symbols.map((s) => BigInt.asUintN(target.elfClass, s.addr)),
      );
      if (generation === 'latest') {
        const seqs = decoded.seqs ?? [];
        expect([...seqs].sort((a, b) => a - b)).toEqual(result.symbols.map((_, i) => i));
        for (let k = 1; k < seqs.length; k++) {
          expect(result.symbols[seqs[k - 1]].name <= result.symbols[seqs[k]].name).toBe(true);
        }
      }
      expect(result.sizes.total).toBe(spec.section.data.length);

      // And the assembler agrees byte for byte.
      expectLayoutMatches(spec, assembler.assemble(`run${run}`, result.text, target));
    });
  }

  it('a listing using ~220 byte values (two-byte lengths, high bytes) assembles identically', () => {
    const names: string[] = [];
    for (let i = 0; i < 8; i++) {
      let name = 'x';
      while (name.length < 300) {
        const c = 0x21 + Math.floor(random() * (0xff - 0x21));
        if (c !== 0x22 && c !== 0x5c && c !== 0x2a) name += String.fromCharCode(c);
      }
      names.push(name);
    }
    const lines = ['c000000000000000 T _stext'];
    names.forEach((n, i) => lines.push(`c0000000000000${(16 + i * 16).toString(16)} T ${n}`));
    lines.push('c000000000001000 T _etext');
    for (const generation of ['latest', 'v5.9'] as const) {
      const result = generateKallsyms(lines.join('\n') + '\n', { generation });
      for (const arch of archs) {
        const target = TARGETS[arch];
        const spec = layoutKallsyms(result, target);
        expect(decodeTable(spec, generation, result.textAddr).entries).toEqual(
          result.symbols.map((s) => s.type + s.name),
        );
        expectLayoutMatches(spec, assembler.assemble(`diverse-${generation}`, result.text, target));
      }
    }
  });
});
