/**
 * Which extra ld.lld flags a scenario may pass: an allow-list of flags that
 * change how ld.lld lays out and relaxes the image, and that can neither name
 * a file (read or written) nor change what the loop gets back (an ELF image
 * on standard output). Anything else is refused, in every spelling ld.lld
 * accepts: `-x`, `-xVALUE`, `--x=VALUE`, `-x VALUE` and `--x VALUE` (two
 * entries), and `@file` response files, which ld.lld expands wherever they
 * appear, values included.
 *
 * Allowed flags are matched in one spelling each, the one every ld.lld from
 * 14 to 22 reads the same way (long names with `--`; lld's option table gives
 * some long names a one-dash form only in some versions, and a one-dash word
 * can be read as a short option with a joined value).
 */
import { linkerExpressionProblems } from './linker-script-rules.ts';

type ValueCheck = (value: string) => string | null;

interface AllowedOption {
  /** How the value is given: none, `--name=V` only, or `--name=V` and `--name V`. */
  value: 'none' | 'joined' | 'joined-or-separate';
  check?: ValueCheck;
  /** A `joined` option that may also be given bare (`--build-id`). */
  bare?: boolean;
  /** For the help text. */
  meta?: string;
}

const SYMBOL = /^[A-Za-z_.$][A-Za-z0-9_.$]{0,127}$/;
const NUMBER = /^(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/;

const oneOf =
  (...values: string[]): ValueCheck =>
  (v) =>
    values.includes(v) ? null : `takes one of ${values.join(', ')}`;

const symbol: ValueCheck = (v) =>
  SYMBOL.test(v) ? null : 'takes a symbol name (letters, digits, _ . $)';

const defsym: ValueCheck = (v) => {
  const eq = v.indexOf('=');
  if (eq <= 0 || !SYMBOL.test(v.slice(0, eq)))
    return 'takes SYMBOL=EXPRESSION, e.g. --defsym=answer=42';
  const problems = linkerExpressionProblems(v.slice(eq + 1));
  return problems.length
    ? `takes SYMBOL=EXPRESSION, with an expression that reaches no file (here: ${problems[0]})`
    : null;
};

const sectionStart: ValueCheck = (v) =>
  /^[A-Za-z0-9_.$]{1,64}=(0x[0-9a-fA-F]{1,16}|[0-9]{1,20})$/.test(v)
    ? null
    : 'takes SECTION=ADDRESS, e.g. --section-start=.text=0xc000000000010000';

/** `-z` keywords that only change layout or markings (none names a file). */
const Z_KEYWORDS = [
  'separate-code',
  'noseparate-code',
  'separate-loadable-segments',
  'norelro',
  'relro',
  'noexecstack',
  'execstack',
  'now',
  'lazy',
  'muldefs',
  'text',
  'notext',
  'keep-text-section-prefix',
  'nokeep-text-section-prefix',
];
const zKeyword: ValueCheck = (v) => {
  if (Z_KEYWORDS.includes(v)) return null;
  const size = /^(max-page-size|common-page-size)=(.*)$/.exec(v);
  if (!size) return `takes max-page-size=N, common-page-size=N or one of ${Z_KEYWORDS.join(', ')}`;
  return NUMBER.test(size[2]) ? null : 'takes a number of bytes, e.g. -z max-page-size=0x10000';
};

const ALLOWED_LONG: Record<string, AllowedOption> = {
  'emit-relocs': { value: 'none' },
  relax: { value: 'none' },
  'no-relax': { value: 'none' },
  'gc-sections': { value: 'none' },
  'no-gc-sections': { value: 'none' },
  'discard-all': { value: 'none' },
  'discard-locals': { value: 'none' },
  'discard-none': { value: 'none' },
  rosegment: { value: 'none' },
  'no-rosegment': { value: 'none' },
  'toc-optimize': { value: 'none' },
  'no-toc-optimize': { value: 'none' },
  'pcrel-optimize': { value: 'none' },
  'no-pcrel-optimize': { value: 'none' },
  'power10-stubs': {
    value: 'joined',
    bare: true,
    check: oneOf('auto', 'yes', 'no'),
    meta: 'auto|yes|no',
  },
  'no-power10-stubs': { value: 'none' },
  'check-sections': { value: 'none' },
  'no-check-sections': { value: 'none' },
  'fatal-warnings': { value: 'none' },
  'no-fatal-warnings': { value: 'none' },
  'warn-common': { value: 'none' },
  'no-warn-common': { value: 'none' },
  demangle: { value: 'none' },
  'no-demangle': { value: 'none' },
  'noinhibit-exec': { value: 'none' },
  'allow-multiple-definition': { value: 'none' },
  'no-allow-multiple-definition': { value: 'none' },
  'eh-frame-hdr': { value: 'none' },
  'no-eh-frame-hdr': { value: 'none' },
  'warn-unresolved-symbols': { value: 'none' },
  'error-unresolved-symbols': { value: 'none' },
  'no-undefined': { value: 'none' },
  nostdlib: { value: 'none' },
  'build-id': {
    value: 'joined',
    bare: true,
    check: (v) =>
      /^(none|fast|md5|sha1|uuid|tree|0x[0-9a-fA-F]{2,64})$/.test(v)
        ? null
        : 'takes none, fast, md5, sha1, uuid or 0x<hex>',
    meta: 'none|fast|md5|sha1|uuid|0xHEX',
  },
  icf: { value: 'joined', check: oneOf('all', 'safe', 'none'), meta: 'all|safe|none' },
  'orphan-handling': {
    value: 'joined-or-separate',
    check: oneOf('place', 'warn', 'error'),
    meta: 'place|warn|error',
  },
  'sort-section': {
    value: 'joined-or-separate',
    check: oneOf('name', 'alignment'),
    meta: 'name|alignment',
  },
  'unresolved-symbols': {
    value: 'joined-or-separate',
    check: oneOf('ignore-all', 'report-all', 'ignore-in-object-files', 'ignore-in-shared-libs'),
    meta: 'report-all|ignore-all|…',
  },
  'error-limit': {
    value: 'joined-or-separate',
    check: (v) => (/^[0-9]{1,6}$/.test(v) ? null : 'takes a whole number'),
    meta: 'N',
  },
  defsym: { value: 'joined-or-separate', check: defsym, meta: 'SYMBOL=EXPR' },
  'section-start': { value: 'joined-or-separate', check: sectionStart, meta: 'SECTION=ADDR' },
  entry: { value: 'joined-or-separate', check: symbol, meta: 'SYMBOL' },
  undefined: { value: 'joined-or-separate', check: symbol, meta: 'SYMBOL' },
};

/** One-letter flags: plain switches, and options whose value is the next entry (or joined, for -z/-O). */
const ALLOWED_SHORT: Record<string, AllowedOption & { joined?: boolean }> = {
  q: { value: 'none' },
  x: { value: 'none' },
  X: { value: 'none' },
  z: { value: 'joined-or-separate', joined: true, check: zKeyword, meta: 'KEYWORD' },
  O: {
    value: 'joined-or-separate',
    joined: true,
    check: oneOf('0', '1', '2'),
    meta: '0|1|2',
  },
  e: { value: 'joined-or-separate', check: symbol, meta: 'SYMBOL' },
  u: { value: 'joined-or-separate', check: symbol, meta: 'SYMBOL' },
};

/** Why well-known refused flags are refused: by lld's option name (long or one letter). */
const REFUSED_BECAUSE: Array<[RegExp, string]> = [
  // The loop's own flags keep the words they always had (the page shows them).
  [/^(o|output|T|script|default-script|dT|Map|m)$/, 'is set by the loop itself (-o, -T, -Map, -m)'],
  [
    /^(reproduce|why-extract|dependency-file|print-archive-stats|print-symbol-order|time-trace|save-temps|out-implib|opt-remarks-filename|lto-obj-path)$/,
    'is not allowed: it makes ld.lld write a file',
  ],
  [
    /^(L|library-path|l|library|version-script|dynamic-list|symbol-ordering-file|call-graph-ordering-file|retain-symbols-file|just-symbols|export-dynamic-symbol-list|remap-inputs|remap-inputs-file|sysroot|in-implib|irpgo-profile|format|b|chroot|plugin|load-pass-plugin|error-handling-script|lto-sample-profile|lto-cs-profile-file|thinlto-cache-dir)$/,
    'is not allowed: it makes ld.lld read a file, or run a program, from this machine',
  ],
  [
    /^(v|V|version|help|M|print-map|trace|t|y|trace-symbol|verbose|cref|print-memory-usage|print-gc-sections|print-icf-sections|why-live|stats)$/,
    'is not allowed: it makes ld.lld print text where the loop reads the image',
  ],
  [
    /^(r|relocatable|shared|Bshareable|pie|pic-executable|oformat|omagic|N|nmagic|n|s|strip-all)$/,
    'is not allowed: it changes the kind of output the loop reads back',
  ],
];

export interface FlagProblem {
  /** Index of the entry in the array. */
  index: number;
  /** What is wrong with the entry, as a predicate ("is not allowed: …"), as schema messages are. */
  message: string;
}

const ALLOWED_HINT =
  'a scenario may pass only flags that change how ld.lld links, such as --emit-relocs, ' +
  '--no-relax, --gc-sections, -z max-page-size=N or --defsym=SYMBOL=EXPR (`kallsyms-lab run --help` lists them all)';

function refusal(name: string): string {
  for (const [pattern, why] of REFUSED_BECAUSE) if (pattern.test(name)) return why;
  return `is not an allowed flag: ${ALLOWED_HINT}`;
}

const RESPONSE_FILE = 'is not allowed: ld.lld would read more arguments from that file';
const NOT_ASCII = 'holds characters other than printable ASCII';

/**
 * Every problem with a list of extra ld.lld flags, at the entry it concerns;
 * an empty list when ld.lld may be given them.
 */
export function linkerFlagProblems(flags: readonly string[]): FlagProblem[] {
  const problems: FlagProblem[] = [];
  const problem = (index: number, message: string) => problems.push({ index, message });
  const checkValue = (at: number, option: AllowedOption, spelled: string, value: string) => {
    const why = option.check?.(value);
    if (why) problem(at, `is not allowed: ${spelled} ${why}`);
  };
  for (let i = 0; i < flags.length; i++) {
    const entry = flags[i];
    if (!/^[\x20-\x7e]*$/.test(entry)) {
      problem(i, NOT_ASCII);
      continue;
    }
    if (entry.startsWith('@')) {
      problem(i, RESPONSE_FILE);
      continue;
    }
    if (!entry.startsWith('-') || entry === '-' || entry === '--') {
      problem(
        i,
        'is not a flag: ld.lld would read it as an input file, and the loop links the corpus objects itself',
      );
      continue;
    }
    // The value of a flag given as the next entry (`--defsym NAME=1`, `-z now`).
    const takeNext = (option: AllowedOption, spelled: string): void => {
      const value = flags[i + 1];
      if (value === undefined) {
        problem(i, `needs a value after it (${spelled} ${option.meta ?? 'VALUE'})`);
        return;
      }
      i++;
      if (value.startsWith('@')) problem(i, RESPONSE_FILE);
      else if (!/^[\x20-\x7e]+$/.test(value)) problem(i, NOT_ASCII);
      else checkValue(i, option, spelled, value);
    };

    if (entry.startsWith('--')) {
      const eq = entry.indexOf('=');
      const name = entry.slice(2, eq < 0 ? undefined : eq);
      const option = Object.hasOwn(ALLOWED_LONG, name) ? ALLOWED_LONG[name] : undefined;
      if (!option) problem(i, refusal(name));
      else if (eq >= 0) {
        if (option.value === 'none') problem(i, `is not allowed: --${name} takes no value`);
        else checkValue(i, option, `--${name}`, entry.slice(eq + 1));
      } else if (option.value === 'joined-or-separate') takeNext(option, `--${name}`);
      else if (option.value === 'joined' && !option.bare)
        problem(i, `needs a value: --${name}=${option.meta}`);
      continue;
    }

    // One dash: a one-letter option, perhaps with its value joined.
    const letter = entry[1];
    const rest = entry.slice(2);
    const short = Object.hasOwn(ALLOWED_SHORT, letter) ? ALLOWED_SHORT[letter] : undefined;
    if (!short || (rest !== '' && (short.value === 'none' || !short.joined))) {
      // `-name` and `-name=V` as a long option, or a letter with a joined value (`-T/x`).
      const eq = entry.indexOf('=');
      const long = entry.slice(1, eq < 0 ? undefined : eq);
      if (Object.hasOwn(ALLOWED_LONG, long))
        problem(i, `must be written with two dashes: -${entry}`);
      else problem(i, refusal(REFUSED_BECAUSE.some(([p]) => p.test(long)) ? long : letter));
      continue;
    }
    if (short.value === 'none') continue;
    if (rest !== '') checkValue(i, short, `-${letter}`, rest);
    else takeNext(short, `-${letter}`);
  }
  return problems;
}

/** Symbols the flags define (`--defsym NAME=…`), which a custom script then need not define. */
export function linkerFlagDefines(flags: readonly string[]): Set<string> {
  const defined = new Set<string>();
  for (let i = 0; i < flags.length; i++) {
    const value = flags[i].startsWith('--defsym=')
      ? flags[i].slice('--defsym='.length)
      : flags[i] === '--defsym'
        ? flags[++i]
        : undefined;
    const eq = value?.indexOf('=') ?? -1;
    if (value && eq > 0) defined.add(value.slice(0, eq));
  }
  return defined;
}

/** What a scenario's flags set that moves bytes in the image's file. */
export interface LinkerFlagLayout {
  /** The largest `-z max-page-size=N` or `-z common-page-size=N` given; null when none is. */
  pageSize: bigint | null;
  /** `-z separate-code` or `-z separate-loadable-segments`: each segment ends on a page in the file. */
  separateSegments: boolean;
  /** The addresses `--section-start=SECTION=ADDRESS` gives. */
  sectionStarts: bigint[];
  /** `--emit-relocs` (or `-q`): the corpus's relocations are kept in the image too. */
  emitRelocs: boolean;
}

/** The layout flags among allowed ones (linkerFlagProblems found none), in their allowed spellings. */
export function linkerFlagLayout(flags: readonly string[]): LinkerFlagLayout {
  const layout: LinkerFlagLayout = {
    pageSize: null,
    separateSegments: false,
    sectionStarts: [],
    emitRelocs: false,
  };
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i];
    if (flag === '--emit-relocs' || flag === '-q') layout.emitRelocs = true;
    const z = flag === '-z' ? flags[++i] : flag.startsWith('-z') ? flag.slice(2) : undefined;
    const start =
      flag === '--section-start'
        ? flags[++i]
        : flag.startsWith('--section-start=')
          ? flag.slice('--section-start='.length)
          : undefined;
    const size = z === undefined ? null : /^(?:max|common)-page-size=(.*)$/.exec(z);
    if (size && NUMBER.test(size[1])) {
      const n = BigInt(size[1]);
      if (layout.pageSize === null || n > layout.pageSize) layout.pageSize = n;
    }
    if (z === 'separate-code' || z === 'separate-loadable-segments') layout.separateSegments = true;
    const address = start === undefined ? null : /=([^=]*)$/.exec(start);
    if (address && NUMBER.test(address[1])) layout.sectionStarts.push(BigInt(address[1]));
  }
  return layout;
}

/** The allowed flags, one spelling each, for `run --help` and the README. */
export function describeAllowedLinkerFlags(): string {
  const long = Object.entries(ALLOWED_LONG).map(([name, o]) =>
    o.value === 'none'
      ? `--${name}`
      : `--${name}${o.bare ? '[=' : '='}${o.meta}${o.bare ? ']' : ''}`,
  );
  const short = Object.entries(ALLOWED_SHORT).map(([letter, o]) =>
    o.value === 'none' ? `-${letter}` : `-${letter} ${o.meta}`,
  );
  return [...long, ...short].join(', ');
}
