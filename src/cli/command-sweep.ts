import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { findPreset, PRESETS } from '../toolchain/scenario/presets.ts';
import {
  expandSweep,
  formatSweepValue,
  MAX_SWEEP_STEPS,
  MIN_SWEEP_STEPS,
  SWEEP_PARAMS,
  SWEEP_PARAM_UNITS,
  type SweepParam,
  type SweepPlan,
  type SweepValue,
} from '../toolchain/sweep/request.ts';
import {
  describeSweepRange,
  inStepOrder,
  sweepPoolSize,
  sweepRecord,
  type SweepStepResult,
} from '../toolchain/sweep/result.ts';
import { jsonTerminalSafe, terminalSafe } from '../toolchain/text/quote.ts';
import { readScenarioFile } from './command-run.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { CliIO } from './io.ts';
import { parseDecimal } from './numbers.ts';
import type { SweepToMain, SweepToWorker, SweepWorkerData } from './sweep-messages.ts';

export const SWEEP_USAGE = `Usage: kallsyms-lab sweep (--preset ID | --scenario FILE.json) --param P --from A --to B --steps N
                         [--jobs J] [--toolchain wasm|native] [--json]

Runs the scenario once per step, with P evenly spaced from A to B (both included;
A > B sweeps downwards), on a pool of worker threads, and prints a line per step
in parameter order, then the ranges where the loop converges and where not.

Parameters:
  gap         address gap before init text, in MiB (decimals allowed), as run --gap
  align       alignment of init text, in bytes: powers of two, stepped by factors of two
  base        KERNELBASE, hex addresses (e.g. --from 0xc000000000000000)
  maxPasses   fixpoint's cap on trial links (fixpoint scenarios only)

Options:
  --steps N                 ${MIN_SWEEP_STEPS} to ${MAX_SWEEP_STEPS}
  --jobs J                  workers at once (default: one per core, fewer if memory is short)
  --toolchain wasm|native   @yowasp/clang (default) or ld.lld/llvm-nm from PATH
  --json                    print the whole sweep record as JSON

Exit status: 0 every step converged, 1 some step did not, 2 bad input.`;

const GIB = 1024 ** 3;
/**
 * Memory a worker needs, for the rule "no more workers than free GiB" (wasm):
 * each WebAssembly worker compiles and instantiates its own ld.lld; measured,
 * each adds ~0.45 GB of peak RSS on the kernel-like presets and ~0.6 GB on
 * the 150,000-symbol corpus, so 1 GiB leaves headroom. A native worker holds
 * only the corpus and the loop's records (the tools run as processes).
 */
const BYTES_PER_WORKER = { wasm: GIB, native: GIB / 4 } as const;

/** A bound of a numeric parameter: decimal MiB for gap, whole numbers for align and maxPasses. */
function parseBound(flag: string, text: string, param: Exclude<SweepParam, 'base'>): number {
  const example = { gap: '31.5 (MiB)', align: '65536', maxPasses: '16' }[param];
  return parseDecimal(flag, text, { integer: param !== 'gap', example: `${flag} ${example}` });
}

/**
 * How many workers run at once: `--jobs` if given, never more than the
 * default allows (one per core, one per BYTES_PER_WORKER of free memory),
 * nor than there are steps. Says on stderr when it lowers a request.
 */
function poolSize(
  requested: number | undefined,
  toolchain: 'wasm' | 'native',
  steps: number,
  io: CliIO,
): number {
  const cores = availableParallelism();
  const constrained = process.constrainedMemory?.() ?? 0;
  const availableBytes = constrained > 0 ? Math.min(freemem(), constrained) : freemem();
  const perWorker = BYTES_PER_WORKER[toolchain];
  const machine = sweepPoolSize({
    cores,
    availableBytes,
    bytesPerWorker: perWorker,
    steps: Infinity,
  });
  if (requested === undefined) return Math.min(machine, steps);
  const jobs = Math.min(requested, machine, steps);
  if (jobs < requested) {
    const why =
      jobs === steps && steps < machine
        ? `there are ${steps} steps`
        : `${cores} core${cores === 1 ? '' : 's'}, ${(availableBytes / GIB).toFixed(1)} GiB free ` +
          `at ${perWorker / GIB} GiB per ${toolchain === 'wasm' ? 'WebAssembly' : 'native'} worker`;
    io.stderr(`kallsyms-lab sweep: --jobs ${requested} lowered to ${jobs} (${why})\n`);
  }
  return jobs;
}

