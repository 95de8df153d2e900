import { open, type FileHandle } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ARCH_IDS, type ArchId } from '../toolchain/arch/targets.ts';
import {
  DIAGNOSE_LIMITS,
  DiagnoseError,
  bytesSource,
  describeBytes,
  diagnose,
  printable,
  type DiagnoseProgress,
  type DiagnoseSource,
} from '../toolchain/diagnose/index.ts';
import { formatDiagnosis } from './diagnose-text.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import type { CliIO } from './io.ts';

export const DIAGNOSE_USAGE = `Usage: kallsyms-lab diagnose FILE [FILE] [--json] [options]

Diagnoses your own kernel build, on this machine (nothing is uploaded). A FILE
is a System.map, an "nm -n" listing, or an ELF image (vmlinux, .tmp_vmlinux*;
any architecture, either byte order), told apart by content; "-" reads
standard input.

One FILE: the symbol table each kallsyms generation (v5.8, v5.9, latest)
builds from it, part by part, every symbol counted under the rule that kept
or dropped it, and the linker-made stubs and thunks in it (ld.lld's and GNU
ld's names) with which of them today's mksysmap hides.
Two FILEs, the earlier first (the last trial image, then vmlinux): also the
System.map lines the kernel's check compares, the symbols added, removed and
moved, the sections that changed, and the likely cause.

Options:
  --json                   print the whole diagnosis as JSON
  --filter-lld-stubs       also drop ld.lld's PPC64 stub names (as run --filter-lld-stubs)
  --all-symbols            kallsyms --all-symbols
  --absolute               v5.8/v5.9 tables with kallsyms_addresses (no --base-relative)
  --word-size 4|8          pointer size for a listing (default: from its address width)
  --arch ppc64le|ppc64|ppc32   target whose table object size to give, for a listing
  --names N                names listed per group (default ${DIAGNOSE_LIMITS.listedNames}, at most 1000)
  --progress               progress lines on stderr (shown anyway when stderr is a terminal)

Limits: a listing up to ${describeBytes(DIAGNOSE_LIMITS.textBytes)}; an ELF image of any size up to ${describeBytes(DIAGNOSE_LIMITS.elfFileBytes)}, of which
only the headers and symbol tables are read (at most ${describeBytes(DIAGNOSE_LIMITS.elfTableBytes)}); ${DIAGNOSE_LIMITS.symbols.toLocaleString('en-US')} symbols per
input; standard input up to ${describeBytes(DIAGNOSE_LIMITS.textBytes)}.

Exit status: 0 diagnosed (two FILEs: their System.maps agree), 1 two FILEs whose
System.maps differ ("Inconsistent kallsyms data"), 2 bad input.`;

/** A regular file, read in pieces through its handle. */
async function fileSource(
  path: string,
): Promise<{ source: DiagnoseSource; close: () => Promise<void> }> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new UsageError(
        `${printable(path)}: no such file. Check the path, or give "-" to read standard input.`,
      );
    }
    if (code === 'EISDIR') throw new UsageError(`${printable(path)}: is a directory, not a file.`);
    throw new UsageError(`${printable(path)}: cannot be read (${code ?? String(error)}).`);
  }
  const stat = await handle.stat();
  if (stat.isDirectory()) {
    await handle.close();
    throw new UsageError(`${printable(path)}: is a directory, not a file.`);
  }
  if (!stat.isFile()) {
    // A pipe or device has no size and may never end: read it through "-".
    await handle.close();
    throw new UsageError(
      `${printable(path)}: is not a regular file; to read a pipe, give "-" and redirect it to standard input.`,
    );
  }
  return {
    source: {
      name: path,
      size: stat.size,
      async read(offset, length) {
        const buffer = new Uint8Array(length);
        let done = 0;
        while (done < length) {
          const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
          if (bytesRead === 0) break;
          done += bytesRead;
        }
        return buffer.subarray(0, done);
      },
    },
    close: () => handle.close(),
  };
}

