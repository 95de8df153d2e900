import { parseArgs } from 'node:util';
import { obtainCorpus } from '../toolchain/corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import type { RunRecord } from '../toolchain/kbuild/records.ts';
import { runLinkLoop } from '../toolchain/kbuild/run-loop.ts';
import { explainVerdict, type VerdictWhy } from '../toolchain/kbuild/verdict-why.ts';
import { createNativeToolchain } from '../toolchain/llvm/native-toolchain.ts';
import type { Toolchain } from '../toolchain/llvm/toolchain.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { estimateRunCost, RunCeilingError } from '../toolchain/scenario/cost.ts';
import { describeAllowedLinkerFlags } from '../toolchain/scenario/linker-flags.ts';
import { alternativesFor } from '../toolchain/scenario/alternatives.ts';
import { scenarioLoopConfig } from '../toolchain/scenario/loop-config.ts';
import { PRESETS, findPreset } from '../toolchain/scenario/presets.ts';
import {
  assertRunnable,
  MAX_GAP_BYTES,
  parseScenario,
  ScenarioError,
  type Scenario,
} from '../toolchain/scenario/schema.ts';
import { jsonTerminalSafe, oneLine, quoteInput, terminalSafe } from '../toolchain/text/quote.ts';
import { applyCorpusParams, CORPUS_PARAM_USAGE } from './corpus-params.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { ceilingOf, MAX_IMAGE_USAGE, parseMaxImage, refuseOverImageLimit } from './image-limit.ts';
import { describeBytes, MAX_SCENARIO_BYTES, type CliIO } from './io.ts';
import { KeptFiles } from './keep-files.ts';
import { parseDecimal } from './numbers.ts';
import { passTableHeader, passTableRow } from './pass-table.ts';

export const RUN_USAGE = `Usage: kallsyms-lab run (--preset ID | --scenario FILE.json) [overrides] [--json]

Overrides:
  --strategy v5.9|eight-passes|latest|fixpoint
  --generation v5.8|v5.9|latest
  --extra-pass              KALLSYMS_EXTRA_PASS=1
  --filter-lld-stubs        ignore ld.lld's PPC64 stub symbols
  --gap MIB                 address gap before init text, in MiB (decimals allowed)
  --max-passes N            fixpoint's cap on trial links
  --toolchain wasm|native   @yowasp/clang (default) or ld.lld/llvm-nm from PATH
${CORPUS_PARAM_USAGE}
  --json                    print the whole run record as JSON
  --why                     tell why the loop ended so, link by link (with --json: a why field)
  --alternatives            also run what would change the verdict (more passes, the kernel's
                            workaround, the stub filter, an absorbing alignment): how each ends
  --keep-files DIR          write every image, map, listing, table source and object to DIR
                            (checked, and made if missing, before the first link)
${MAX_IMAGE_USAGE}

A scenario file is at most ${describeBytes(MAX_SCENARIO_BYTES)}. Its own linker script may use only the
run's inputs (no INCLUDE, INPUT, GROUP, SEARCH_DIR, OUTPUT, absolute or .. paths) and
must define _text, _stext, _etext, _sinittext and _einittext. Extra linker flags
must be on this list (long flags with two dashes):
${wrapList(describeAllowedLinkerFlags(), '  ', 88)}

Exit status: 0 converged, 1 any failing verdict, 2 bad input.`;

const MIB = 1024 * 1024;

