/**
 * Sweeps the address gap of a scenario over a generated corpus with the
 * native toolchain (Debian's ld.lld-16 and llvm-nm-16: fast), printing for
 * each gap the verdict and, per trial link, the stubs and the table
 * object's size. This is how the `-large` presets' gaps were found.
 *
 *     node --import tsx src/toolchain/corpus/generated/sweep-gap.ts \
 *       --from 0x1d00000 --to 0x1f00000 --step 0x10000 \
 *       [--strategy eight-passes] [--generation v5.9] [--filter] [--arch ppc64le] \
 *       [--corpus generated-v1?seed=1] [--jobs 2]
 */
import { parseArgs } from 'node:util';
import { obtainCorpus } from '../obtain-corpus.ts';
import { nodeCorpusSource } from '../node-source.ts';
import { trialLinks } from '../../kbuild/link-words.ts';
import { runLinkLoop } from '../../kbuild/run-loop.ts';
import { createNativeToolchain } from '../../llvm/native-toolchain.ts';
import { scenarioLoopConfig } from '../../scenario/loop-config.ts';
import { parseScenario } from '../../scenario/schema.ts';

const { values } = parseArgs({
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    step: { type: 'string', default: '0x10000' },
    strategy: { type: 'string', default: 'eight-passes' },
    generation: { type: 'string', default: 'v5.9' },
    filter: { type: 'boolean', default: false },
    'extra-pass': { type: 'boolean', default: false },
    arch: { type: 'string', default: 'ppc64le' },
    corpus: { type: 'string', default: 'generated-v1' },
    jobs: { type: 'string', default: '2' },
    'max-passes': { type: 'string', default: '16' },
  },
});

const from = Number(values.from);
const to = Number(values.to ?? values.from);
const step = Number(values.step);
const base = values.arch === 'ppc32' ? '0xc0000000' : '0xc000000000000000';
const scenarioAt = (gap: number) =>
  parseScenario({
    corpus: values.corpus,
    arch: values.arch,
    layout: { base, align: 16, gap },
    linkerScript: null,
    generation: values.generation,
    baseRelative: true,
    allSymbols: false,
    filterLldStubs: values.filter,
    strategy: values.strategy,
    extraPass: values['extra-pass'],
    maxPasses: Number(values['max-passes']),
    extraLinkerFlags: [],
  });

const first = scenarioAt(from);
const t0 = performance.now();
const corpus = await obtainCorpus(first, nodeCorpusSource());
console.log(
  `${first.corpus} (${first.arch}): ${corpus.objects.length} objects, generated in ${(performance.now() - t0).toFixed(0)} ms; ` +
    `${values.strategy}/${values.generation}${values.filter ? ' +filterLldStubs' : ''}${values['extra-pass'] ? ' +extraPass' : ''}`,
);
const toolchain = createNativeToolchain();
const gaps: number[] = [];
for (let gap = from; gap <= to; gap += step) gaps.push(gap);

async function runGap(gap: number): Promise<string> {
  const started = performance.now();
  const record = await runLinkLoop(toolchain, scenarioLoopConfig(scenarioAt(gap), corpus));
  const trials = record.passes.filter((p) => p.step === 'trial');
  const stubs = record.passes.map((p) => p.stubs.total).join(' ');
  const tables = trials.map((p) => p.tableObject?.bytes ?? 0).join(' ');
  const symbols = trials.map((p) => p.tableObject?.counts.tableSymbols ?? '?').join(' ');
  return (
    `gap 0x${gap.toString(16)}: ${record.verdict.kind} after ${trialLinks(record.verdict.passes)}` +
    ` | stubs per link ${stubs} | table objects ${tables} | table symbols ${symbols}` +
    ` | ${((performance.now() - started) / 1000).toFixed(1)} s`
  );
}

const jobs = Math.max(1, Number(values.jobs));
const results: string[] = new Array<string>(gaps.length);
let nextIndex = 0;
await Promise.all(
  Array.from({ length: jobs }, async () => {
    while (nextIndex < gaps.length) {
      const i = nextIndex++;
      results[i] = await runGap(gaps[i]).catch(
        (e: unknown) => `gap ${gaps[i]}: error ${String(e)}`,
      );
      console.log(results[i]);
    }
  }),
);