/** Runs every step on `jobs` workers; `onResult` sees results as they finish, in any order. */
async function runOnPool(
  plan: SweepPlan,
  toolchain: 'wasm' | 'native',
  jobs: number,
  onResult: (result: SweepStepResult) => void,
): Promise<void> {
  // Native workers keep their files in one directory the sweep removes when
  // it ends, even those of a worker it had to terminate mid-step.
  const tempDir =
    toolchain === 'native' ? mkdtempSync(join(tmpdir(), 'kallsyms-lab-sweep-')) : undefined;
  const removeTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true, maxRetries: 5 });
  };
  if (tempDir) process.on('exit', removeTemp);
  const queue = [...plan.steps];
  const workers: Worker[] = [];
  const done = new Promise<void>((resolve, reject) => {
    let running = 0;
    let failed = false;
    const fail = (error: Error) => {
      if (failed) return;
      failed = true;
      reject(error);
    };
    const feed = (worker: Worker) => {
      const step = queue.shift();
      if (!step) {
        running--;
        if (running === 0) resolve();
        return;
      }
      worker.postMessage({ step } satisfies SweepToWorker);
    };
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(new URL('./sweep-worker-boot.mjs', import.meta.url), {
        workerData: { toolchain, tempDir } satisfies SweepWorkerData,
      });
      workers.push(worker);
      running++;
      worker.on('message', (message: SweepToMain) => {
        if (failed) return;
        if (message.kind === 'done') {
          onResult(message.result);
          feed(worker);
          return;
        }
        const step = plan.steps[message.index];
        // Problems with the input (missing native tools, a bad corpus) are the user's to fix: exit 2.
        const known = ['NativeToolMissingError', 'CorpusError', 'ScenarioError'];
        if (known.includes(message.name)) fail(new UsageError(message.message));
        else {
          const where = `${plan.request.param} ${formatSweepValue(plan.request.param, step.value)}`;
          const error = new Error(`step ${message.index + 1} (${where}): ${message.message}`);
          error.stack = message.stack;
          fail(error);
        }
      });
      worker.on('error', (error) => fail(error as Error));
      worker.on('exit', (code) => {
        if (code !== 0) fail(new Error(`a sweep worker stopped with exit code ${code}`));
      });
      feed(worker);
    }
  });
  try {
    await done;
  } finally {
    await Promise.all(workers.map(closeWorker));
    if (tempDir) {
      process.off('exit', removeTemp);
      removeTemp();
    }
  }
}

/**
 * Asks a worker to end (it removes its toolchain's temporary files first);
 * one still busy with a step after a second is terminated.
 */
function closeWorker(worker: Worker): Promise<void> {
  return new Promise<void>((resolve) => {
    // terminate() also settles for a worker that has already stopped.
    const timer = setTimeout(() => void worker.terminate().then(() => resolve()), 1000);
    worker.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    worker.postMessage({ close: true } satisfies SweepToWorker);
  });
}

const COLUMN_WIDTHS = { value: 14, verdict: 13, passes: 6, syms: 10, stubs: 6, ms: 7 };

function tableHeader(param: SweepParam): string {
  const w = COLUMN_WIDTHS;
  const unit = SWEEP_PARAM_UNITS[param];
  const title = unit === 'address' ? param : `${param} ${unit}`;
  return [
    title.padStart(Math.max(w.value, param === 'base' ? 18 : 0)),
    'verdict'.padEnd(w.verdict),
    'passes'.padStart(w.passes),
    'table syms'.padStart(w.syms),
    'stubs'.padStart(w.stubs),
    'ms'.padStart(w.ms),
  ].join('  ');
}

