import type { Target } from '../arch/targets.ts';
import { sha256Hex } from '../corpus/corpus-source.ts';
import type { CorpusObject } from '../corpus/load-corpus.ts';
import {
  ElfFormatError,
  nmListing,
  nmSymbols,
  readElf,
  writeRelocatableObject,
  type ElfFile,
} from '../elf/index.ts';
import {
  byteStringToBytes,
  generateKallsyms,
  KallsymsError,
  keepsTextSymbol,
  layoutKallsyms,
  mksysmap,
  mksysmapV59,
  type Generation,
} from '../kallsyms/index.ts';
import { ToolError } from '../llvm/tool-error.ts';
import { quoteInput } from '../text/quote.ts';
import type { Toolchain } from '../llvm/toolchain.ts';
import { findInitCallSites } from '../reach/call-sites.ts';
import { measureReach } from '../reach/measure-reach.ts';
import { explainStep } from './explain.ts';
import { measureGrowth } from './growth.ts';
import { imageOverCeiling } from './image-ceiling.ts';
import { imageFactReader, type ListingFacts } from './image-listing.ts';
import { FINAL_LINK, trialLinks } from './link-words.ts';
import type {
  CommandLine,
  LayoutFacts,
  PassRecord,
  RunRecord,
  StubFacts,
  TableObjectFacts,
  Verdict,
} from './records.ts';
import { runStrategy, type StrategyId, type TrialReason } from './strategy.ts';
import { compareSystemMaps, type SystemMapCheck } from './system-map-check.ts';

/**
 * What lists each linked image as `nm -n` would: the project's ELF reader
 * (`nmListing`, byte-identical to LLVM 22's `llvm-nm -n`, in milliseconds), or
 * the toolchain's own `llvm-nm -n`, a tool run per pass, kept as the cross-check.
 */
export type ListingSource = 'elf' | 'llvm-nm';

export interface LoopConfig {
  target: Target;
  /** Corpus objects in link order. */
  objects: CorpusObject[];
  corpusCompiler: string;
  linkerScript: string;
  extraLinkerFlags: string[];
  strategy: StrategyId;
  generation: Generation;
  baseRelative: boolean;
  allSymbols: boolean;
  filterLldStubs: boolean;
  extraPass: boolean;
  /** fixpoint's cap on trial links. */
  maxPasses: number;
  /** Who lists each image (default `'elf'`). */
  listing?: ListingSource;
  /** Stop the run when an image is larger than this, in bytes (the page's or the CLI's ceiling; default none). */
  maxImageBytes?: number;
  /** What the message says after "more than the 256 MiB " (default: the page's words). */
  ceilingAdvice?: string;
}

export interface LoopHooks {
  /**
   * Called as soon as each pass (trial or final) has been measured. The loop
   * waits for a returned promise before the next link: that is how the
   * page steps through a run one pass at a time.
   */
  onPass?: (pass: PassRecord) => void | Promise<void>;
  signal?: AbortSignal;
  /**
   * Receives every file the loop makes (images, link maps, listings, table
   * sources and objects, the linker script), for `--keep-files` and tests.
   */
  onArtifact?: (name: string, bytes: Uint8Array | string) => void;
}

/** Labels of the tables kallsyms emits (kernel/kallsyms.c has functions named kallsyms_* too). */
const TABLE_LABELS = new Set([
  'kallsyms_addresses',
  'kallsyms_offsets',
  'kallsyms_relative_base',
  'kallsyms_num_syms',
  'kallsyms_names',
  'kallsyms_markers',
  'kallsyms_token_table',
  'kallsyms_token_index',
  'kallsyms_seqs_of_names',
]);

/** The boundaries of core and init text, which every pass reports. */
const TEXT_BOUNDARIES = ['_stext', '_etext', '_sinittext', '_einittext'];

const LINKER_SCRIPT = 'vmlinux.lds';
const hex = (value: bigint) => `0x${value.toString(16)}`;

/** A table object in hand: its facts for the record and its bytes for the next link. */
interface TableObject extends TableObjectFacts {
  size: number;
  digest: string;
  data: Uint8Array;
  /** latest: the `.syms` file it was built from (the final check compares with it). */
  syms: string | null;
  /** Bytes of `.rodata` it contributes: where the table ends. */
  rodataBytes: number;
}

interface Trial {
  object: TableObject;
  listing: string;
  record: PassRecord;
}

/**
 * Runs one scenario's link loop with real tools: links trial images, lists
 * them, builds and writes each table object, measures stubs and reach, links
 * vmlinux and checks System.map, and returns the whole run record.
 */
