/**
 * Hostile inputs for the fuzz runner, drawn from the project's one seeded
 * PRNG (mulberry32), so that a seed and an index name an input exactly:
 * scenario files (as JSON text, sometimes not JSON at all), `nm` listings,
 * permalinks, and command lines. Paths are written with placeholders the
 * runner fills in: $IN (this input's own directory), $S (a secret canary
 * file that must never be read), $O (a place that must never be written),
 * $K (a directory --keep-files may write).
 */
import lz from 'lz-string';
import { MAX_LISTING_BYTES } from '../src/cli/io.ts';
import { scenarioLinkerScript } from '../src/toolchain/scenario/loop-config.ts';
import { encodeScenarioHash } from '../src/toolchain/scenario/permalink.ts';
import { PRESETS } from '../src/toolchain/scenario/presets.ts';
import type { Scenario } from '../src/toolchain/scenario/schema.ts';
import { mulberry32 } from '../src/toolchain/random/mulberry32.ts';

export type InputKind = 'scenario' | 'listing' | 'link' | 'argv';

/**
 * A file's content: text (placeholders filled), bytes, a sparse file of a
 * size (made in no time, read as zeros), or a well-formed kernel-like `nm`
 * listing of about a size (for the memory measurement).
 */
export type FileContent = string | Uint8Array | { sparse: number } | { listing: number };

export interface FuzzInput {
  id: number;
  kind: InputKind;
  /** What was done to make it, for the report and for replaying. */
  label: string;
  /** A command line (placeholders filled by the runner). */
  argv?: string[];
  /** Standard input for "-". */
  stdin?: Uint8Array;
  /** Files made in $IN before the run (text gets placeholders filled). */
  files?: Record<string, FileContent>;
  /** A permalink to decode. */
  hash?: string;
  /** Run as a real process (the launcher), and optionally `| head -c N`. */
  process?: boolean;
  pipeHead?: number;
  /** Known to be large (a whole run of a big input): the full fuzz only, measured for memory. */
  heavy?: boolean;
  timeoutMs: number;
}

export interface Draw {
  next: () => number;
  int: (n: number) => number;
  pick: <T>(items: readonly T[]) => T;
  chance: (p: number) => boolean;
}

export function draw(seed: number): Draw {
  const next = mulberry32(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: (items) => items[int(items.length)],
    chance: (p) => next() < p,
  };
}

const SMALL_PRESETS = PRESETS.filter((p) => p.scenario.corpus === 'kernel-like');
const LIGHT = 60_000;
const RUN = 240_000;

/** Extra linker flags: the allowed, the forbidden in every spelling, and junk. */
const FLAG_POOL: readonly (readonly string[])[] = [
  ['--emit-relocs'],
  ['--no-relax'],
  ['--gc-sections'],
  ['-z', 'max-page-size=0x10000'],
  ['-zmax-page-size=4096'],
  ['--defsym=marker=0x10'],
  ['--defsym', 'answer=42'],
  ['--build-id=none'],
  ['-q'],
  ['-x'],
  ['-O2'],
  ['-T$S'],
  ['-T', '$S'],
  ['--script=$S'],
  ['@$S'],
  ['-z', '@$S'],
  ['--defsym', '@$S'],
  ['-o$O/image'],
  ['-o', '$O/image'],
  ['--output=$O/image'],
  ['--reproduce=$O/repro.tar'],
  ['--reproduce', '$O/repro.tar'],
  ['-reproduce=$O/repro.tar'],
  ['--why-extract=$O/why'],
  ['--dependency-file=$O/deps'],
  ['--dependency-file', '$O/deps'],
  ['-Map=$O/map'],
  ['--Map', '$O/map'],
  ['--time-trace=$O/trace'],
  ['-L$O'],
  ['-lc'],
  ['--version-script=$S'],
  ['--dynamic-list', '$S'],
  ['$S'],
  ['../secret/passwd'],
  ['--version'],
  ['--help'],
  ['-v'],
  ['-M'],
  ['--print-map'],
  ['--trace'],
  ['-y', 'start_kernel'],
  ['--oformat=binary'],
  ['-r'],
  ['-shared'],
  ['--defsym=x=INCLUDE'],
  ['-z'],
  ['--defsym'],
  ['--no-relax\u009b'],
  ['--\u202eemit-relocs'],
  ['--frobnicate'],
  ['-'],
  ['--'],
  ['-emit-relocs'],
  ['--icf'],
  ['--icf=all'],
  ['--power10-stubs=maybe'],
];

