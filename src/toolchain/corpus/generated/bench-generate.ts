/**
 * How long generating a corpus takes, in Node:
 *
 *     node --import tsx src/toolchain/corpus/generated/bench-generate.ts [runs] [symbols]
 *
 * For each target it generates the default corpus `runs` times (default 9)
 * and prints the median wall time, the median CPU time of this process
 * (which a loaded machine inflates much less than wall time), the object
 * count and the bytes. The machine's load average is printed too, since it
 * decides how far wall time can be trusted.
 */
import { cpus, loadavg } from 'node:os';
import { TARGETS } from '../../arch/targets.ts';
import { writeCorpus } from './generate.ts';
import { DEFAULT_GENERATED_PARAMS, generatedCorpusParamsSchema } from './params.ts';
import { planCorpus } from './plan.ts';

const runs = Number(process.argv[2] ?? 9);
const params = generatedCorpusParamsSchema.parse({
  ...DEFAULT_GENERATED_PARAMS,
  symbols: Number(process.argv[3] ?? DEFAULT_GENERATED_PARAMS.symbols),
});

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function measure(work: () => void): { wall: number; cpu: number } {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  work();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { wall, cpu: (c.user + c.system) / 1000 };
}

console.log(
  `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ` +
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} before the runs`,
);
console.log(`params ${JSON.stringify(params)}, ${runs} runs each, medians:`);
// Warm up the JIT once, as a worker that generates a second corpus would be.
writeCorpus(planCorpus(params), params.seed, TARGETS.ppc64le);

const planTimes = Array.from({ length: runs }, () => measure(() => planCorpus(params)));
console.log(
  `  plan only        wall ${median(planTimes.map((t) => t.wall)).toFixed(0)} ms, cpu ${median(planTimes.map((t) => t.cpu)).toFixed(0)} ms`,
);
for (const target of Object.values(TARGETS)) {
  let objects = 0;
  let bytes = 0;
  const times = Array.from({ length: runs }, () =>
    measure(() => {
      const corpus = writeCorpus(planCorpus(params), params.seed, target);
      objects = corpus.length;
      bytes = corpus.reduce((s, o) => s + o.bytes.length, 0);
    }),
  );
  console.log(
    `  ${target.id.padEnd(8)} plan+write wall ${median(times.map((t) => t.wall)).toFixed(0)} ms, ` +
      `cpu ${median(times.map((t) => t.cpu)).toFixed(0)} ms: ${objects} objects, ${(bytes / 1048576).toFixed(1)} MiB`,
  );
}
console.log(
  `load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} after the runs`,
);