export async function runLinkLoop(
  toolchain: Toolchain,
  config: LoopConfig,
  hooks: LoopHooks = {},
): Promise<RunRecord> {
  const started = performance.now();
  const { target } = config;
  const latestShape =
    config.strategy === 'latest' ||
    (config.strategy === 'fixpoint' && config.generation === 'latest');
  const names = (n: number) =>
    latestShape
      ? {
          image: `.tmp_vmlinux${n}`,
          object: `.tmp_vmlinux${n}.kallsyms.o`,
          source: `.tmp_vmlinux${n}.kallsyms.S`,
          syms: `.tmp_vmlinux${n}.syms`,
        }
      : {
          image: `.tmp_vmlinux.kallsyms${n}`,
          object: `.tmp_vmlinux.kallsyms${n}.o`,
          source: `.tmp_vmlinux.kallsyms${n}.S`,
          syms: `.tmp_vmlinux.kallsyms${n}.nm`,
        };
  const listingSource: ListingSource = config.listing ?? 'elf';
  // The kernel pipes `$(NM) -n image`; the record says which of the two listed it.
  const listingCommand = (image: string) =>
    listingSource === 'llvm-nm'
      ? `llvm-nm -n ${image}`
      : `llvm-nm -n ${image} (listed by the ELF reader)`;
  const sites = findInitCallSites(config.objects);
  // The only names whose addresses a pass looks up.
  const factNames = new Set<string>([...TABLE_LABELS, ...TEXT_BOUNDARIES]);
  for (const site of sites) factNames.add(site.caller).add(site.target);
  const readFacts = imageFactReader(factNames);
  const objectNames = config.objects.map((o) => o.name);
  const inputFiles: Record<string, Uint8Array | string> = { [LINKER_SCRIPT]: config.linkerScript };
  for (const o of config.objects) inputFiles[o.name] = o.bytes;

  hooks.onArtifact?.(LINKER_SCRIPT, config.linkerScript);
  const checkAbort = () => {
    if (hooks.signal?.aborted)
      throw hooks.signal.reason ?? new DOMException('Run cancelled', 'AbortError');
  };

  const passes: PassRecord[] = [];
  let previousStubs = new Map<string, string>();
  let emptyTableObject: TableObject | null = null;
  /** The last trial's table and stubs, for the growth ratio. */
  let previousTrial: { tableBytes: number; stubs: number; bytesPerStub: number | null } | null =
    null;

  async function buildTable(
    listing: string,
    n: number,
  ): Promise<{ object: TableObject; ms: { kallsyms: number; object: number } }> {
    const file = n === 0 ? names(0) : names(n);
    const t0 = performance.now();
    const result = generateKallsyms(listing, {
      generation: config.generation,
      allSymbols: config.allSymbols,
      baseRelative: config.baseRelative,
      ignoreLldStubs: config.filterLldStubs,
      wordSize: target.wordSize,
    });
    const t1 = performance.now();
    const data = writeRelocatableObject(layoutKallsyms(result, target));
    const digest = await sha256Hex(data);
    const t2 = performance.now();
    if (hooks.onArtifact) {
      if (result.syms !== null) hooks.onArtifact(file.syms, result.syms);
      else hooks.onArtifact(file.syms, listing);
      hooks.onArtifact(file.source, byteStringToBytes(result.text));
      hooks.onArtifact(file.object, data);
    }
    const flags = [
      ...(config.allSymbols ? ['--all-symbols'] : []),
      ...(config.generation !== 'latest' && config.baseRelative ? ['--base-relative'] : []),
    ];
    const commands: CommandLine[] =
      config.generation === 'latest'
        ? [
            {
              tool: 'sed',
              args: ['-f', 'scripts/mksysmap'],
              stdin: listingCommand(file.image),
              stdout: file.syms,
            },
            { tool: 'scripts/kallsyms', args: [...flags, file.syms], stdout: file.source },
          ]
        : [
            {
              tool: 'scripts/kallsyms',
              args: flags,
              stdin: listingCommand(file.image),
              stdout: file.source,
            },
          ];
    commands.push({
      tool: 'clang',
      args: [
        `--target=${target.clangTriple}`,
        '-c',
        '-x',
        'assembler-with-cpp',
        '-o',
        file.object,
        file.source,
      ],
    });
    return {
      object: {
        name: file.object,
        bytes: data.length,
        size: data.length,
        sha256: digest,
        digest,
        data,
        sizes: result.sizes,
        counts: result.counts,
        warnings: result.warnings.map((w) => w.message),
        commands,
        syms: result.syms,
        rodataBytes: result.sizes.total,
      },
      ms: { kallsyms: t1 - t0, object: t2 - t1 },
    };
  }

  async function linkAndList(image: string, table: TableObject | null) {
    checkAbort();
    const inputs = [...objectNames, ...(table ? [table.name] : [])];
    const options = ['-m', target.lldEmulation, '--strip-debug', ...config.extraLinkerFlags];
    // The record keeps the kernel's own command, `-o IMAGE`: it re-runs as is
    // in a --keep-files directory and makes the very file kept there. The
    // link itself writes to stdout (`-o -`), which gives the same bytes (a
    // test in llvm/ pins that, for both toolchains) without the WebAssembly
    // runtime's in-memory file, which regrows and copies the whole image on
    // every write: 6-7 s for a 14 MB image against 0.3 s through stdout.
    const args = [...options, '-T', LINKER_SCRIPT, '-o', image, ...inputs];
    const runArgs = [...options, '-T', LINKER_SCRIPT, '-o', '-', ...inputs];
    const files = { ...inputFiles };
    if (table) files[table.name] = table.data;
    let linked;
    try {
      linked = await toolchain.run('ld.lld', runArgs, files);
    } catch (error) {
      if (error instanceof ToolError)
        throw new StepFailure(image, error.tool, error.stderr || error.message);
      throw error;
    }
    const bytes = linked.stdout;
    checkAbort();
    if (config.maxImageBytes !== undefined && bytes.length > config.maxImageBytes)
      throw imageOverCeiling(image, bytes.length, config.maxImageBytes, config.ceilingAdvice);
    let elf: ElfFile;
    try {
      elf = readElf(bytes);
    } catch (error) {
      if (!(error instanceof ElfFormatError)) throw error;
      throw new StepFailure(image, 'ld.lld', notAnImage(bytes, error, linked.stderr));
    }
    let listing: string;
    let listingMs: number;
    // The symbols the listing is printed from: each pass's facts are read
    // from these, whoever lists the image (the two agree: nm-listing tests).
    let symbols;
    if (listingSource === 'llvm-nm') {
      const nm = await toolchain.run('llvm-nm', ['-n', image], { [image]: bytes });
      listing = new TextDecoder().decode(nm.stdout);
      listingMs = nm.ms;
      symbols = nmSymbols(elf);
    } else {
      const t0 = performance.now();
      symbols = nmSymbols(elf);
      listing = nmListing(elf, symbols);
      listingMs = performance.now() - t0;
    }
    hooks.onArtifact?.(image, bytes);
    return {
      elf,
      listing,
      facts: readFacts(symbols),
      link: {
        image,
        command: { tool: 'ld.lld', args },
        inputs,
        outputBytes: bytes.length,
        ms: linked.ms,
        diagnostics: linked.stderr,
      },
      listingMs,
    };
  }

  function describeImage(
    elf: ElfFile,
    facts: ListingFacts,
    table: TableObject | null,
  ): LayoutFacts {
    const at = (name: string) => facts.addresses.get(name);
    const sections = elf.sections
      .filter((s) => (s.flags & 2n) !== 0n && s.size > 0n)
      .map((s) => ({ name: s.name, address: hex(s.addr), size: Number(s.size) }));
    const tableStart = [...facts.addresses.entries()]
      .filter(([name]) => TABLE_LABELS.has(name))
      .map(([, address]) => address)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))[0];
    const symbol = (name: string) => {
      const a = at(name);
      return a === undefined ? null : hex(a);
    };
    return {
      sections,
      symbols: {
        _stext: symbol('_stext'),
        _etext: symbol('_etext'),
        _sinittext: symbol('_sinittext'),
        _einittext: symbol('_einittext'),
      },
      table:
        table && tableStart !== undefined
          ? {
              start: hex(tableStart),
              end: hex(tableStart + BigInt(table.rodataBytes)),
              section: elf.sectionContaining(tableStart)?.name ?? '?',
            }
          : null,
    };
  }

  function stubFacts(facts: ListingFacts): StubFacts {
    const now = new Map(facts.stubs.map((s) => [s.name, s.kind] as const));
    const byKind: StubFacts['byKind'] = {};
    for (const kind of now.values()) byKind[kind] = (byKind[kind] ?? 0) + 1;
    const added = [...now]
      .filter(([name]) => !previousStubs.has(name))
      .map(([name, kind]) => ({ name, kind }));
    const removed = [...previousStubs]
      .filter(([name]) => !now.has(name))
      .map(([name, kind]) => ({ name, kind: kind as StubFacts['added'][number]['kind'] }));
    previousStubs = now as Map<string, string>;
    return { total: now.size, byKind, added, removed };
  }

  function reachOf(facts: ListingFacts) {
    return measureReach(
      sites,
      facts.addresses,
      { start: facts.addresses.get('_stext') ?? 0n, end: facts.addresses.get('_etext') ?? 0n },
      facts.ambiguous,
    );
  }

  async function trial(n: number, table: TableObject | null, why: TrialReason): Promise<Trial> {
    const { image } = names(n);
    const linked = await linkAndList(image, table);
    const { facts } = linked;
    let built;
    try {
      built = await buildTable(linked.listing, n);
    } catch (error) {
      if (error instanceof KallsymsError)
        throw new StepFailure(names(n).source, 'kallsyms', error.message);
      throw error;
    }
    const stubs = stubFacts(facts);
    const growth = measureGrowth({
      sites,
      addresses: facts.addresses,
      ambiguous: facts.ambiguous,
      coreText: {
        start: facts.addresses.get('_stext') ?? 0n,
        end: facts.addresses.get('_etext') ?? 0n,
      },
      initEnd: facts.addresses.get('_einittext') ?? 0n,
      tableBytes: built.object.rodataBytes,
      linkedTableBytes: table?.rodataBytes ?? 0,
      previous: previousTrial,
      stubs: stubs.total,
      sizes: built.object.sizes,
      tableSymbols: built.object.counts.tableSymbols,
      // One of this image's stubs, or a name of the kind ld.lld gives this target's.
      stubsInTable: keepsTextSymbol(
        facts.stubs[0]?.name ?? (target.elfClass === 64 ? '__long_branch_f' : '__LongThunk_f'),
        { generation: config.generation, ignoreLldStubs: config.filterLldStubs },
      ),
    });
    previousTrial = {
      tableBytes: built.object.rodataBytes,
      stubs: stubs.total,
      bytesPerStub: growth.bytesPerStubFrom === 'table-average' ? null : growth.bytesPerStub,
    };
    const record: PassRecord = {
      pass: n,
      step: 'trial',
      reason: why,
      explanation: explainStep(why, image, latestShape),
      linkedWith: table?.name ?? null,
      link: linked.link,
      layout: describeImage(linked.elf, facts, table),
      listingLines: facts.lines,
      stubs,
      reach: reachOf(facts),
      tableObject: stripData(built.object),
      growth,
      timings: { link: linked.link.ms, listing: linked.listingMs, ...built.ms },
    };
    passes.push(record);
    await hooks.onPass?.(record);
    return { object: built.object, listing: linked.listing, record };
  }

  const systemMapOf = (listing: string) =>
    config.generation === 'latest'
      ? mksysmap(listing, { ignoreLldStubs: config.filterLldStubs }).text
      : mksysmapV59(listing).text;

  async function final(table: TableObject, lastTrial: Trial): Promise<SystemMapCheck> {
    const linked = await linkAndList('vmlinux', table);
    const { facts } = linked;
    const t0 = performance.now();
    const check = compareSystemMaps(
      lastTrial.object.syms ?? systemMapOf(lastTrial.listing),
      systemMapOf(linked.listing),
    );
    const record: PassRecord = {
      pass: passes.length + 1,
      step: 'vmlinux',
      reason: 'final',
      explanation: explainStep('final', 'vmlinux', latestShape),
      linkedWith: table.name,
      link: linked.link,
      layout: describeImage(linked.elf, facts, table),
      listingLines: facts.lines,
      stubs: stubFacts(facts),
      reach: reachOf(facts),
      tableObject: null,
      growth: null,
      timings: {
        link: linked.link.ms,
        listing: linked.listingMs,
        kallsyms: performance.now() - t0,
        object: 0,
      },
    };
    passes.push(record);
    await hooks.onPass?.(record);
    return check;
  }

  let verdict: Verdict;
  let check: SystemMapCheck | null = null;
  try {
    const outcome = await runStrategy(
      config.strategy,
      {
        extraPass: config.extraPass,
        maxPasses: config.maxPasses,
        startWithEmptyTable: latestShape,
      },
      {
        async emptyTable() {
          // v5.8/v5.9's tool refuses a table of no symbols ("No valid symbol"): a
          // latest-shaped loop with an old generation fails here, as that tool would.
          let built;
          try {
            built = await buildTable('', 0);
          } catch (error) {
            if (error instanceof KallsymsError)
              throw new StepFailure(names(0).source, 'kallsyms', error.message);
            throw error;
          }
          emptyTableObject = built.object;
          return built.object;
        },
        trial,
        final,
      },
    );
    check = outcome.check ?? null;
    verdict = describeVerdict(outcome.verdict, passes, check);
  } catch (error) {
    if (!(error instanceof StepFailure)) throw error;
    const trials = passes.filter((p) => p.step === 'trial').length;
    // ld.lld's first line may echo a script line of any length: the summary keeps a bounded prefix.
    const whole = error.detail.trim().split('\n')[0] ?? '';
    const firstLine = whole.length > 300 ? `${whole.slice(0, 300)}…` : whole;
    verdict = {
      kind: 'link-failed',
      passes: trials,
      step: error.step,
      tool: error.tool,
      message: error.detail,
      // Where, in the words the pass table uses: trial links by number, the final one by name.
      summary: `Link failed at ${error.step === FINAL_LINK ? FINAL_LINK : `trial link ${trials + 1} (${error.step})`}: ${firstLine}`,
    };
  }

  return {
    format: 1,
    toolchain: toolchain.kind,
    arch: target.id,
    strategy: config.strategy,
    generation: config.generation,
    options: {
      baseRelative: config.baseRelative,
      allSymbols: config.allSymbols,
      filterLldStubs: config.filterLldStubs,
      extraPass: config.extraPass,
      maxPasses: config.maxPasses,
      extraLinkerFlags: config.extraLinkerFlags,
    },
    corpus: {
      compiler: config.corpusCompiler,
      objects: await Promise.all(
        config.objects.map(async (o) => ({
          name: o.name,
          sha256: o.sha256 ?? (await sha256Hex(o.bytes)),
        })),
      ),
    },
    linkerScript: config.linkerScript,
    emptyTableObject: emptyTableObject ? stripData(emptyTableObject) : null,
    passes,
    check,
    verdict,
    callSites: sites.map((s) => ({ ...s })),
    totalMs: performance.now() - started,
  };
}