/** Pieces of linker scripts: what reaches outside, in the lexical corners ld.lld has. */
const SCRIPT_HOSTILE: readonly string[] = [
  'INCLUDE $S',
  'INCLUDE "$S"',
  'include $S',
  'InClUdE $S',
  'INPUT($S)',
  'INPUT(AS_NEEDED($S))',
  'GROUP ( $S )',
  'STARTUP($S)',
  'SEARCH_DIR($O)\nINPUT(-lfoo)',
  'OUTPUT($O/image)',
  'INCLUDE ../secret/passwd',
  'INCLUDE =/secret/passwd',
  '/* "*/ INCLUDE $S /*" */',
  '"/*" INCLUDE $S "*/"',
  '# "\nINCLUDE $S\n# "',
  'x = 1/* INCLUDE $S */;',
  'x/**/INCLUDE $S',
  'SECTIONS { .text : { INCLUDE $S } }',
  'SECTIONS { x = "$S"; }',
  'SECTIONS { .t : { ../../x.o(.text) } }',
  '/* unclosed INCLUDE $S',
  '"unclosed INCLUDE $S',
  'INCLUDE\u0000 $S',
  'INCLUDE\r\n$S',
];

/** Pieces that are harmless to read but odd, or make the link itself fail or grow. */
const SCRIPT_ODD: readonly string[] = [
  '/* INCLUDE $S in a comment */',
  '# INPUT($S) in a # comment',
  'SECTIONS { "INCLUDE" = .; }',
  'OUTPUT_FORMAT("elf64-powerpcle")',
  'ASSERT(0, "refused on purpose")',
  'ASSERT(0, "\u009b[31m\u001b]0;title\u0007")',
  'SECTIONS { .fill : { BYTE(1) . += 0x100000; BYTE(2) } }',
  'SECTIONS { .fill : { BYTE(1) . += 0x1000000; BYTE(2) } }',
  '"\u009b\u001b[2J" = 1;',
  'SECTIONS {',
  '}}}}',
  'ENTRY(',
  '\u0000\u0001\u0002',
  '\uFEFF',
  'x'.repeat(5000),
  'PROVIDE(_text = .);',
];

/** Allowed flags, for scenarios that should run. */
const BENIGN_FLAGS: readonly (readonly string[])[] = FLAG_POOL.slice(0, 11);

/**
 * Changes a scenario file may make and still run: allowed flags, odd but
 * harmless scripts, other strategies, generations, layouts and archs.
 */
function benignScenario(r: Draw, base: Scenario): { value: Scenario; labels: string[] } {
  const s: Scenario = structuredClone(base);
  const labels: string[] = ['benign'];
  const template = scenarioLinkerScript(base);
  for (let m = 0; m < 1 + r.int(3); m++) {
    switch (r.int(6)) {
      case 0:
        s.extraLinkerFlags = Array.from({ length: 1 + r.int(3) }, () =>
          r.pick(BENIGN_FLAGS),
        ).flat();
        labels.push(`flags ${JSON.stringify(s.extraLinkerFlags)}`);
        break;
      case 1: {
        const odd = r.pick(SCRIPT_ODD.slice(0, 8));
        s.linkerScript = `${template}\n${odd}\n`;
        labels.push(`script + ${JSON.stringify(odd.slice(0, 40))}`);
        break;
      }
      case 2:
        s.strategy = r.pick(['v5.9', 'eight-passes', 'latest', 'fixpoint'] as const);
        s.generation = r.pick(['v5.8', 'v5.9', 'latest'] as const);
        s.maxPasses = 2 + r.int(7);
        labels.push(`${s.strategy}/${s.generation}, ${s.maxPasses} passes`);
        break;
      case 3:
        s.layout = { ...s.layout, gap: r.int(1024 * 1024 * 1024), align: 2 ** (2 + r.int(27)) };
        labels.push(`gap ${s.layout.gap}, align ${s.layout.align}`);
        break;
      case 4:
        s.filterLldStubs = r.chance(0.5);
        s.extraPass = r.chance(0.5);
        s.allSymbols = r.chance(0.3);
        labels.push('switches');
        break;
      default:
        labels.push('as is');
    }
  }
  return { value: s, labels };
}

