/**
 * A run's cost, estimated before linking: never below what real links make
 * (ld.lld 16 on the presets and on scripts that fill), the strategies' link
 * counts, and the two limits: what a link may run without asking, and what
 * the page runs at all.
 */
import { describe, expect, it } from 'vitest';
import { obtainCorpus } from '../corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { runLinkLoop } from '../kbuild/run-loop.ts';
import { createNativeToolchain } from '../llvm/native-toolchain.ts';
import {
  AUTO_RUN_BUDGET,
  combineCosts,
  estimateRunCost,
  formatSize,
  overLimits,
  PAGE_CEILING,
  pageCeilingRefusal,
  withinAutoRunBudget,
} from './cost.ts';
import { scenarioLinkerScript, scenarioLoopConfig } from './loop-config.ts';
import { findPreset, PRESETS } from './presets.ts';
import type { Scenario } from './schema.ts';

const MIB = 1024 * 1024;
const small = findPreset('small-converges')!.scenario;

/** `scenario` with its template and `insert` before the gap (a fill in the text segment). */
function withFill(scenario: Scenario, insert: string): Scenario {
  const script = scenarioLinkerScript({ ...scenario, linkerScript: null });
  return {
    ...scenario,
    linkerScript: script.replace(
      '  /* The rest of a big kernel',
      `${insert}\n  /* The rest of a big kernel`,
    ),
  };
}

describe('estimateRunCost', () => {
  it('counts each strategy’s most links: three trials (or eight, or the cap) and vmlinux', () => {
    expect(estimateRunCost({ ...small, strategy: 'v5.9' }).links).toBe(4);
    expect(estimateRunCost({ ...small, strategy: 'latest' }).links).toBe(4);
    expect(estimateRunCost({ ...small, strategy: 'eight-passes' }).links).toBe(9);
    expect(estimateRunCost({ ...small, strategy: 'fixpoint', maxPasses: 64 }).links).toBe(65);
  });

  it('reads a generated corpus’s size from its id: functions, and calls from its __init functions', () => {
    const cost = estimateRunCost({
      ...small,
      corpus: 'generated-v1?symbols=400000&objects=2000&initFunctions=15000&callsPerInit=64',
    });
    expect(cost.symbols).toBe(400_000);
    expect(cost.calls).toBe(960_000);
    expect(cost.imageBytes).toBeGreaterThan(40 * MIB);
  });

  it('adds what the linker script fills, and cannot tell for an expression it does not evaluate', () => {
    const filled = estimateRunCost(withFill(small, '  .fill : { . = . + 0x60000000; } :text'));
    expect(filled.imageBytes).toBeGreaterThan(1536 * MIB);
    expect(filled.imageBytes).toBeLessThan(1538 * MIB);
    const unknown = estimateRunCost(withFill(small, '  .fill : { . = . + far; } :text'));
    expect(unknown.imageBytes).toBeNull();
    expect(unknown.imageUnknown).toMatch(/"far"/);
  });

  describe('is never below the real images (ld.lld 16)', () => {
    const toolchain = createNativeToolchain();
    const base = BigInt(small.layout.base);
    const hex = (n: bigint) => `0x${n.toString(16)}`;
    const cases: Array<[string, Scenario, number?]> = [
      // One generated kernel is enough: the large presets share their corpus.
      ...PRESETS.filter((p) => p.id !== 'powerpc-2020-large').map(
        (p) => [`preset ${p.id}`, p.scenario] as [string, Scenario],
      ),
      [
        'a 1 GiB gap (stubs for every call)',
        { ...small, layout: { ...small.layout, gap: 1 << 30 } },
      ],
      ['a 16 MiB fill', withFill(small, '  .fill : { . = . + 0x1000000; } :text')],
      [
        'a 16 MiB move in one segment',
        withFill(small, '  . = . + 0x1000000;\n  .pad : { BYTE(0) } :text'),
      ],
      // Found by hand and by the fuzz: what the estimate once did not see.
      [
        'a 16 MiB fill in a SECTIONS command of its own',
        {
          ...small,
          linkerScript: `${scenarioLinkerScript(small)}\nSECTIONS { .f : { . += 0x1000000; } }\n`,
        },
      ],
      [
        '16 MiB of NOLOAD before a byte',
        withFill(small, '  .big (NOLOAD) : { . += 0x1000000; } :text\n  .b : { BYTE(1) } :text'),
      ],
      // Each segment may start a page into the file: up to two pages counted, about one made.
      [
        '16 MiB pages (-z max-page-size)',
        { ...small, extraLinkerFlags: ['-z', 'max-page-size=0x1000000'] },
        2.5,
      ],
      [
        'separate segments on 16 MiB pages',
        {
          ...small,
          extraLinkerFlags: ['-z', 'separate-loadable-segments', '-z', 'max-page-size=0x1000000'],
        },
        2.5,
      ],
      [
        'a generated corpus with its relocations kept (--emit-relocs)',
        {
          ...small,
          corpus: 'generated-v1?symbols=20000&objects=100',
          extraLinkerFlags: ['--emit-relocs'],
        },
        2.5, // the corpus's part doubled; measured 1.25x
      ],
      [
        '.data moved 64 MiB up (--section-start)',
        { ...small, extraLinkerFlags: [`--section-start=.data=${hex(base + 0x4000000n)}`] },
        2, // the gap counted too: .data's segment may lie on either side of it
      ],
    ];
    it.each(cases)('%s', async (_, scenario, slack = 1.5) => {
      const corpus = await obtainCorpus(scenario, nodeCorpusSource());
      const record = await runLinkLoop(toolchain, scenarioLoopConfig(scenario, corpus));
      const largest = Math.max(...record.passes.map((p) => p.link.outputBytes));
      const cost = estimateRunCost(scenario);
      expect(cost.imageBytes).toBeGreaterThanOrEqual(largest);
      // An estimate, not a guess from nowhere: within 1.5x (or the case's slack) plus the corpus's 1 MiB.
      expect(cost.imageBytes!).toBeLessThan(largest * slack + MIB);
      const measured = record.passes[0].reach.calls;
      expect(cost.calls).toBeGreaterThanOrEqual(measured);
    });
  });
});

