/**
 * One sweep worker: its own toolchain (a WebAssembly ld.lld instance, or
 * native tools), running the steps the main thread hands it one at a time
 * and sending back only the step's few numbers, not its run record.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { LoadedCorpus } from '../toolchain/corpus/load-corpus.ts';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import { obtainCorpus } from '../toolchain/corpus/obtain-corpus.ts';
import { runLinkLoop } from '../toolchain/kbuild/run-loop.ts';
import { createNativeToolchain } from '../toolchain/llvm/native-toolchain.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../toolchain/scenario/loop-config.ts';
import { sweepStepResult } from '../toolchain/sweep/result.ts';
import { ceilingOf } from './image-limit.ts';
import type { SweepToMain, SweepToWorker, SweepWorkerData } from './sweep-messages.ts';

const port = parentPort!;
const { toolchain: kind, tempDir, maxImageBytes } = workerData as SweepWorkerData;
const ceiling = ceilingOf(maxImageBytes);
const wasm = kind === 'wasm' ? createWasmToolchain() : null;
const native = wasm ? null : createNativeToolchain({ tempDir });
const toolchain = wasm ?? native!;
// Compile ld.lld before the first step, so that step's time is its loop's, as every other step's is.
const ready = wasm ? wasm.prefetch() : Promise.resolve();
// The steps of a sweep link the same corpus, or (sweeping a generated corpus's parameter)
// a few in turn: keep the latest two, not one per step (a kernel-sized corpus is ~20 MB).
const KEPT_CORPORA = 2;
const corpora = new Map<string, Promise<LoadedCorpus>>();

port.on('message', async (message: SweepToWorker) => {
  if ('close' in message) {
    // The native toolchain's input store lives in a temporary directory: remove it before exiting.
    await native?.dispose();
    process.exit(0);
  }
  const { step } = message;
  let reply: SweepToMain;
  try {
    await ready;
    const key = `${step.scenario.corpus}|${step.scenario.arch}`;
    let corpus = corpora.get(key);
    if (corpus) corpora.delete(key);
    else corpus = obtainCorpus(step.scenario, nodeCorpusSource());
    corpora.set(key, corpus); // the newest last
    if (corpora.size > KEPT_CORPORA) corpora.delete(corpora.keys().next().value!);
    const loaded = await corpus;
    const record = await runLinkLoop(toolchain, {
      ...scenarioLoopConfig(step.scenario, loaded),
      ...ceiling,
    });
    reply = { kind: 'done', result: sweepStepResult(step, record) };
  } catch (error) {
    const e = error as Error;
    reply = {
      kind: 'failed',
      index: step.index,
      name: e?.name ?? 'Error',
      message: e?.message ?? String(error),
      stack: e?.stack,
    };
  }
  port.postMessage(reply);
});
