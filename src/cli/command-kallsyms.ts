import { parseArgs } from 'node:util';
import {
  GENERATIONS,
  KallsymsError,
  byteStringToBytes,
  generateKallsyms,
  type Generation,
} from '../toolchain/kallsyms/index.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { terminalSafe } from '../toolchain/text/quote.ts';
import { describeBytes, MAX_LISTING_BYTES, type CliIO } from './io.ts';

export const KALLSYMS_USAGE = `Usage: kallsyms-lab kallsyms --generation v5.8|v5.9|latest [--all-symbols] [--base-relative] FILE|-

Prints the assembler source the kernel's scripts/kallsyms of that generation
makes from an "nm -n" listing (latest: raw nm output or the mksysmap-filtered
.syms file), byte for byte. A listing is at most ${describeBytes(MAX_LISTING_BYTES)}: a larger file is
refused before it is read, and standard input as soon as it passes that.`;

export async function kallsymsCommand(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      generation: { type: 'string' },
      'all-symbols': { type: 'boolean', default: false },
      'base-relative': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(KALLSYMS_USAGE + '\n');
    return EXIT.ok;
  }
  const generation = values.generation;
  if (generation === undefined)
    throw new UsageError('--generation is required (see kallsyms-lab kallsyms --help).');
  if (!GENERATIONS.includes(generation as Generation)) {
    throw new UsageError(
      `Unknown generation "${terminalSafe(generation)}": use one of ${GENERATIONS.join(', ')}.`,
    );
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      'Give exactly one listing file, or "-" for standard input (see kallsyms-lab kallsyms --help).',
    );
  }
  const listing = await io.readInput(positionals[0], {
    bytes: MAX_LISTING_BYTES,
    what: 'listing',
  });
  try {
    const result = generateKallsyms(listing, {
      generation: generation as Generation,
      allSymbols: values['all-symbols'],
      baseRelative: values['base-relative'],
    });
    // Warnings quote the listing bounded and escaped already; terminalSafe is the last guard.
    for (const warning of result.warnings) io.stderr(`${terminalSafe(warning.message)}\n`);
    // The text is a byte string: write it back byte for byte.
    io.stdout(byteStringToBytes(result.text));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof KallsymsError) throw new UsageError(`${positionals[0]}: ${error.message}`);
    throw error;
  }
}
