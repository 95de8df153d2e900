import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { obtainCorpus } from '../toolchain/corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import { runLinkLoop } from '../toolchain/kbuild/run-loop.ts';
import { createNativeToolchain } from '../toolchain/llvm/native-toolchain.ts';
import type { Toolchain } from '../toolchain/llvm/toolchain.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../toolchain/scenario/loop-config.ts';
import { PRESETS, findPreset } from '../toolchain/scenario/presets.ts';
import { parseScenario, ScenarioError, type Scenario } from '../toolchain/scenario/schema.ts';
import { applyCorpusParams, CORPUS_PARAM_USAGE } from './corpus-params.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { CliIO } from './io.ts';
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
  --keep-files DIR          write every image, map, listing, table source and object to DIR

Exit status: 0 converged, 1 any failing verdict, 2 bad input.`;

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
    const n = Number(values['max-passes']);
    if (!Number.isInteger(n))
      throw new UsageError(
        `--max-passes ${values['max-passes']}: give a whole number from 2 to 64.`,
      );
    next.maxPasses = n;
  }
  if (values.gap !== undefined) {
    const mib = Number(values.gap);
    if (!Number.isFinite(mib) || mib < 0)
      throw new UsageError(`--gap ${values.gap}: give a number of MiB, e.g. 31.7.`);
    (next.layout as Scenario['layout']).gap = Math.round(mib * 1024 * 1024);
  }
  return next;
}

/** A scenario file (or "-" for standard input), checked against the schema. */
export async function readScenarioFile(path: string, io: CliIO): Promise<Scenario> {
  const text = new TextDecoder().decode(await io.readInput(path));
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${path}: not valid JSON (${(error as Error).message}).`);
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
      'keep-files': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(RUN_USAGE + '\n');
    return EXIT.ok;
  }
  if ((values.preset === undefined) === (values.scenario === undefined)) {
    throw new UsageError(`Give either --preset ID or --scenario FILE.json.\n\n${RUN_USAGE}`);
  }
  let scenario: Scenario;
  if (values.preset !== undefined) {
    const preset = findPreset(values.preset);
    if (!preset) {
      throw new UsageError(
        `Unknown preset "${values.preset}": use one of ${PRESETS.map((p) => p.id).join(', ')}.`,
      );
    }
    scenario = preset.scenario;
  } else {
    scenario = await readScenarioFile(values.scenario!, io);
  }
  scenario = parseScenario(
    overrideScenario(applyCorpusParams(scenario, values['corpus-param']), values),
    'scenario after the command-line overrides',
  );

  let toolchain: Toolchain;
  if (values.toolchain === 'wasm') toolchain = createWasmToolchain();
  else if (values.toolchain === 'native') toolchain = createNativeToolchain();
  else throw new UsageError(`Unknown toolchain "${values.toolchain}": use wasm or native.`);

  const corpus = await obtainCorpus(scenario, nodeCorpusSource());
  const keepDir = values['keep-files'];
  const kept: Array<Promise<void>> = [];
  const onArtifact = keepDir
    ? (name: string, bytes: Uint8Array | string) => {
        const path = join(keepDir, name);
        kept.push(mkdir(dirname(path), { recursive: true }).then(() => writeFile(path, bytes)));
      }
    : undefined;
  if (keepDir) {
    for (const o of corpus.objects) onArtifact!(o.name, o.bytes);
  }
  if (!values.json) io.stdout(passTableHeader() + '\n');
  const record = await runLinkLoop(toolchain, scenarioLoopConfig(scenario, corpus), {
    onPass: values.json ? undefined : (pass) => io.stdout(passTableRow(pass) + '\n'),
    onArtifact,
  });
  await Promise.all(kept);
  if (values.json) {
    io.stdout(JSON.stringify({ scenario, ...record }, null, 2) + '\n');
  } else {
    io.stdout(`\n${record.verdict.summary}\n`);
    if (record.verdict.kind === 'inconsistent') {
      io.stdout(`${record.verdict.check.message}\n`);
      for (const d of record.verdict.check.differences.slice(0, 5)) {
        io.stdout(
          `  line ${d.line}: last trial "${d.trial ?? '(none)'}"  vmlinux "${d.final ?? '(none)'}"\n`,
        );
      }
    }
    if (record.verdict.kind === 'link-failed') io.stdout(`${record.verdict.message}\n`);
  }
  return record.verdict.kind === 'converged' ? EXIT.ok : EXIT.failingVerdict;
}

export { ScenarioError };
