/**
 * `npm run fuzz`: a few thousand hostile scenario files, listings, permalinks
 * and command lines through the CLI (in-process `main()`, and some real
 * processes) and the permalink decoder, then a count per kind: tried, refused
 * with a message, ran, crashed, hung, and wrote (or read) outside the run
 * directory; the last three must be 0. Then the worst inputs are run again as
 * processes to measure their peak memory.
 *
 *   npm run fuzz -- [--seed N] [--scenarios N] [--listings N] [--links N]
 *                   [--argv N] [--processes N] [--no-heavy]
 *
 * Exit status 1 when anything crashed, hung or touched the tree.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { heavyInputs, makeInputs, type FuzzInput, type InputKind } from './inputs.ts';
import { count, emptyTally, FuzzRunner, type InputResult, type Tally } from './runner.ts';

const FIXTURES = fileURLToPath(new URL('../../shared/fixtures/kallsyms/', import.meta.url));

export interface FuzzOptions {
  seed: number;
  scenarios: number;
  listings: number;
  links: number;
  argvs: number;
  processes: number;
  heavy: boolean;
  /** How many of the slowest in-process CLI inputs to run again as processes, for their peak memory. */
  remeasure?: number;
  /** Called after each input (progress). */
  onResult?: (result: InputResult, done: number, total: number) => void;
}

export interface FuzzReport {
  byKind: Record<InputKind | 'all', Tally>;
  /** Inputs that crashed, hung or touched the tree, with what happened. */
  failures: InputResult[];
  results: InputResult[];
  /** The slowest in-process inputs, run again as processes: their peak memory. */
  remeasured: InputResult[];
}

export function listingFixtures(): Record<string, string> {
  const read = (name: string) => readFileSync(`${FIXTURES}${name}`, 'latin1');
  return { 'example.nm': read('example.nm'), 'medium.nm': read('medium.nm') };
}

/** Runs the inputs of a seed and counts how each kind ended. */
export async function fuzz(options: FuzzOptions): Promise<FuzzReport> {
  const inputs: FuzzInput[] = makeInputs(
    options.seed,
    {
      scenarios: options.scenarios,
      listings: options.listings,
      links: options.links,
      argvs: options.argvs,
      processes: options.processes,
    },
    listingFixtures(),
  );
  if (options.heavy) inputs.push(...heavyInputs(inputs.length));
  const runner = new FuzzRunner();
  const byKind = {
    scenario: emptyTally(),
    listing: emptyTally(),
    link: emptyTally(),
    argv: emptyTally(),
    all: emptyTally(),
  };
  const results: InputResult[] = [];
  const remeasured: InputResult[] = [];
  try {
    for (const input of inputs) {
      const result = await runner.run(input);
      results.push(result);
      count(byKind[input.kind], result);
      count(byKind.all, result);
      options.onResult?.(result, results.length, inputs.length);
    }
    const slowest = results
      .filter((r) => !r.process && inputs[r.id].argv)
      .sort((a, b) => b.ms - a.ms)
      .slice(0, options.remeasure ?? 0);
    for (const r of slowest) remeasured.push(await runner.run({ ...inputs[r.id], process: true }));
  } finally {
    await runner.close();
  }
  const failures = results.filter(
    (r) =>
      r.outcome === 'crashed' || r.outcome === 'hung' || r.outcome === 'leaked' || r.outside.length,
  );
  return { byKind, failures, results, remeasured };
}

function table(report: FuzzReport): string {
  const columns = ['tried', 'refused', 'ran', 'crashed', 'hung', 'outside'] as const;
  const head = ['kind'.padEnd(9), ...columns.map((c) => c.padStart(8))].join('');
  const rows = (['scenario', 'listing', 'link', 'argv', 'all'] as const).map((kind) =>
    [kind.padEnd(9), ...columns.map((c) => String(report.byKind[kind][c]).padStart(8))].join(''),
  );
  return [head, ...rows].join('\n');
}

async function cliMain(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '20261201' },
      scenarios: { type: 'string', default: '600' },
      listings: { type: 'string', default: '1500' },
      links: { type: 'string', default: '2000' },
      argv: { type: 'string', default: '200' },
      processes: { type: 'string', default: '24' },
      'no-heavy': { type: 'boolean', default: false },
    },
  });
  const whole = (name: string, text: string) => {
    if (!/^\d+$/.test(text))
      throw new Error(`--${name} takes a whole number, not ${JSON.stringify(text)}`);
    return Number(text);
  };
  const started = performance.now();
  const report = await fuzz({
    seed: whole('seed', values.seed),
    scenarios: whole('scenarios', values.scenarios),
    listings: whole('listings', values.listings),
    links: whole('links', values.links),
    argvs: whole('argv', values.argv),
    processes: whole('processes', values.processes),
    heavy: !values['no-heavy'],
    remeasure: 5,
    onResult: (r, done, total) => {
      if (done % 100 === 0 || r.process || r.outcome !== 'refused')
        process.stderr.write(
          `\r${done}/${total} ${r.kind} ${r.outcome} ${(r.ms / 1000).toFixed(1)} s   `,
        );
    },
  });
  process.stderr.write('\n');
  console.log(`seed ${values.seed}, ${((performance.now() - started) / 60000).toFixed(1)} min\n`);
  console.log(table(report));
  console.log(
    '\n(outside: wrote outside its own directories, or printed a line of the canary file)',
  );
  for (const f of report.failures.slice(0, 30)) {
    console.log(
      `\n#${f.id} ${f.kind} ${f.outcome}: ${f.label}\n  ${f.detail ?? ''} ${f.outside.join(', ')}`,
    );
  }
  // Peak memory: every input run as a process was measured; the heaviest, by name.
  const measured = [...report.results, ...report.remeasured]
    .filter((r) => r.rssKiB !== undefined)
    .sort((a, b) => b.rssKiB! - a.rssKiB!);
  console.log(
    '\npeak RSS of the inputs run as processes, and of the 5 slowest run again as processes\n' +
      '(node --import fuzz/max-rss.mjs bin/kallsyms-lab.mjs …: process.resourceUsage().maxRSS at exit):',
  );
  for (const r of measured.slice(0, 5)) {
    console.log(
      `  ${(r.rssKiB! / 1024).toFixed(0).padStart(6)} MiB  ${(r.ms / 1000).toFixed(1).padStart(6)} s  #${r.id} ${r.outcome}: ${r.label}`,
    );
  }
  const slowest = report.results
    .filter((r) => !r.process)
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 5);
  console.log('\nslowest in-process inputs:');
  for (const r of slowest)
    console.log(
      `  ${(r.ms / 1000).toFixed(1).padStart(6)} s  #${r.id} ${r.kind} ${r.outcome}: ${r.label}`,
    );
  const all = report.byKind.all;
  return all.crashed + all.hung + all.outside === 0 ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.exitCode = await cliMain();
}