describe('the limits', () => {
  it('lets a link run every preset but the kernel-sized ones (a small generated corpus too)', () => {
    for (const preset of PRESETS) {
      const within = withinAutoRunBudget(estimateRunCost(preset.scenario));
      expect(within, preset.id).toBe(!preset.id.endsWith('-large'));
    }
    const large = overLimits(
      estimateRunCost(findPreset('lld-today-large')!.scenario),
      AUTO_RUN_BUDGET,
    );
    expect(large).toEqual([
      '150,000 functions (the limit is 20,000)',
      '24,000 init→core calls (the limit is 20,000)',
    ]);
  });

  it('asks first for a script it cannot read, and for a fill over 64 MiB', () => {
    expect(withinAutoRunBudget(estimateRunCost(withFill(small, '  . = . + far;')))).toBe(false);
    expect(
      withinAutoRunBudget(estimateRunCost(withFill(small, '  .f : { . += 62M; } :text'))),
    ).toBe(true);
    expect(
      withinAutoRunBudget(estimateRunCost(withFill(small, '  .f : { . += 64M; } :text'))),
    ).toBe(false);
    // However the script is split: a fill in a SECTIONS command of its own (found by the fuzz).
    const template = scenarioLinkerScript({ ...small, linkerScript: null });
    const split = (fill: string) => ({
      ...small,
      linkerScript: `${template}\nSECTIONS { .fill : { BYTE(1) . += ${fill}; BYTE(2) } }\n`,
    });
    expect(withinAutoRunBudget(estimateRunCost(split('64M')))).toBe(false);
    expect(pageCeilingRefusal(estimateRunCost(split('0x40000000')))).toMatch(
      /an image of up to 1 GiB/,
    );
  });

  it('refuses, before linking, an image over 256 MiB and calls over 250,000, saying so', () => {
    const refusal = pageCeilingRefusal(
      estimateRunCost(withFill(small, '  .fill : { . = . + 0x60000000; } :text')),
    );
    expect(refusal).toMatch(
      /^Not run: this scenario asks for an image of up to 1\.5 GiB \(the limit is 256 MiB\)/,
    );
    expect(refusal).toMatch(/npx kallsyms-lab run --scenario FILE/);
    expect(
      pageCeilingRefusal(estimateRunCost(withFill(small, '  .f : { . += 200M; } :text'))),
    ).toBeNull();
    const calls = pageCeilingRefusal(
      estimateRunCost({ ...small, corpus: 'generated-v1?initFunctions=50000&callsPerInit=8' }),
    );
    expect(calls).toMatch(/400,000 init→core calls \(the limit is 250,000\)/);
    // Unknown before linking: checked after each link instead (maxImageBytes).
    expect(pageCeilingRefusal(estimateRunCost(withFill(small, '  . = . + far;')))).toBeNull();
    for (const preset of PRESETS)
      expect(pageCeilingRefusal(estimateRunCost(preset.scenario))).toBeNull();
    expect(PAGE_CEILING.imageBytes).toBe(256 * MIB);
  });

  it('refuses flags that would make the image over 256 MiB, in each spelling ld.lld reads', () => {
    const base = BigInt(small.layout.base);
    for (const flags of [
      ['-z', 'max-page-size=0x40000000'],
      ['-zmax-page-size=1073741824'],
      ['-z', 'common-page-size=0x10000000', '-z', 'separate-code'],
      ['--section-start', `.data=0x${(base + 0x40000000n).toString(16)}`],
      [`--section-start=.text=0x${(base - 0x40000000n).toString(16)}`],
    ]) {
      const cost = estimateRunCost({ ...small, extraLinkerFlags: flags });
      expect(pageCeilingRefusal(cost), flags.join(' ')).toMatch(/^Not run: this scenario asks/);
    }
    // Pages up to the usual 64 KiB, and flags that move nothing, change nothing.
    for (const flags of [
      ['-z', 'max-page-size=0x10000'],
      ['-z', 'separate-code'],
      ['--gc-sections'],
    ])
      expect(estimateRunCost({ ...small, extraLinkerFlags: flags }).imageBytes).toBeLessThan(
        2 * MIB,
      );
    // A custom script's addresses are its own: a moved section makes the size unknown.
    const own = withFill(small, '');
    expect(
      estimateRunCost({ ...own, extraLinkerFlags: ['--section-start=.data=0x0'] }).imageBytes,
    ).toBeNull();
  });

  it('combines a link’s runs: the largest of each, every link counted', () => {
    const a = estimateRunCost(small);
    const b = estimateRunCost(findPreset('lld-today-large')!.scenario);
    const both = combineCosts([a, b, a]);
    expect(both.symbols).toBe(150_000);
    expect(both.links).toBe(12);
    expect(
      combineCosts([a, estimateRunCost(withFill(small, '  . = . + far;'))]).imageBytes,
    ).toBeNull();
  });

  it('says sizes in binary units', () => {
    expect(formatSize(1536 * MIB)).toBe('1.5 GiB');
    expect(formatSize(256 * MIB)).toBe('256 MiB');
    expect(formatSize(800 * 1024)).toBe('800 KiB');
    expect(formatSize(10)).toBe('10 bytes');
  });
});
