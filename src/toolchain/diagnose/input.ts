/**
 * One input, whatever it is: told apart by content (an ELF image starts with
 * \x7fELF; anything else must be a listing), read within the limits, and
 * turned into the `nm -n` listing every later step works on.
 */
import type { ArchId } from '../arch/targets.ts';
import { bytesToByteString } from '../kallsyms/index.ts';
import { isElf, readElfListing, type ElfFacts } from './elf-input.ts';
import { DiagnoseError } from './errors.ts';
import { DIAGNOSE_LIMITS, describeBytes } from './limits.ts';
import { INPUT_SHARES, throwIfAborted, type ProgressReporter } from './progress.ts';
import { readRange, type DiagnoseSource } from './source.ts';
import { checkTextListing, type SystemMapFilter } from './text-input.ts';

export type InputKind = 'elf' | 'nm-listing' | 'system-map';

export interface InputFacts {
  name: string;
  kind: InputKind;
  /** Size of the input. */
  bytes: number;
  /** Bytes actually read (an ELF image: its headers and symbol tables only). */
  bytesRead: number;
  elf: ElfFacts | null;
  /** For a System.map: the filter that leaves it unchanged (latest's drops more). */
  systemMapFilter: SystemMapFilter | null;
  /** Lines of the `nm -n` listing (of the image, or as given). */
  listingLines: number;
  /** Of those, symbols with an address. */
  definedSymbols: number;
  /** Pointer size the table's sizes are given for. */
  wordSize: 4 | 8;
  /** Where the word size came from. */
  wordSizeFrom: 'ELF class' | 'address width' | 'option' | 'default';
  /** The project's target for the table object's size, if known. */
  arch: ArchId | null;
  /** What the reader should keep in mind (e.g. what a System.map no longer shows). */
  notes: string[];
}

export interface DiagnoseInput {
  facts: InputFacts;
  /** The `nm -n` listing, a byte string (one char per byte). */
  listing: string;
}

export interface InputOptions {
  wordSize?: 4 | 8;
  arch?: ArchId;
}

const countLines = (text: string) => {
  let lines = 0;
  for (let at = 0; at < text.length; lines++) {
    const nl = text.indexOf('\n', at);
    at = nl < 0 ? text.length : nl + 1;
  }
  return lines;
};

const countDefined = (text: string) => {
  let defined = 0;
  for (let at = 0; at < text.length;) {
    if (text.charCodeAt(at) !== 0x20) defined++;
    const nl = text.indexOf('\n', at);
    at = nl < 0 ? text.length : nl + 1;
  }
  return defined;
};

export async function readInput(
  source: DiagnoseSource,
  index: number,
  options: InputOptions,
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<DiagnoseInput> {
  throwIfAborted(signal);
  if (source.size === 0) {
    throw new DiagnoseError(
      'empty',
      source.name,
      'the input is empty. Give a System.map, an "nm -n" listing or an ELF image.',
    );
  }
  const head = await source.read(0, 4);
  const step = `reading ${source.name.length > 60 ? '…' + source.name.slice(-60) : source.name}`;
  const notes: string[] = [];

  if (isElf(head)) {
    let read = 0;
    const elf = await readElfListing(
      source,
      (n, expected) => {
        read += n;
        const share = expected > 0 ? Math.min(1, read / expected) : 0;
        progress.at(index, 'read', step, 0, INPUT_SHARES.read * share);
      },
      signal,
    );
    progress.at(index, 'list', `listing the symbols of ${source.name}`, INPUT_SHARES.read, 0);
    const listing = bytesToByteString(elf.listing);
    const wordSize = options.wordSize ?? (elf.facts.elfClass === 64 ? 8 : 4);
    return {
      listing,
      facts: {
        name: source.name,
        kind: 'elf',
        bytes: source.size,
        bytesRead: elf.bytesRead,
        elf: elf.facts,
        systemMapFilter: null,
        listingLines: countLines(listing),
        definedSymbols: countDefined(listing),
        wordSize,
        wordSizeFrom: options.wordSize ? 'option' : 'ELF class',
        arch: options.arch ?? elf.facts.arch,
        notes,
      },
    };
  }

  // Text: read whole, so refuse what is too big before reading it.
  if (source.size > DIAGNOSE_LIMITS.textBytes) {
    throw new DiagnoseError(
      'too-large',
      source.name,
      `${describeBytes(source.size)} is more than the ${describeBytes(DIAGNOSE_LIMITS.textBytes)} ` +
        'a System.map or "nm -n" listing may have here (a large kernel lists about 40 MB); ' +
        'if it is an ELF image, it lacks the \\x7fELF magic',
    );
  }
  const bytes = await readRange(
    source,
    0,
    source.size,
    (n) => progress.at(index, 'read', step, 0, (INPUT_SHARES.read * n) / source.size),
    signal,
  );
  progress.at(index, 'list', `checking the lines of ${source.name}`, INPUT_SHARES.read, 0);
  const text = checkTextListing(source.name, bytes);
  if (text.kind === 'system-map') {
    notes.push(
      text.systemMapFilter === 'latest'
        ? 'A System.map (or .syms file): the lines mksysmap drops (linker stubs it hides, ' +
            'undefined and weak symbols) are not in it, so they are not counted here; ' +
            'v5.x, which read the raw listing, are shown on what is left.'
        : 'A System.map made by v5.8–v5.10 link-vmlinux.sh: lines it dropped (undefined, ' +
            'weak, __crc_, $a/$d/$t, .L) are not in it; the generations are shown on what is left.',
    );
  }
  let wordSize: 4 | 8 = 8;
  let wordSizeFrom: InputFacts['wordSizeFrom'] = 'default';
  if (options.wordSize) {
    wordSize = options.wordSize;
    wordSizeFrom = 'option';
  } else if (text.addressDigits !== null) {
    wordSize = text.addressDigits > 8 ? 8 : 4;
    wordSizeFrom = 'address width';
  }
  return {
    listing: text.text,
    facts: {
      name: source.name,
      kind: text.kind,
      bytes: source.size,
      bytesRead: bytes.length,
      elf: null,
      systemMapFilter: text.systemMapFilter,
      listingLines: text.lines,
      definedSymbols: text.definedSymbols,
      wordSize,
      wordSizeFrom,
      arch: options.arch ?? null,
      notes,
    },
  };
}
