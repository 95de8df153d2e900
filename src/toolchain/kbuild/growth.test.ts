/**
 * The growth ratio on layouts small enough to count by hand: one init
 * caller, core targets below it and fixed-address targets above it at
 * known distances from the ±32 MiB limit.
 */
import { describe, expect, it } from 'vitest';
import { keepsTextSymbol } from '../kallsyms/index.ts';
import type { KallsymsSizes } from '../kallsyms/index.ts';
import { BRANCH_REACH, type InitCallSite } from '../reach/call-sites.ts';
import { measureGrowth, predictionOf, spacingOf, type GrowthInput } from './growth.ts';

const CALLER = 0x4000000n; // the branch's address: caller + callerOffset (0)
const BACK = BigInt(BRANCH_REACH.REL24.backward);
const FORWARD = BigInt(BRANCH_REACH.REL24.forward);

const SIZES: KallsymsSizes = {
  numSyms: 8,
  names: 600,
  markers: 8,
  tokenTable: 500,
  tokenIndex: 512,
  offsets: 400,
  addresses: 0,
  relativeBase: 8,
  seqsOfNames: 300,
  padding: 0,
  total: 2336,
};

/**
 * A layout: core targets whose margins (bytes init text may still move up
 * before the call misses; negative: by how much it misses) are given, and
 * fixed targets likewise (how far init text must move up to reach them:
 * negative margins; or may move down: positive).
 */
function layout(
  core: number[],
  fixed: number[],
): { sites: InitCallSite[]; addresses: Map<string, bigint> } {
  const sites: InitCallSite[] = [];
  const addresses = new Map<string, bigint>([['caller', CALLER]]);
  const call = (target: string, at: bigint) => {
    sites.push({
      object: 'a.o',
      offset: 0,
      target,
      form: 'REL24',
      caller: 'caller',
      callerOffset: 0,
    });
    addresses.set(target, at);
  };
  core.forEach((m, i) => call(`core${i}`, CALLER - (BACK - BigInt(m))));
  fixed.forEach((m, i) => call(`fixed${i}`, CALLER + (FORWARD - BigInt(m))));
  return { sites, addresses };
}

function input(over: Partial<GrowthInput> & Pick<GrowthInput, 'sites' | 'addresses'>): GrowthInput {
  return {
    ambiguous: new Set(),
    coreText: { start: 0n, end: 0x3000000n },
    initEnd: CALLER + 0x100000n,
    tableBytes: 1000,
    linkedTableBytes: 800,
    previous: { tableBytes: 900, stubs: 10, bytesPerStub: null },
    stubs: 15,
    sizes: SIZES,
    tableSymbols: 100,
    stubsInTable: true,
    ...over,
  };
}

describe('spacingOf', () => {
  it('is the distance to the farthest target the move passes, over their number', () => {
    // Targets 16 bytes apart from 4 bytes past the limit; a move of 150 takes 10 of them.
    const margins = Array.from({ length: 20 }, (_, i) => 4 + 16 * i);
    expect(spacingOf(margins, 150)).toBe((4 + 16 * 9) / 10);
  });

  it('takes the nearest eight when the move passes fewer', () => {
    const margins = [100, 300, 500, 700, 900, 1100, 1300, 1500, 1700];
    expect(spacingOf(margins, 50)).toBe(1500 / 8);
    expect(spacingOf([100, 300], 50)).toBe(150);
  });

  it('is null when no target is left on that side', () => {
    expect(spacingOf([], 1000)).toBeNull();
  });
});