/**
 * Why ld.lld's output is no image: the reader's words, and the first bytes
 * (escaped, bounded), which show text a flag made ld.lld print instead.
 */
function notAnImage(bytes: Uint8Array, error: ElfFormatError, stderr: string): string {
  const head = Array.from(bytes.subarray(0, 60), (b) =>
    b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c
      ? String.fromCharCode(b)
      : `\\x${b.toString(16).padStart(2, '0')}`,
  ).join('');
  const start = bytes.length ? `, starting "${head}${bytes.length > 60 ? '…' : ''}"` : '';
  return (
    `ld.lld wrote ${bytes.length} bytes that are not an ELF image (${error.message})${start}: ` +
    'a linker flag may have made it print text instead of linking; remove that flag' +
    (stderr.trim() ? `\n${stderr.trim()}` : '')
  );
}

/** A tool refused at some step: becomes the `link failed` verdict. */
class StepFailure extends Error {
  constructor(
    readonly step: string,
    readonly tool: string,
    readonly detail: string,
  ) {
    super(`${tool} failed at ${step}`);
  }
}

function stripData(object: TableObject): TableObjectFacts {
  return {
    name: object.name,
    bytes: object.bytes,
    sha256: object.sha256,
    sizes: object.sizes,
    counts: object.counts,
    warnings: object.warnings,
    commands: object.commands,
  };
}

