import { CorpusError } from '../toolchain/corpus/corpus-source.ts';
import { NativeToolMissingError } from '../toolchain/llvm/native-toolchain.ts';
import { ScenarioError } from '../toolchain/scenario/schema.ts';
import { diagnoseCommand } from './command-diagnose.ts';
import { kallsymsCommand } from './command-kallsyms.ts';
import { presetsCommand } from './command-presets.ts';
import { runCommand } from './command-run.ts';
import { sweepCommand } from './command-sweep.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { processIO, type CliIO } from './io.ts';

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

/** Runs one command; returns the exit status instead of exiting, so tests can call it. */
export async function main(argv: string[], io: CliIO = processIO): Promise<number> {
  const [name, ...args] = argv;
  if (name === undefined || name === '--help' || name === '-h') {
    io.stdout(USAGE + '\n');
    return name === undefined ? EXIT.badInput : EXIT.ok;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.stderr(`kallsyms-lab: unknown command "${name}".\n\n${USAGE}\n`);
    return EXIT.badInput;
  }
  try {
    return await command(args, io);
  } catch (error) {
    const known =
      error instanceof UsageError ||
      error instanceof ScenarioError ||
      error instanceof CorpusError ||
      error instanceof NativeToolMissingError ||
      (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS');
    if (known) {
      io.stderr(`kallsyms-lab ${name}: ${(error as Error).message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
