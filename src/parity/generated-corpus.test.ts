/**
 * A generated corpus is the same bytes wherever it is made: through the
 * CLI's path (obtainCorpus with the Node corpus source, in this thread) and
 * through the page worker's entry point (src/worker/engine.ts, in a worker
 * thread of its own), for the default parameters and for every shape knob.
 * The generator is pure TypeScript, so a thread is as much a worker as the
 * browser's; e2e/parity.test.ts checks the browser's own worker on the
 * presets, the pinned one among them.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import { obtainCorpus } from '../toolchain/corpus/obtain-corpus.ts';
import type { ArchId } from '../toolchain/arch/targets.ts';

/** The objects the worker's entry point makes for a scenario's corpus, in a worker thread. */
function inWorkerThread(scenario: {
  corpus: string;
  arch: ArchId;
}): Promise<Array<{ name: string; bytes: Uint8Array }>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./engine-thread.mjs', import.meta.url), {
      workerData: { scenario },
    });
    worker.once('message', (objects) => {
      resolve(objects);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

const CORPORA = [
  // Shape knobs only change what they name.
  'generated-v1?symbols=3000&objects=24&initFunctions=300&callsPerInit=3',
  'generated-v1?seed=9&symbols=5000&objects=20&initFunctions=600&callsPerInit=8&functionBody=2&functionAlign=32&nameLength=60&nearTargets=700&nearShare=40',
  'generated-v1?symbols=4000&objects=16&initFunctions=400&pinned=400&pinnedSpacing=60&pinnedCallsPerInit=1&pinnedAt=33665024',
];

describe('a generated corpus: the same bytes through the CLI and the worker entry points', () => {
  it.each(
    CORPORA.flatMap((corpus) => (['ppc64le', 'ppc32'] as const).map((arch) => [corpus, arch])),
  )('%s (%s)', async (corpus, arch) => {
    const scenario = { corpus, arch: arch as ArchId };
    const [cli, worker] = await Promise.all([
      obtainCorpus(scenario, nodeCorpusSource()),
      inWorkerThread(scenario),
    ]);
    expect(worker.map((o) => o.name)).toEqual(cli.objects.map((o) => o.name));
    cli.objects.forEach((o, i) => {
      expect(Buffer.from(worker[i].bytes).equals(Buffer.from(o.bytes)), o.name).toBe(true);
    });
  });
});