function mutateScenario(r: Draw, base: Scenario): { value: unknown; labels: string[] } {
  const s: Record<string, unknown> = structuredClone(base) as unknown as Record<string, unknown>;
  const labels: string[] = [];
  const template = scenarioLinkerScript(base);
  const mutations = 1 + r.int(3);
  for (let m = 0; m < mutations; m++) {
    switch (r.int(9)) {
      case 0: {
        const flags = Array.from({ length: 1 + r.int(3) }, () => r.pick(FLAG_POOL)).flat();
        s.extraLinkerFlags = flags;
        labels.push(`flags ${JSON.stringify(flags)}`);
        break;
      }
      case 1:
      case 2: {
        const hostile = r.pick(SCRIPT_HOSTILE);
        const where = r.int(3);
        s.linkerScript =
          where === 0
            ? `${hostile}\n${template}`
            : where === 1
              ? template.replace('SECTIONS\n{', `SECTIONS\n{\n${hostile}\n`)
              : `${template}\n${hostile}\n`;
        labels.push(`script + ${JSON.stringify(hostile)}`);
        break;
      }
      case 3: {
        const odd = r.pick(SCRIPT_ODD);
        s.linkerScript = r.chance(0.8) ? `${template}\n${odd}\n` : odd;
        labels.push(`script odd ${JSON.stringify(odd.slice(0, 40))}`);
        break;
      }
      case 4: {
        const layout = { ...(s.layout as Record<string, unknown>) };
        const key = r.pick(['gap', 'align', 'base', 'size', '__proto__', 'constructor']);
        const value = r.pick<unknown>([
          -1,
          1e308,
          0.5,
          '8',
          null,
          [],
          { x: 1 },
          2 ** 53,
          '0x' + 'f'.repeat(17),
          '0xc000000000000000',
          0,
          1073741824,
          1073741825,
        ]);
        if (key === '__proto__') {
          labels.push('layout __proto__');
          // Made through JSON so that it is an own key, as JSON.parse makes it.
          Object.assign(layout, JSON.parse('{"__proto__":{"polluted":1}}'));
        } else {
          layout[key] = value;
          labels.push(`layout.${key} = ${JSON.stringify(value)}`);
        }
        s.layout = layout;
        break;
      }
      case 5: {
        const key = r.pick([
          'arch',
          'strategy',
          'generation',
          'maxPasses',
          'corpus',
          'baseRelative',
          'zz',
        ]);
        const value = r.pick<unknown>([
          'x86',
          'ppc32',
          'fixpoint',
          'v5.8',
          65,
          1,
          2,
          64,
          'generated-v1?symbols=1000&objects=16',
          'generated-v1?symbols=9999999',
          'generated-',
          '../../etc/passwd',
          true,
          null,
          '\u009b',
        ]);
        s[key] = value;
        labels.push(`${key} = ${JSON.stringify(value)}`);
        break;
      }
      case 6:
        delete s[r.pick(Object.keys(s))];
        labels.push('a field missing');
        break;
      case 7:
        s.linkerScript = r.pick(['', ' \n\t', '/* only a comment */', null]);
        labels.push(`script ${JSON.stringify(s.linkerScript)}`);
        break;
      default:
        labels.push('as is');
    }
  }
  return { value: s, labels };
}

/** The JSON text of a scenario, sometimes broken on the way to the file. */
function scenarioText(r: Draw, value: unknown, labels: string[]): FileContent {
  const json = JSON.stringify(value);
  switch (r.int(14)) {
    case 0:
      labels.push('cut short');
      return json.slice(0, r.int(json.length));
    case 1:
      labels.push('binary garbage');
      return Uint8Array.from({ length: 1 + r.int(4096) }, () => r.int(256));
    case 2:
      labels.push('deep nesting');
      return '['.repeat(200_000) + ']'.repeat(200_000);
    case 3:
      labels.push('over the size limit');
      return { sparse: 4 * 1024 * 1024 + 1 };
    case 4:
      labels.push('a BOM and control bytes');
      return `\uFEFF${json.replace(/,/, ',\u009b')}`;
    case 5:
      labels.push('a list');
      return `[${json}]`;
    default:
      return json;
  }
}

