import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, freemem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { findPreset, PRESETS } from '../toolchain/scenario/presets.ts';
import {
  expandSweep,
  formatSweepValue,
  MAX_SWEEP_CELLS,
  MAX_SWEEP_STEPS,
  MIN_SWEEP_STEPS,
  SWEEP_AXES,
  SWEEP_PARAMS,
  SWEEP_PARAM_UNITS,
  type SweepAxis,
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
import { sweepCost } from '../toolchain/sweep/cost.ts';
import { jsonTerminalSafe, terminalSafe } from '../toolchain/text/quote.ts';
import { readScenarioFile } from './command-run.ts';
import { applyCorpusParams, CORPUS_PARAM_USAGE } from './corpus-params.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { MAX_IMAGE_USAGE, parseMaxImage, refuseOverImageLimit } from './image-limit.ts';
import type { CliIO } from './io.ts';
import { parseDecimal } from './numbers.ts';
import { gridRowLines, gridSummaryLines, gridTitleLines } from './sweep-grid.ts';
import type { SweepToMain, SweepToWorker, SweepWorkerData } from './sweep-messages.ts';

export const SWEEP_USAGE = `Usage: kallsyms-lab sweep (--preset ID | --scenario FILE.json) --param P --from A --to B --steps N
                         [--param2 Q --from2 C --to2 D --steps2 M]
                         [--corpus-param NAME=VALUE ...] [--jobs J] [--toolchain wasm|native] [--json]

Runs the scenario once per step, with P evenly spaced from A to B (both included;
A > B sweeps downwards), on a pool of worker threads, and prints a line per step
in parameter order, then the ranges where the loop converges and where not.
With a second parameter Q it runs every pair (a phase map of N × M cells, at
most ${MAX_SWEEP_CELLS}) and prints a grid: P across, Q down, each cell its verdict's
letter and its trial links.

Parameters:
  gap         address gap before init text, in MiB (decimals allowed), as run --gap
  align       alignment of init text, in bytes: powers of two, stepped by factors of two
  base        KERNELBASE, hex addresses (e.g. --from 0xc000000000000000)
  maxPasses   fixpoint's cap on trial links (fixpoint scenarios only)
  NAME        any parameter of a generated corpus (kallsyms-lab presets --params),
              for a scenario with one: each step links a corpus made for its value

Options:
  --steps N                 ${MIN_SWEEP_STEPS} to ${MAX_SWEEP_STEPS} (--steps2 too)
${CORPUS_PARAM_USAGE}
  --jobs J                  workers at once (default: one per core, fewer if memory is short)
  --toolchain wasm|native   @yowasp/clang (default) or ld.lld/llvm-nm from PATH
${MAX_IMAGE_USAGE}
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

/** A bound of a numeric parameter: decimal MiB for gap, whole numbers for the rest. */
function parseBound(flag: string, text: string, param: Exclude<SweepAxis, 'base'>): number {
  const examples: Partial<Record<SweepAxis, string>> = {
    gap: '31.5 (MiB)',
    align: '65536',
    maxPasses: '16',
  };
  return parseDecimal(flag, text, {
    integer: param !== 'gap',
    example: `${flag} ${examples[param] ?? '40'}`,
  });
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
  how: Omit<SweepWorkerData, 'tempDir'>,
  jobs: number,
  onResult: (result: SweepStepResult) => void,
): Promise<void> {
  // Native workers keep their files in one directory the sweep removes when
  // it ends, even those of a worker it had to terminate mid-step.
  const tempDir =
    how.toolchain === 'native' ? mkdtempSync(join(tmpdir(), 'kallsyms-lab-sweep-')) : undefined;
  const removeTemp = () => {
    if (tempDir) rmSync(tempDir, { recursive: true, force: true, maxRetries: 5 });
  };
  if (tempDir) process.on('exit', removeTemp);
  // Steps that link the same corpus one after another: a worker keeps only its latest corpora.
  const firstOfCorpus = new Map<string, number>();
  for (const s of plan.steps)
    if (!firstOfCorpus.has(s.scenario.corpus)) firstOfCorpus.set(s.scenario.corpus, s.index);
  const queue = [...plan.steps].sort(
    (a, b) =>
      firstOfCorpus.get(a.scenario.corpus)! - firstOfCorpus.get(b.scenario.corpus)! ||
      a.index - b.index,
  );
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
        workerData: { ...how, tempDir } satisfies SweepWorkerData,
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
        const step = plan.steps.find((s) => s.index === message.index)!;
        // Problems with the input (missing native tools, a bad corpus) are the user's to fix: exit 2.
        const known = ['NativeToolMissingError', 'CorpusError', 'ScenarioError', 'RunCeilingError'];
        if (known.includes(message.name)) fail(new UsageError(message.message));
        else {
          const { param, param2 } = plan.request;
          const where =
            `${param} ${formatSweepValue(param, step.value)}` +
            (param2 && step.value2 !== undefined
              ? `, ${param2} ${formatSweepValue(param2, step.value2)}`
              : '');
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

function tableHeader(param: SweepAxis): string {
  const w = COLUMN_WIDTHS;
  const unit = SWEEP_PARAM_UNITS[param];
  const title = unit === 'address' ? param : `${param} ${unit}`;
  return [
    title.padStart(Math.max(w.value, param === 'base' ? 18 : 0)),
    'verdict'.padEnd(w.verdict),
    'trials'.padStart(w.passes),
    'table syms'.padStart(w.syms),
    'stubs'.padStart(w.stubs),
    'ms'.padStart(w.ms),
  ].join('  ');
}

function tableRow(param: SweepAxis, r: SweepStepResult): string {
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
      param2: { type: 'string' },
      from2: { type: 'string' },
      to2: { type: 'string' },
      steps2: { type: 'string' },
      'corpus-param': { type: 'string', multiple: true },
      jobs: { type: 'string' },
      'max-image': { type: 'string' },
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
  const param = checkAxisName('--param', values.param!);
  const grid = [values.param2, values.from2, values.to2, values.steps2];
  if (grid.some((v) => v !== undefined) && grid.some((v) => v === undefined)) {
    throw new UsageError(
      'A second parameter needs all of --param2, --from2, --to2 and --steps2.\n\n' + SWEEP_USAGE,
    );
  }
  const param2 = values.param2 === undefined ? null : checkAxisName('--param2', values.param2);
  const toolchain = values.toolchain;
  if (toolchain !== 'wasm' && toolchain !== 'native') {
    throw new UsageError(
      `Unknown toolchain "${terminalSafe(toolchain ?? '')}": use wasm or native.`,
    );
  }
  const steps = parseSteps('--steps', values.steps!);
  const steps2 = param2 === null ? null : parseSteps('--steps2', values.steps2!);
  const requestedJobs =
    values.jobs === undefined
      ? undefined
      : parseDecimal('--jobs', values.jobs, { integer: true, min: 1, example: '--jobs 2' });
  // Every flag is checked before the scenario file is read: a typo costs no read.
  const maxImageBytes = parseMaxImage(values['max-image']);
  // A base address is a hex string (64 bits do not fit a double); every other parameter is a number.
  const bound = (flag: string, axis: SweepAxis, text: string): SweepValue =>
    axis === 'base' ? text : parseBound(flag, text, axis);

  const given =
    values.preset !== undefined
      ? findPreset(values.preset)!.scenario
      : await readScenarioFile(values.scenario!, io);
  const scenario = applyCorpusParams(given, values['corpus-param']);
  const plan = expandSweep({
    ...(values.preset !== undefined && scenario === given
      ? { preset: values.preset }
      : { scenario }),
    param,
    from: bound('--from', param, values.from!),
    to: bound('--to', param, values.to!),
    steps,
    ...(param2 !== null
      ? {
          param2,
          from2: bound('--from2', param2, values.from2!),
          to2: bound('--to2', param2, values.to2!),
          steps2: steps2!,
        }
      : {}),
  });
  refuseOverImageLimit(
    sweepCost(plan),
    maxImageBytes,
    values.preset !== undefined ? `preset ${values.preset}` : `scenario file ${values.scenario}`,
  );
  const cells = plan.steps.length;
  const jobs = poolSize(requestedJobs, toolchain, cells, io);

  const results: SweepStepResult[] = [];
  if (!values.json)
    io.stdout((param2 ? gridTitleLines(plan) : [tableHeader(param)]).join('\n') + '\n');
  const inOrder = inStepOrder((r) => {
    results.push(r);
    if (values.json) return;
    if (!param2) io.stdout(tableRow(param, r) + '\n');
    // A map prints a row as soon as its last cell is in.
    else if ((r.index + 1) % steps === 0)
      io.stdout(gridRowLines(plan, results.slice(-steps)).join('\n') + '\n');
  });
  const started = performance.now();
  await runOnPool(plan, { toolchain, maxImageBytes }, jobs, inOrder);
  const totalMs = performance.now() - started;

  const record = sweepRecord(plan, results, { toolchain, jobs, totalMs });
  if (values.json) {
    io.stdout(jsonTerminalSafe(JSON.stringify(record, null, 2)) + '\n');
  } else {
    io.stdout('\n');
    if (param2) io.stdout(gridSummaryLines(record).join('\n') + '\n');
    for (const range of record.ranges) io.stdout(describeSweepRange(param, range) + '\n');
    io.stdout(
      `${cells} ${param2 ? 'cells' : 'steps'} in ${(totalMs / 1000).toFixed(1)} s on ${jobs} ${toolchain} worker${jobs === 1 ? '' : 's'}\n`,
    );
  }
  return results.every((r) => r.verdict === 'converged') ? EXIT.ok : EXIT.failingVerdict;
}

function checkAxisName(flag: string, name: string): SweepAxis {
  if ((SWEEP_AXES as readonly string[]).includes(name)) return name as SweepAxis;
  throw new UsageError(
    `Unknown parameter "${terminalSafe(name)}"${flag === '--param' ? '' : ` for ${flag}`}: use one of ${SWEEP_PARAMS.join(', ')}, ` +
      'or a generated corpus parameter (kallsyms-lab presets --params).',
  );
}

function parseSteps(flag: '--steps' | '--steps2', text: string): number {
  return parseDecimal(flag, text, {
    integer: true,
    min: MIN_SWEEP_STEPS,
    max: MAX_SWEEP_STEPS,
    example: `${flag} 64`,
  });
}