function describeVerdict(
  verdict: Awaited<ReturnType<typeof runStrategy>>['verdict'],
  passes: PassRecord[],
  check: SystemMapCheck | null,
): Verdict {
  const sizes = passes.filter((p) => p.tableObject).map((p) => p.tableObject!.bytes);
  switch (verdict.kind) {
    case 'converged':
      return {
        ...verdict,
        summary: `Converged after ${trialLinks(verdict.passes)} (table object ${sizes.at(-1)} bytes)`,
      };
    case 'inconsistent': {
      const first = check?.differences[0];
      return {
        ...verdict,
        check: check!,
        summary:
          `Inconsistent kallsyms data after ${trialLinks(verdict.passes)}` +
          (first
            ? `: System.map line ${first.line} was ${quoteInput(first.trial ?? '', 160)} in the last trial, ${quoteInput(first.final ?? '', 160)} in vmlinux`
            : ''),
      };
    }
    case 'not-converged':
      return {
        ...verdict,
        summary: `Not converged after ${trialLinks(verdict.passes)}: table object sizes ${sizes.slice(-3).join(' → ')} bytes still changing`,
      };
    case 'oscillating':
      return {
        ...verdict,
        summary: `Oscillating with period ${verdict.period} after ${trialLinks(verdict.passes)}`,
      };
  }
}