function scenarioInput(r: Draw, id: number): FuzzInput {
  const preset = r.pick(SMALL_PRESETS);
  const benign = r.chance(0.25);
  const { value, labels } = benign
    ? benignScenario(r, preset.scenario)
    : mutateScenario(r, preset.scenario);
  const text = benign ? JSON.stringify(value) : scenarioText(r, value, labels);
  const toolchain = r.chance(0.7) ? 'native' : 'wasm';
  const argv = r.chance(0.9)
    ? ['run', '--scenario', '$IN/scenario.json', '--toolchain', toolchain]
    : [
        'sweep',
        '--scenario',
        '$IN/scenario.json',
        '--param',
        'maxPasses',
        '--from',
        '2',
        '--to',
        '3',
        '--steps',
        '2',
        '--toolchain',
        toolchain,
        '--jobs',
        r.pick(['1', '2', '1000']),
      ];
  if (r.chance(0.3)) argv.push('--json');
  if (argv[0] === 'run' && r.chance(0.15)) argv.push('--keep-files', '$K');
  return {
    id,
    kind: 'scenario',
    label: `${preset.id}: ${labels.join('; ')} [${argv[0]} ${toolchain}]`,
    argv,
    files: { 'scenario.json': text },
    timeoutMs: RUN,
  };
}

/** Lines the kernel reads oddly, and lines no reader expects. */
const LISTING_LINES: readonly string[] = [
  '0xc000000000000010 T prefixed',
  ' c000000000000010 T spaced',
  '+c000000000000010 T plus',
  '-10 T minus',
  'c000000000000010 T nul\u0000tail',
  'c000000000000010 \u0000 nul_type',
  'c000000000000010  T two_spaces',
  'c000000000000010 T',
  '0x T bare_prefix',
  '1ffffffffffffffff T overflow',
  'c000000000000010 \u009b csi_type',
  'c000000000000010 T \u001b[2J\u009b31m',
  'c000000000000010 T crlf\r',
  '                 U undefined',
  '                 w weak',
  'c000000000000010 T ' + 'n'.repeat(511),
  'c000000000000010 T ' + 'n'.repeat(512),
  'c000000000000010 T ' + 'n'.repeat(2000),
  'c000000000000010 T __long_branch_x',
  'c000000000000010 T x.long_branch.y',
  'c000000000000010 t $x',
  'garbage line',
  '',
  '\u00ff\u00fe\u00fd',
];

function listingInput(r: Draw, id: number, fixtures: Record<string, string>): FuzzInput {
  const labels: string[] = [];
  const names = Object.keys(fixtures);
  const base = names.length && r.chance(0.8) ? fixtures[r.pick(names)] : '';
  let lines = base.split('\n');
  const mutations = 1 + r.int(4);
  for (let m = 0; m < mutations; m++) {
    switch (r.int(7)) {
      case 0:
      case 1: {
        const line = r.pick(LISTING_LINES);
        lines.splice(r.int(lines.length + 1), 0, line);
        labels.push(`+ ${JSON.stringify(line.slice(0, 30))}`);
        break;
      }
      case 2: {
        const at = r.int(lines.length);
        lines[at] = (lines[at] ?? '') + 'q'.repeat(r.chance(0.2) ? 2_000_000 : 1000);
        labels.push('a long line');
        break;
      }
      case 3:
        lines = lines.slice(0, r.int(lines.length + 1));
        labels.push('cut short');
        break;
      case 4: {
        const at = r.int(lines.length);
        const line = lines[at] ?? '';
        const k = r.int(line.length + 1);
        lines[at] = line.slice(0, k) + String.fromCharCode(r.int(256)) + line.slice(k + 1);
        labels.push('a byte changed');
        break;
      }
      case 5:
        lines.reverse();
        labels.push('reversed');
        break;
      default:
        labels.push('as is');
    }
  }
  let text: FileContent = lines.join('\n');
  if (r.chance(0.05)) {
    text = Uint8Array.from({ length: 1 + r.int(65536) }, () => r.int(256));
    labels.push('binary garbage');
  } else if (r.chance(0.02)) {
    text = { sparse: MAX_LISTING_BYTES + 1 };
    labels.push('over the size limit');
  }
  const generation = r.pick(['latest', 'v5.9', 'v5.8', 'v6.1', '']);
  const flags = [
    ...(r.chance(0.3) ? ['--all-symbols'] : []),
    ...(r.chance(0.3) ? ['--base-relative'] : []),
  ];
  const viaStdin = r.chance(0.15) && !(text instanceof Object && 'sparse' in text);
  const argv = [
    'kallsyms',
    '--generation',
    generation,
    ...flags,
    viaStdin ? '-' : '$IN/listing.nm',
  ];
  return {
    id,
    kind: 'listing',
    label: `${labels.join('; ')} [${generation}${flags.join(' ')}${viaStdin ? ' stdin' : ''}]`,
    argv,
    ...(viaStdin
      ? { stdin: typeof text === 'string' ? Buffer.from(text, 'latin1') : (text as Uint8Array) }
      : { files: { 'listing.nm': typeof text === 'string' ? Buffer.from(text, 'latin1') : text } }),
    timeoutMs: LIGHT,
  };
}