/** Standard input, read whole but never past the limit. */
async function stdinSource(stdin: NodeJS.ReadableStream): Promise<DiagnoseSource> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stdin) {
    const bytes =
      typeof chunk === 'string' ? new TextEncoder().encode(chunk) : (chunk as Uint8Array);
    size += bytes.length;
    if (size > DIAGNOSE_LIMITS.textBytes) {
      if ('destroy' in stdin && typeof stdin.destroy === 'function') stdin.destroy();
      throw new UsageError(
        `standard input: more than ${describeBytes(DIAGNOSE_LIMITS.textBytes)}; give a larger file by its path ` +
          '(an ELF image is then read through its headers and symbol tables only).',
      );
    }
    chunks.push(bytes);
  }
  const all = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    all.set(c, at);
    at += c.length;
  }
  return bytesSource('standard input', all);
}

function wholeNumber(flag: string, value: string, min: number, max: number): number {
  if (!/^\d{1,7}$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new UsageError(
      `--${flag} ${printable(value, 20)}: give a whole number from ${min} to ${max}.`,
    );
  }
  return Number(value);
}

export async function diagnoseCommand(
  args: string[],
  io: CliIO,
  stdin: NodeJS.ReadableStream = process.stdin,
  stderrIsTerminal: boolean = process.stderr.isTTY === true,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      'filter-lld-stubs': { type: 'boolean', default: false },
      'all-symbols': { type: 'boolean', default: false },
      absolute: { type: 'boolean', default: false },
      'word-size': { type: 'string' },
      arch: { type: 'string' },
      names: { type: 'string' },
      progress: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(DIAGNOSE_USAGE + '\n');
    return EXIT.ok;
  }
  if (positionals.length < 1 || positionals.length > 2) {
    throw new UsageError(
      `give one FILE or two (or "-" for standard input), not ${positionals.length}; see kallsyms-lab diagnose --help.`,
    );
  }
  if (positionals.filter((p) => p === '-').length > 1) {
    throw new UsageError(
      'Standard input ("-") can be read only once: give the other input as a file.',
    );
  }
  let wordSize: 4 | 8 | undefined;
  if (values['word-size'] !== undefined) {
    if (values['word-size'] !== '4' && values['word-size'] !== '8') {
      throw new UsageError(`--word-size ${printable(values['word-size'], 20)}: give 4 or 8.`);
    }
    wordSize = Number(values['word-size']) as 4 | 8;
  }
  let arch: ArchId | undefined;
  if (values.arch !== undefined) {
    if (!ARCH_IDS.includes(values.arch as ArchId)) {
      throw new UsageError(
        `--arch ${printable(values.arch, 20)}: use one of ${ARCH_IDS.join(', ')}.`,
      );
    }
    arch = values.arch as ArchId;
  }
  const listedNames =
    values.names === undefined ? undefined : wholeNumber('names', values.names, 0, 1000);

  const opened: Array<() => Promise<void>> = [];
  try {
    const sources: DiagnoseSource[] = [];
    for (const path of positionals) {
      if (path === '-') {
        sources.push(await stdinSource(stdin));
      } else {
        const file = await fileSource(path);
        opened.push(file.close);
        sources.push(file.source);
      }
    }
    const showProgress = values.progress || stderrIsTerminal;
    // A line when the step changes, or every tenth of the way within a long one.
    let lastStep = '';
    let lastTenth = -1;
    const onProgress = (p: DiagnoseProgress) => {
      const tenth = Math.floor(p.fraction * 10);
      if (p.step === lastStep && tenth === lastTenth) return;
      lastStep = p.step;
      lastTenth = tenth;
      const percent = `${Math.round(p.fraction * 100)}%`.padStart(4);
      io.stderr(`${percent} ${printable(p.step, 100)}\n`);
    };
    const result = await diagnose(
      sources,
      {
        filterLldStubs: values['filter-lld-stubs'],
        allSymbols: values['all-symbols'],
        baseRelative: !values.absolute,
        wordSize,
        arch,
        listedNames,
      },
      { onProgress: showProgress ? onProgress : undefined },
    );
    if (values.json) {
      // JSON escapes C0 controls; escape DEL and C1 too, so no raw control byte reaches a terminal.
      const json = JSON.stringify(result, null, 2).replace(
        /[\u007f-\u009f]/g,
        (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      );
      io.stdout(json + '\n');
    } else {
      io.stdout(formatDiagnosis(result));
    }
    if (result.inputs === 2 && result.comparison.systemMaps.some((m) => !m.check.ok)) {
      return EXIT.failingVerdict;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof DiagnoseError) throw new UsageError(error.message);
    throw error;
  } finally {
    for (const close of opened) await close();
  }
}
