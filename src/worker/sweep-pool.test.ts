/**
 * The page's sweep pool against in-process workers (real comlink over a
 * MessageChannel) running the real worker logic with the WebAssembly
 * toolchain and the committed corpus: results, order, stop, and bad answers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { expandSweep, sweepRecordSchema, type SweepStepResult } from '../toolchain/sweep/index.ts';
import type { ToolchainWorkerApi } from './api.ts';
import { RunCancelledError, WorkerFailedError, WorkerProtocolError } from './errors.ts';
import { holdLifeline } from './lifeline.ts';
import {
  backgroundPoolSize,
  pageSweepPoolSize,
  runScenariosInWorkers,
  runSweepInWorkers,
} from './sweep-pool.ts';
import { FakeWorker } from './testing/fake-worker.ts';
import { InProcessLocks } from './testing/locks.ts';
import { createToolchainService } from './toolchain-service.ts';

const workers: FakeWorker[] = [];
function realWorker(): FakeWorker {
  const worker = new FakeWorker(
    createToolchainService({
      createToolchain: (onFetchProgress) => createWasmToolchain({ onFetchProgress }),
      corpus: nodeCorpusSource(),
    }),
  );
  workers.push(worker);
  return worker;
}
afterAll(() => workers.forEach((w) => w.terminate()));

// powerpc-2020's gap at 31.5 and 31.75 MiB, measured with Debian's ld.lld-16:
// `kallsyms-lab run --preset powerpc-2020 --gap G --toolchain native` said
// "Converged after 2 trial links" and "Inconsistent kallsyms data after 3 trial links".
const plan = expandSweep({ preset: 'powerpc-2020', param: 'gap', from: 31.5, to: 31.75, steps: 2 });

describe('the page sweep pool', () => {
  it('runs every step on the pool and records each one’s verdict, in step order', async () => {
    const seen: SweepStepResult[] = [];
    const record = await runSweepInWorkers(plan, {
      size: 2,
      createWorker: realWorker,
      onStep: (r) => seen.push(r),
    });
    expect(sweepRecordSchema.parse(record)).toEqual(record);
    expect(record.jobs).toBe(2);
    // Each worker's start is recorded (in Node the toolchain does not say where its files came from).
    expect(record.workerStarts?.map((w) => w.source)).toEqual(['unknown', 'unknown']);
    expect(record.steps.map((s) => [s.value, s.verdict, s.passes])).toEqual([
      [31.5, 'converged', 2],
      [31.75, 'inconsistent', 3],
    ]);
    expect(seen.map((s) => s.index).sort()).toEqual([0, 1]);
    expect(record.ranges.map((r) => r.verdict)).toEqual(['converged', 'inconsistent']);
    // Every pool worker is gone once the sweep ends.
    expect(workers.slice(-2).every((w) => w.terminated)).toBe(true);
  });

  it('runs a phase map: every cell with both its values, and the grid of verdicts by row and column', async () => {
    const map = expandSweep({
      preset: 'powerpc-2020',
      param: 'gap',
      from: 31.5,
      to: 31.75,
      steps: 2,
      param2: 'align',
      from2: 16,
      to2: 32,
      steps2: 2,
    });
    const seen: SweepStepResult[] = [];
    const record = await runSweepInWorkers(map, {
      size: 2,
      createWorker: realWorker,
      onStep: (r) => seen.push(r),
    });
    expect(sweepRecordSchema.parse(record)).toEqual(record);
    expect(record.steps.map((s) => [s.index, s.value, s.value2])).toEqual([
      [0, 31.5, 16],
      [1, 31.75, 16],
      [2, 31.5, 32],
      [3, 31.75, 32],
    ]);
    // Every cell as it arrived had its row's value too (the page draws cells as they come).
    expect(seen.every((r) => r.value2 === map.steps[r.index].value2)).toBe(true);
    // The first row is the one-parameter sweep above (align 16 is powerpc-2020's own).
    expect(record.steps.slice(0, 2).map((s) => s.verdict)).toEqual(['converged', 'inconsistent']);
    expect(record.ranges).toEqual([]);
    expect(record.grid).toMatchObject({ param2: 'align', columns: 2, rows: 2, from2: 16, to2: 32 });
    expect(record.grid!.byRow.map((line) => line.value)).toEqual([16, 32]);
    expect(record.grid!.byColumn.map((line) => line.value)).toEqual([31.5, 31.75]);
    expect(record.grid!.byRow[0].ranges.map((r) => r.verdict)).toEqual([
      'converged',
      'inconsistent',
    ]);
  });

  it('stops at once when aborted: rejects with RunCancelledError and terminates its workers', async () => {
    const controller = new AbortController();
    const before = workers.length;
    const sweep = runSweepInWorkers(plan, {
      size: 2,
      createWorker: realWorker,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 50);
    await expect(sweep).rejects.toBeInstanceOf(RunCancelledError);
    expect(workers.slice(before).every((w) => w.terminated)).toBe(true);
  });

  it('rejects a result that does not match the schema, naming the field', async () => {
    const liar: ToolchainWorkerApi = {
      init: async () => ({ toolchainVersion: 'LLD (test)', ms: 1 }),
      compiledModules: () => ({}),
      prepare: async () => {},
      toolchainVersion: async () => 'LLD (test)',
      run: () => Promise.reject(new Error('unused')),
      cancelRun: () => {},
      lifeline: async () => null,
      sweepStep: async (step) =>
        ({ index: step.index, value: step.value, verdict: 'fine' }) as unknown as SweepStepResult,
    };
    const sweep = runSweepInWorkers(plan, { size: 1, createWorker: () => new FakeWorker(liar) });
    await expect(sweep).rejects.toBeInstanceOf(WorkerProtocolError);
    await expect(sweep).rejects.toThrow(/verdict/);
  });

  it('fails the sweep in words when a worker ends without a word (self.close(): no event)', async () => {
    const locks = new InProcessLocks();
    const context = locks.context();
    let stepAsked!: () => void;
    const asked = new Promise<void>((resolve) => (stepAsked = resolve));
    const quiet: ToolchainWorkerApi = {
      init: async () => ({ toolchainVersion: 'ld.lld (test)', ms: 1 }),
      compiledModules: () => ({}),
      prepare: async () => {},
      toolchainVersion: async () => 'ld.lld (test)',
      run: () => Promise.reject(new Error('unused')),
      cancelRun: () => {},
      lifeline: (() => {
        const held = holdLifeline(context);
        return () => held;
      })(),
      sweepStep: () => {
        stepAsked();
        return new Promise(() => {}); // a link in progress when the worker goes
      },
    };
    const worker = new FakeWorker(quiet, { onEnd: () => context.end() });
    const sweep = runSweepInWorkers(plan, {
      size: 1,
      createWorker: () => worker,
      locks: locks.context(),
    });
    await asked;
    worker.close();
    await expect(sweep).rejects.toBeInstanceOf(WorkerFailedError);
    await expect(sweep).rejects.toThrow(
      'A sweep worker stopped without reporting an error (it closed itself, or the browser ended it).',
    );
  });

  it('sizes the pool by cores, memory and steps', () => {
    const nav = (hardwareConcurrency: number, deviceMemory?: number) =>
      ({ hardwareConcurrency, deviceMemory }) as unknown as Navigator;
    expect(pageSweepPoolSize(64, nav(2, 8))).toBe(2);
    expect(pageSweepPoolSize(64, nav(16, 8))).toBe(4); // 8 GiB: half for the pool, 1 GiB each
    expect(pageSweepPoolSize(3, nav(16, 8))).toBe(3);
    expect(pageSweepPoolSize(64, nav(8, 1))).toBe(1);
    expect(pageSweepPoolSize(64, nav(8))).toBe(2); // unknown memory: 4 GiB assumed
  });

  it('runs scenarios in the background for their outcomes; one the worker refuses is reported, the rest go on', async () => {
    const before = workers.length;
    const outcomes: Array<[number, string, number]> = [];
    const errors: Array<[number, string]> = [];
    await runScenariosInWorkers(
      [plan.steps[1].scenario, { ...plan.steps[0].scenario, maxPasses: 1 }, plan.steps[0].scenario],
      {
        size: 1,
        createWorker: realWorker,
        onResult: (index, r) => outcomes.push([index, r.verdict, r.passes]),
        onError: (index, message) => errors.push([index, message]),
      },
    );
    expect(outcomes).toEqual([
      [0, 'inconsistent', 3],
      [2, 'converged', 2],
    ]);
    expect(errors).toHaveLength(1);
    expect(errors[0][0]).toBe(1);
    expect(errors[0][1]).toMatch(/maxPasses/);
    expect(workers.slice(before).every((w) => w.terminated)).toBe(true);
  });

  it('keeps a core free for the page when it runs in the background', () => {
    const nav = (hardwareConcurrency: number, deviceMemory?: number) =>
      ({ hardwareConcurrency, deviceMemory }) as unknown as Navigator;
    expect(backgroundPoolSize(8, nav(2, 8))).toBe(1);
    expect(backgroundPoolSize(8, nav(1, 8))).toBe(1);
    expect(backgroundPoolSize(8, nav(8, 8))).toBe(4);
    expect(backgroundPoolSize(2, nav(8, 8))).toBe(2);
  });
});