function tableRow(param: SweepParam, r: SweepStepResult): string {
  const w = COLUMN_WIDTHS;
  return [
    formatSweepValue(param, r.value).padStart(Math.max(w.value, param === 'base' ? 18 : 0)),
    r.verdict.padEnd(w.verdict),
    String(r.passes).padStart(w.passes),
    (r.tableSymbols === null ? '-' : String(r.tableSymbols)).padStart(w.syms),
    (r.stubs === null ? '-' : String(r.stubs)).padStart(w.stubs),
    r.ms.toFixed(0).padStart(w.ms),
  ].join('  ');
}

export async function sweepCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      preset: { type: 'string' },
      scenario: { type: 'string' },
      param: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      steps: { type: 'string' },
      jobs: { type: 'string' },
      toolchain: { type: 'string', default: 'wasm' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(SWEEP_USAGE + '\n');
    return EXIT.ok;
  }
  if ((values.preset === undefined) === (values.scenario === undefined)) {
    throw new UsageError(
      'Give either --preset ID or --scenario FILE.json (see kallsyms-lab sweep --help).',
    );
  }
  const missing = (['param', 'from', 'to', 'steps'] as const).filter(
    (k) => values[k] === undefined,
  );
  if (missing.length) {
    throw new UsageError(
      `Missing ${missing.map((k) => `--${k}`).join(', ')} (see kallsyms-lab sweep --help).`,
    );
  }
  if (values.preset !== undefined && !findPreset(values.preset)) {
    throw new UsageError(
      `Unknown preset "${terminalSafe(values.preset)}": use one of ${PRESETS.map((p) => p.id).join(', ')}.`,
    );
  }
  const param = values.param as SweepParam;
  if (!(SWEEP_PARAMS as readonly string[]).includes(param)) {
    throw new UsageError(
      `Unknown parameter "${terminalSafe(values.param ?? '')}": use one of ${SWEEP_PARAMS.join(', ')}.`,
    );
  }
  const toolchain = values.toolchain;
  if (toolchain !== 'wasm' && toolchain !== 'native') {
    throw new UsageError(
      `Unknown toolchain "${terminalSafe(toolchain ?? '')}": use wasm or native.`,
    );
  }
  const steps = parseDecimal('--steps', values.steps!, {
    integer: true,
    min: MIN_SWEEP_STEPS,
    max: MAX_SWEEP_STEPS,
    example: '--steps 64',
  });
  const requestedJobs =
    values.jobs === undefined
      ? undefined
      : parseDecimal('--jobs', values.jobs, { integer: true, min: 1, example: '--jobs 2' });
  // A base address is a hex string (64 bits do not fit a double); every other parameter is a number.
  const bound = (flag: '--from' | '--to', text: string): SweepValue =>
    param === 'base' ? text : parseBound(flag, text, param);

  const plan = expandSweep({
    ...(values.preset !== undefined
      ? { preset: values.preset }
      : { scenario: await readScenarioFile(values.scenario!, io) }),
    param,
    from: bound('--from', values.from!),
    to: bound('--to', values.to!),
    steps,
  });
  const jobs = poolSize(requestedJobs, toolchain, steps, io);

  const results: SweepStepResult[] = [];
  if (!values.json) io.stdout(tableHeader(param) + '\n');
  const inOrder = inStepOrder((r) => {
    results.push(r);
    if (!values.json) io.stdout(tableRow(param, r) + '\n');
  });
  const started = performance.now();
  await runOnPool(plan, toolchain, jobs, inOrder);
  const totalMs = performance.now() - started;

  const record = sweepRecord(plan, results, { toolchain, jobs, totalMs });
  if (values.json) {
    io.stdout(jsonTerminalSafe(JSON.stringify(record, null, 2)) + '\n');
  } else {
    io.stdout('\n');
    for (const range of record.ranges) io.stdout(describeSweepRange(param, range) + '\n');
    io.stdout(
      `${steps} steps in ${(totalMs / 1000).toFixed(1)} s on ${jobs} ${toolchain} worker${jobs === 1 ? '' : 's'}\n`,
    );
  }
  return results.every((r) => r.verdict === 'converged') ? EXIT.ok : EXIT.failingVerdict;
}