const LZ_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-$';
const HOSTILE_JSON: readonly string[] = [
  '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}',
  '{"e":["-T/etc/passwd"]}',
  '{"e":["@/etc/passwd"]}',
  '{"e":["--reproduce=/tmp/x.tar"]}',
  '{"l":"INCLUDE /etc/passwd"}',
  '{"l":"/* x */INCLUDE /etc/passwd"}',
  '{"l":""}',
  '{"l":"SECTIONS { .f : { BYTE(1) . += 0x60000000; } }"}',
  '{"g":-1}',
  '{"g":1e999}',
  '{"m":1e308}',
  '{"b":"0x\u009b"}',
  '{"n":{"__proto__":1}}',
  '{"e":' + JSON.stringify(Array.from({ length: 40 }, () => '--gc-sections')) + '}',
  '[1,2,3]',
  'null',
  '"s1."',
  '{"a":{"a":{"a":{}}}}',
];

function linkInput(r: Draw, id: number): FuzzInput {
  const labels: string[] = [];
  let hash: string;
  const kind = r.int(7);
  if (kind === 6) {
    // A link that should open: a scenario changed within the rules.
    const { value, labels: changes } = benignScenario(r, r.pick(SMALL_PRESETS).scenario);
    hash = encodeScenarioHash(value);
    labels.push(`a valid link: ${changes.join('; ')}`);
  } else if (kind === 0) {
    const json = r.pick(HOSTILE_JSON);
    hash = `s1.${lz.compressToEncodedURIComponent(json)}`;
    labels.push(`hostile ${json.slice(0, 40)}`);
  } else if (kind === 1) {
    hash = Array.from({ length: r.int(300) }, () => String.fromCharCode(r.int(0x3000))).join('');
    labels.push('random text');
  } else if (kind === 2) {
    hash = 's1.' + Array.from({ length: r.int(30_000) }, () => r.pick([...LZ_ALPHABET])).join('');
    labels.push('random payload');
  } else {
    const preset = r.pick(PRESETS).scenario;
    hash = encodeScenarioHash(preset);
    const flips = 1 + r.int(4);
    for (let k = 0; k < flips; k++) {
      const at = r.int(hash.length);
      const by = r.pick([...LZ_ALPHABET, '%', '%2', '%00', '#', ' ', '\u202e', 'é']);
      hash = r.chance(0.5) ? hash.slice(0, at) + by + hash.slice(at + 1) : hash.slice(0, at);
    }
    labels.push(`mutated link (${flips} changes)`);
  }
  if (r.chance(0.1)) hash = `#${hash}`;
  return { id, kind: 'link', label: labels.join('; '), hash, timeoutMs: LIGHT };
}