/** "a, b, c" wrapped at `width` columns, each line indented. */
function wrapList(list: string, indent: string, width: number): string {
  const lines: string[] = [];
  let line = indent;
  for (const item of list.split(', ')) {
    if (line.length + item.length + 2 > width && line.trim()) {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${item}, `;
  }
  lines.push(line.replace(/, $/, ''));
  return lines.join('\n');
}

function overrideScenario(
  scenario: Scenario,
  values: Record<string, string | boolean | string[] | undefined>,
): unknown {
  const next: Record<string, unknown> = { ...scenario, layout: { ...scenario.layout } };
  if (values.strategy !== undefined) next.strategy = values.strategy;
  if (values.generation !== undefined) next.generation = values.generation;
  if (values['extra-pass']) next.extraPass = true;
  if (values['filter-lld-stubs']) next.filterLldStubs = true;
  if (values['max-passes'] !== undefined) {
    next.maxPasses = parseDecimal('--max-passes', values['max-passes'] as string, {
      integer: true,
      min: 2,
      max: 64,
      example: '--max-passes 16',
    });
  }
  if (values.gap !== undefined) {
    const mib = parseDecimal('--gap', values.gap as string, {
      integer: false,
      min: 0,
      max: MAX_GAP_BYTES / MIB,
      example: '--gap 31.75 (MiB)',
    });
    (next.layout as Scenario['layout']).gap = Math.round(mib * MIB);
  }
  return next;
}

/** A scenario file (or "-" for standard input), checked against the schema. */
export async function readScenarioFile(path: string, io: CliIO): Promise<Scenario> {
  const bytes = await io.readInput(path, { bytes: MAX_SCENARIO_BYTES, what: 'scenario file' });
  const text = new TextDecoder().decode(bytes);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse quotes the input: keep its words short and printable.
    const why = oneLine((error as Error).message);
    throw new UsageError(
      `${path}: not valid JSON (${why.length > 160 ? why.slice(0, 160) + '…' : why}).`,
    );
  }
  return parseScenario(json, `scenario file ${path}`);
}

export async function runCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      preset: { type: 'string' },
      scenario: { type: 'string' },
      strategy: { type: 'string' },
      generation: { type: 'string' },
      'extra-pass': { type: 'boolean' },
      'filter-lld-stubs': { type: 'boolean' },
      gap: { type: 'string' },
      'max-passes': { type: 'string' },
      'corpus-param': { type: 'string', multiple: true },
      toolchain: { type: 'string', default: 'wasm' },
      json: { type: 'boolean', default: false },
      why: { type: 'boolean', default: false },
      alternatives: { type: 'boolean', default: false },
      'keep-files': { type: 'string' },
      'max-image': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(RUN_USAGE + '\n');
    return EXIT.ok;
  }
  if ((values.preset === undefined) === (values.scenario === undefined)) {
    throw new UsageError(
      'Give either --preset ID or --scenario FILE.json (see kallsyms-lab run --help).',
    );
  }
  if (values.toolchain !== 'wasm' && values.toolchain !== 'native')
    throw new UsageError(
      `Unknown toolchain "${terminalSafe(values.toolchain)}": use wasm or native.`,
    );
  let scenario: Scenario;
  let source = 'scenario';
  if (values.preset !== undefined) {
    const preset = findPreset(values.preset);
    if (!preset) {
      throw new UsageError(
        `Unknown preset "${terminalSafe(values.preset)}": use one of ${PRESETS.map((p) => p.id).join(', ')}.`,
      );
    }
    scenario = preset.scenario;
  } else {
    source = `scenario file ${values.scenario}`;
    scenario = await readScenarioFile(values.scenario!, io);
  }
  scenario = parseScenario(
    overrideScenario(applyCorpusParams(scenario, values['corpus-param']), values),
    'scenario after the command-line overrides',
  );
  // Before any link (and before the corpus is read): a script that cannot run, or makes too much.
  assertRunnable(scenario, source);
  const maxImageBytes = parseMaxImage(values['max-image']);
  refuseOverImageLimit(estimateRunCost(scenario), maxImageBytes, source);
  // And the directory files are kept in, made now and checked writable.
  const keep =
    values['keep-files'] !== undefined ? await KeptFiles.prepare(values['keep-files']) : null;

  const native = values.toolchain === 'native' ? createNativeToolchain() : null;
  const wasm = native ? null : createWasmToolchain();
  // Read and compile the 75 MB module while the corpus is made, not after: the first link
  // waits for it either way. A failure here is the first link's to report, so it is dropped.
  wasm?.prefetch().catch(() => {});
  const toolchain: Toolchain = native ?? wasm!;
  try {
    const corpus = await obtainCorpus(scenario, nodeCorpusSource());
    if (keep) {
      await keep.prepareFor(corpus.objects.map((o) => o.name));
      for (const o of corpus.objects) keep.write(o.name, o.bytes);
    }
    if (!values.json) io.stdout(passTableHeader() + '\n');
    const ceiling = ceilingOf(maxImageBytes);
    const record = await runLinkLoop(
      toolchain,
      { ...scenarioLoopConfig(scenario, corpus), ...ceiling },
      {
        onPass: values.json ? undefined : (pass) => io.stdout(passTableRow(pass) + '\n'),
        onArtifact: keep ? (name, bytes) => keep.write(name, bytes) : undefined,
        signal: keep?.signal,
      },
    );
    await keep?.finish();
    const why = explainVerdict(record);
    // "What would change it": each one-change variant run for real, one after another.
    const tried = values.alternatives
      ? await tryAlternatives(toolchain, scenario, record, ceiling)
      : null;
    if (values.json) {
      const extra = { ...(values.why ? { why } : {}), ...(tried ? { alternatives: tried } : {}) };
      io.stdout(
        jsonTerminalSafe(JSON.stringify({ scenario, ...record, ...extra }, null, 2)) + '\n',
      );
    } else {
      printRecord(io, record);
      printWhy(io, why, values.why === true);
      if (tried) printAlternatives(io, tried);
    }
    return record.verdict.kind === 'converged' ? EXIT.ok : EXIT.failingVerdict;
  } catch (error) {
    // A kept file that could not be written stopped the run: say which (finish throws it).
    if (keep?.signal.aborted) await keep.finish();
    // Anything else: no write may go on after the command ends, and none is left half-made.
    await keep?.abandon();
    throw error;
  } finally {
    await native?.dispose();
  }
}

/**
 * ld.lld's words, which echo lines of the scenario's script: at most 20
 * lines of at most 300 characters each, terminal controls escaped (the
 * --json record keeps them whole).
 */
function boundedLines(text: string): string {
  const lines = text.trimEnd().split('\n');
  const shown = lines
    .slice(0, 20)
    .map((line) => terminalSafe(line.length > 300 ? `${line.slice(0, 300)}…` : line));
  if (lines.length > 20) shown.push(`… and ${lines.length - 20} more lines (--json has them all)`);
  return shown.join('\n');
}

/** An alternative's scenario and what a real run of it ended with. */
interface TriedAlternative {
  id: string;
  label: string;
  reason: string;
  scenario: Scenario;
  verdict: RunRecord['verdict']['kind'] | 'refused';
  summary: string;
}

/** Runs every alternative of the verdict on the same toolchain; a refused one says why. */
async function tryAlternatives(
  toolchain: Toolchain,
  scenario: Scenario,
  record: RunRecord,
  ceiling: ReturnType<typeof ceilingOf>,
): Promise<TriedAlternative[]> {
  const tried: TriedAlternative[] = [];
  for (const alternative of alternativesFor(scenario, record)) {
    const { id, label, reason } = alternative;
    try {
      assertRunnable(alternative.scenario, label);
      const corpus = await obtainCorpus(alternative.scenario, nodeCorpusSource());
      const result = await runLinkLoop(toolchain, {
        ...scenarioLoopConfig(alternative.scenario, corpus),
        ...ceiling,
      });
      tried.push({
        id,
        label,
        reason,
        scenario: alternative.scenario,
        verdict: result.verdict.kind,
        summary: result.verdict.summary,
      });
    } catch (error) {
      if (!(error instanceof ScenarioError) && !(error instanceof RunCeilingError)) throw error;
      tried.push({
        id,
        label,
        reason,
        scenario: alternative.scenario,
        verdict: 'refused',
        summary: oneLine(error.message),
      });
    }
  }
  return tried;
}

/** The why of the verdict: the short form, or (--why) every link's part of the story. */
function printWhy(io: CliIO, why: VerdictWhy, whole: boolean): void {
  const lines = whole ? why.sentences : why.brief;
  if (lines.length === 0) return;
  io.stdout(`\nWhy${whole ? '' : ' (--why tells it link by link)'}:\n`);
  for (const line of lines) io.stdout(`  ${terminalSafe(line)}\n`);
}

function printAlternatives(io: CliIO, tried: readonly TriedAlternative[]): void {
  io.stdout('\nWhat would change it (each run for real):\n');
  if (tried.length === 0) io.stdout('  nothing to try: the loop converged as it is\n');
  for (const t of tried) io.stdout(`  ${t.label}: ${terminalSafe(t.summary)}\n`);
}

/** The verdict, with anything a terminal would act on escaped. */
function printRecord(io: CliIO, record: RunRecord): void {
  // Symbol names and ld.lld's words come from the scenario's script: escape what a terminal acts on.
  io.stdout(`\n${terminalSafe(record.verdict.summary)}\n`);
  if (record.verdict.kind === 'inconsistent') {
    const { message } = record.verdict.check;
    if (message) io.stdout(`${terminalSafe(message)}\n`);
    for (const d of record.verdict.check.differences.slice(0, 5)) {
      const trial = d.trial === null ? '(none)' : quoteInput(d.trial, 160);
      const final = d.final === null ? '(none)' : quoteInput(d.final, 160);
      io.stdout(`  line ${d.line}: last trial ${trial}  vmlinux ${final}\n`);
    }
  }
  if (record.verdict.kind === 'link-failed') io.stdout(`${boundedLines(record.verdict.message)}\n`);
}

export { ScenarioError };
