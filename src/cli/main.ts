import { CorpusError } from '../toolchain/corpus/corpus-source.ts';
import { NativeToolMissingError } from '../toolchain/llvm/native-toolchain.ts';
import { RunCeilingError } from '../toolchain/scenario/cost.ts';
import { ScenarioError } from '../toolchain/scenario/schema.ts';
import { oneLine } from '../toolchain/text/quote.ts';
import { diagnoseCommand } from './command-diagnose.ts';
import { kallsymsCommand } from './command-kallsyms.ts';
import { presetsCommand } from './command-presets.ts';
import { runCommand } from './command-run.ts';
import { sweepCommand } from './command-sweep.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { processIO, type CliIO } from './io.ts';

/** For the launcher (bin/kallsyms-lab.mjs), whichever of the bundle and the sources it runs. */
export { guardProcess } from './io.ts';

const USAGE = `Usage: kallsyms-lab <command> [options]

Commands:
  presets     list the preset scenarios
  run         run a scenario's link loop (see: kallsyms-lab run --help)
  sweep       run a scenario across a range of one parameter (see: kallsyms-lab sweep --help)
  kallsyms    the kernel's scripts/kallsyms on an nm listing (see: kallsyms-lab kallsyms --help)
  diagnose    your own build: a System.map, nm listing or vmlinux, or two to compare (see: kallsyms-lab diagnose --help)`;

const COMMANDS: Record<string, (args: string[], io: CliIO) => Promise<number>> = {
  presets: presetsCommand,
  run: runCommand,
  sweep: sweepCommand,
  kallsyms: kallsymsCommand,
  diagnose: (args, io) => diagnoseCommand(args, io),
};

/**
 * Runs one command; returns the exit status instead of exiting, so tests can
 * call it. Every failure is one line on stderr: exit 2 for bad input, and
 * for a bug (never expected) exit 70 with a pointer to the stack
 * (KALLSYMS_LAB_DEBUG=1 prints it). A failing verdict is the command's
 * output, exit 1.
 */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h') {
    io.stdout(USAGE + '\n');
    return EXIT.ok;
  }
  const command = name === undefined ? undefined : COMMANDS[name];
  if (!command || !Object.hasOwn(COMMANDS, name)) {
    const what = name === undefined ? 'give a command' : `unknown command "${oneLine(name)}"`;
    io.stderr(
      `kallsyms-lab: ${what}: use one of ${Object.keys(COMMANDS).join(', ')} (kallsyms-lab --help).\n`,
    );
    return EXIT.badInput;
  }
  try {
    return await command(args, io);
  } catch (error) {
    return report(name, error, io);
  }
}

/** One line for an error out of a command, and its exit status. */
function report(name: string, error: unknown, io: CliIO): number {
  const known =
    error instanceof UsageError ||
    error instanceof CorpusError ||
    error instanceof NativeToolMissingError ||
    error instanceof RunCeilingError ||
    (error as { code?: string } | null)?.code?.startsWith('ERR_PARSE_ARGS');
  if (error instanceof ScenarioError) {
    io.stderr(
      `kallsyms-lab ${name}: invalid ${oneLine(error.source)}: ${oneLine(error.problems.join('; '))}\n`,
    );
    return EXIT.badInput;
  }
  if (known) {
    io.stderr(`kallsyms-lab ${name}: ${oneLine((error as Error).message)}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr(
    `kallsyms-lab ${name}: internal error: ${oneLine(message)} (a bug in kallsyms-lab; ` +
      'KALLSYMS_LAB_DEBUG=1 prints where)\n',
  );
  if (process.env.KALLSYMS_LAB_DEBUG && error instanceof Error && error.stack)
    io.stderr(`${error.stack}\n`);
  return EXIT.internalError;
}