/** Command lines: numbers, directories and options as a careless or hostile user types them. */
function argvInput(r: Draw, id: number): FuzzInput {
  const numbers = [
    '',
    ' ',
    '0x10',
    '1e3',
    '-1',
    'Infinity',
    'NaN',
    '31.75',
    '8',
    '2',
    '64',
    '0',
    '1000',
    '٣',
  ];
  // --keep-files is the user's own choice of a directory: $K (made) or one that cannot be used.
  const keepDirs = [
    '',
    '$K',
    '$K/nested/deeper',
    '$S',
    '$S/sub',
    '/proc/kallsyms-lab-fuzz/x',
    '$IN/file/sub',
  ];
  const choice = r.int(4);
  let argv: string[];
  if (choice === 0) {
    argv = [
      'run',
      '--preset',
      r.pick(SMALL_PRESETS).id,
      '--toolchain',
      'native',
      `--gap=${r.pick(numbers)}`,
    ];
    if (r.chance(0.5)) argv.push(`--max-passes=${r.pick(numbers)}`);
  } else if (choice === 1) {
    argv = [
      'run',
      '--preset',
      'small-converges',
      '--toolchain',
      'native',
      `--keep-files=${r.pick(keepDirs)}`,
    ];
  } else if (choice === 2) {
    argv = [
      'sweep',
      '--preset',
      'small-converges',
      '--param',
      r.pick(['gap', 'align', 'maxPasses', 'base', 'nope']),
      '--from',
      r.pick(numbers),
      '--to',
      r.pick(numbers),
      '--steps',
      r.pick(numbers),
      '--jobs',
      r.pick(numbers),
      '--toolchain',
      'native',
    ];
  } else {
    argv = Array.from({ length: r.int(5) }, () =>
      r.pick([
        'run',
        'sweep',
        'kallsyms',
        'presets',
        '--help',
        '--json',
        '--preset',
        '__proto__',
        '-',
        '--x',
        '\u009b',
      ]),
    );
  }
  return {
    id,
    kind: 'argv',
    label: JSON.stringify(argv),
    argv,
    files: { file: 'a file where a directory is expected' },
    timeoutMs: RUN,
  };
}

export interface InputCounts {
  scenarios: number;
  listings: number;
  links: number;
  argvs: number;
  /** Of all CLI inputs, how many run as real processes (with stdin, EPIPE). */
  processes: number;
}

/** The inputs for a seed, in a fixed order: each kind from its own stream, so counts do not shift them. */
export function makeInputs(
  seed: number,
  counts: InputCounts,
  fixtures: Record<string, string>,
): FuzzInput[] {
  const inputs: FuzzInput[] = [];
  let id = 0;
  const scenarios = draw(seed);
  for (let k = 0; k < counts.scenarios; k++) inputs.push(scenarioInput(scenarios, id++));
  const listings = draw(seed + 1);
  for (let k = 0; k < counts.listings; k++) inputs.push(listingInput(listings, id++, fixtures));
  const links = draw(seed + 2);
  for (let k = 0; k < counts.links; k++) inputs.push(linkInput(links, id++));
  const argvs = draw(seed + 3);
  for (let k = 0; k < counts.argvs; k++) inputs.push(argvInput(argvs, id++));
  // A few as real processes: stdin, a reader that stops reading.
  const processes = draw(seed + 4);
  const cli = inputs.filter((i) => i.argv);
  for (let k = 0; k < counts.processes && cli.length; k++) {
    const input = processes.pick(cli);
    input.process = true;
    if (processes.chance(0.5)) input.pipeHead = 100;
  }
  return inputs;
}

/**
 * Inputs that are large on purpose, for the full fuzz's memory measurement:
 * the largest listing `kallsyms` reads, and a custom script that fills 1 GiB.
 * (The largest generated corpus the schema allows, 400,000 symbols, takes
 * minutes a pass: measured by hand with `/usr/bin/time -v kallsyms-lab run
 * --scenario … --toolchain wasm`, 2,179 s and 6.2 GB peak on a shared
 * two-core machine.)
 */
export function heavyInputs(firstId: number): FuzzInput[] {
  const preset = PRESETS.find((p) => p.id === 'small-converges')!.scenario;
  const fill = (bytes: number) =>
    JSON.stringify({
      ...preset,
      linkerScript: `${scenarioLinkerScript(preset)}\nSECTIONS { .fill : { BYTE(1) . += ${bytes}; BYTE(2) } }\n`,
    });
  return [
    {
      id: firstId,
      kind: 'listing',
      label: `a kernel-like listing just under the ${MAX_LISTING_BYTES / 2 ** 20} MiB limit (kallsyms latest)`,
      argv: ['kallsyms', '--generation', 'latest', '$IN/listing.nm'],
      files: { 'listing.nm': { listing: MAX_LISTING_BYTES - 4096 } },
      heavy: true,
      timeoutMs: 1_800_000,
    },
    {
      id: firstId + 1,
      kind: 'scenario',
      label: 'a custom script with a 1 GiB fill (wasm)',
      argv: ['run', '--scenario', '$IN/scenario.json', '--toolchain', 'wasm', '--json'],
      files: { 'scenario.json': fill(0x40000000) },
      heavy: true,
      timeoutMs: 1_800_000,
    },
  ];
}