describe('measureGrowth', () => {
  it('counts the core targets the next move takes out of reach, and predicts that many new stubs', () => {
    // Init text moves up by 200: targets with margins 0..199 miss; 200 still reaches.
    const g = measureGrowth(input({ ...layout([0, 50, 199, 200, 5000], []) }));
    expect(g.tableGrowth).toBe(200);
    expect(g.coreCrossing).toBe(3);
    expect(g.fixedCrossing).toBe(0);
    expect(g.predictedStubChange).toBe(3);
    expect(g.fixedSpacing).toBeNull();
  });

  it('counts fixed-address targets coming into reach as init text moves up, and stubs going', () => {
    // Misses by 1, 100, 200 and 201 bytes: a move of 200 brings three in.
    const g = measureGrowth(input({ ...layout([], [-1, -100, -200, -201]) }));
    expect(g.fixedCrossing).toBe(3);
    expect(g.predictedStubChange).toBe(-3);
  });

  it('reads a farthest caller: one call that misses is enough for a stub', () => {
    const twice = layout([50], []);
    // A second caller 100 bytes further up calls the same target: it already misses.
    twice.addresses.set('caller2', CALLER + 100n);
    twice.sites.push({ ...twice.sites[0], caller: 'caller2' });
    const g = measureGrowth(input({ ...twice }));
    expect(g.coreCrossing).toBe(0);
  });

  it('when the table shrinks, counts core stubs going and fixed ones coming', () => {
    const g = measureGrowth(
      input({ ...layout([-100, -300], [10, 150, 400]), tableBytes: 800, linkedTableBytes: 1000 }),
    );
    expect(g.tableGrowth).toBe(-200);
    expect(g.coreCrossing).toBe(1); // −100 comes back in
    expect(g.fixedCrossing).toBe(2); // 10 and 150 go out
    expect(g.predictedStubChange).toBe(2 - 1);
  });

  it('measures bytes per stub from the two tables, else keeps the last, else averages the table', () => {
    const base = layout([10], []);
    expect(measureGrowth(input({ ...base }))).toMatchObject({
      stubChange: 5,
      bytesPerStub: 20, // (1000 − 900) / (15 − 10)
      bytesPerStubFrom: 'this-pass',
    });
    expect(
      measureGrowth(
        input({ ...base, stubs: 10, previous: { tableBytes: 900, stubs: 10, bytesPerStub: 18 } }),
      ),
    ).toMatchObject({ bytesPerStub: 18, bytesPerStubFrom: 'earlier-pass' });
    // First pass: names + offsets + seqs + markers over 100 symbols.
    expect(measureGrowth(input({ ...base, previous: null }))).toMatchObject({
      bytesPerStub: 13.08,
      bytesPerStubFrom: 'table-average',
    });
    // A filter that keeps the stubs out of the table: they cost it nothing.
    expect(
      measureGrowth(input({ ...base, previous: null, stubsInTable: false })).bytesPerStub,
    ).toBe(0);
  });

  it('takes the ratio as bytes per stub over the spacings, signed by side', () => {
    // Core targets 10 bytes apart: 20 bytes per stub → ratio 2 → saturates.
    const dense = layout(
      Array.from({ length: 40 }, (_, i) => 10 * i + 10),
      [],
    );
    expect(measureGrowth(input({ ...dense }))).toMatchObject({
      coreSpacing: 10,
      ratio: 2,
      prediction: 'saturates',
    });
    // Fixed targets 16 bytes apart, missing: 20 per stub → −1.25 → cycles.
    const fixed = layout(
      [],
      Array.from({ length: 40 }, (_, i) => -(16 * i + 16)),
    );
    expect(measureGrowth(input({ ...fixed }))).toMatchObject({
      fixedSpacing: 16,
      ratio: -1.25,
      prediction: 'cycles',
    });
  });

  it('leaves out sites whose caller or target cannot be placed by name', () => {
    const g = measureGrowth(input({ ...layout([0, 50], []), ambiguous: new Set(['core1']) }));
    expect(g.coreCrossing).toBe(1);
  });
});

describe('predictionOf', () => {
  it.each([
    [0.2, 100, 'dies-out'],
    [-0.9, 100, 'dies-out'],
    [0.7, 100, 'lingers'],
    [1.3, 100, 'lingers'],
    [1.31, 100, 'saturates'],
    [-1, 100, 'cycles'],
    [5, 0, 'settled'],
  ] as const)('ratio %d, growth %d: %s', (ratio, growth, prediction) => {
    expect(predictionOf(ratio, growth)).toBe(prediction);
  });
});

describe('keepsTextSymbol', () => {
  it('follows each generation’s rules and the ld.lld filter', () => {
    const latest = { generation: 'latest', ignoreLldStubs: false } as const;
    expect(keepsTextSymbol('__long_branch_foo', latest)).toBe(true);
    expect(keepsTextSymbol('__long_branch_foo', { ...latest, ignoreLldStubs: true })).toBe(false);
    // latest's Thunk_ rule already drops ppc32's stubs; v5.9's list does not know them.
    expect(keepsTextSymbol('__LongThunk_foo', latest)).toBe(false);
    expect(keepsTextSymbol('__LongThunk_foo', { generation: 'v5.9', ignoreLldStubs: false })).toBe(
      true,
    );
    expect(keepsTextSymbol('__long_branch_foo', { generation: 'v5.9', ignoreLldStubs: true })).toBe(
      false,
    );
  });
});
