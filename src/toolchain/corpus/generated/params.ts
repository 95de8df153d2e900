/**
 * The parameters that decide a generated corpus, and the corpus id a
 * scenario carries for it.
 *
 * A scenario names its corpus by a string (`corpus` in the scenario schema):
 * `kernel-like` for the committed corpus, or a generated corpus id such as
 *
 *     generated-v1                          the default: 150,000 symbols, seed 1
 *     generated-v1?seed=7&symbols=200000    parameters that differ from the default
 *
 * A string, not an object, so that a scenario with a generated corpus keeps
 * the shape permalink format 1 was made for (its `c` key holds any string):
 * old links decode as before and new ones need no new format. The `v1` is
 * the generator's output version: the same id must give the same bytes
 * forever, so a generator change that alters bytes adds v2 and keeps v1.
 * Parameters added to v1 later (the shape knobs after `callsPerInit`) have
 * defaults that write the corpus v1 always wrote, so an id that leaves them
 * out keeps its meaning.
 */
import { z } from 'zod';
import { quoteInput } from '../../text/quote.ts';

/** Bumped (and the old output kept reachable) whenever the bytes for the same params change. */
export const GENERATOR_VERSION = 1;
export const GENERATOR_LABEL = `kallsyms-lab generator v${GENERATOR_VERSION}`;

const ID_PREFIX = `generated-v${GENERATOR_VERSION}`;
const MIB = 1024 * 1024;

/**
 * Caps that keep a stranger's corpus id from eating the machine: every
 * function written is a few dozen bytes of object and a few columns of the
 * plan, every call a relocation and a call site the loop measures each pass.
 */
export const MAX_GENERATED_FUNCTIONS = 500_000;
export const MAX_GENERATED_CALLS = 1_000_000;
/** Core text, bounded from the largest body and the alignment: the linker must hold it, and so must the worker. */
export const MAX_CORE_TEXT_BYTES = 96 * MIB;
/** Instructions of the largest body the kernel-like mix draws (functionBody 0). */
export const MIX_MAX_BODY = 39;

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** The pinned-section parameters an id without them means (they need pinned > 0 to differ). */
const DEFAULT_PINNED = { pinnedSpacing: 16, pinnedCallsPerInit: 8, pinnedAt: 33 * MIB } as const;

const paramsObject = z
  .object({
    /** Any 32-bit unsigned number: names, sizes and call targets follow from it. */
    seed: z.number().int().min(0).max(0xffffffff),
    /**
     * Functions written (core globals, static helpers and __init functions):
     * each becomes one kallsyms table symbol, so the table holds this many
     * plus the boundary symbols and whatever stubs the linker adds. The
     * pinned functions and their callers come on top.
     */
    symbols: z.number().int().min(1000).max(400_000),
    /** Object files, in kernel link order (head first, lib last). */
    objects: z.number().int().min(16).max(2000),
    /** __init functions in `.init.text`, spread over the objects; counted in `symbols`. */
    initFunctions: z.number().int().min(1).max(100_000),
    /** `bl` calls from each __init function into core text (one REL24 each). */
    callsPerInit: z.number().int().min(1).max(64),
    /**
     * Instructions in every core function's body; 0 keeps the kernel-like mix
     * (half of them 1–3, a few up to 39). Small bodies pack call targets densely.
     */
    functionBody: z.number().int().min(0).max(64),
    /** Alignment of core functions in bytes (a power of two); 0 keeps the target's (16 on ppc64, 4 on ppc32). */
    functionAlign: z
      .number()
      .int()
      .min(0)
      .max(4096)
      .refine((n) => n === 0 || (n >= 4 && isPowerOfTwo(n)), 'must be 0 or a power of two from 4'),
    /**
     * Shortest name of a core (or pinned) function, in characters: shorter
     * names get more words (`_cache`, `_entry`, …); 0 keeps the names as
     * drawn. A stub is named after its target, so this sets the table bytes
     * each stub adds.
     */
    nameLength: z
      .number()
      .int()
      .min(0)
      .max(100)
      .refine((n) => n === 0 || n >= 8, 'must be 0, or from 8 to 100'),
    /**
     * The first this many core global functions in link order: the bottom of
     * core text, where the ±32 MiB limit first lands as init text moves up.
     * With `nearShare`, a pool of call targets near the boundary; they and
     * the static helpers between them are leaves (tiny helpers, as lib/'s),
     * packed as densely as functionBody and functionAlign allow.
     */
    nearTargets: z.number().int().min(0).max(100_000),
    /** Percent of the __init calls aimed at the `nearTargets` pool instead of anywhere. */
    nearShare: z.number().int().min(0).max(100),
    /**
     * Functions in `.fixed.text`, a section the linker script pins at a fixed
     * address above init text, each called once from __init code: as the
     * table pushes init text up, those calls get shorter and their stubs go.
     */
    pinned: z.number().int().min(0).max(100_000),
    /** Bytes from one pinned function to the next (a multiple of 4). */
    pinnedSpacing: z
      .number()
      .int()
      .min(8)
      .max(4096)
      .refine((n) => n % 4 === 0, 'must be a multiple of 4'),
    /** Calls each pinned caller (an __init function of its own) makes, to consecutive pinned functions. */
    pinnedCallsPerInit: z.number().int().min(1).max(64),
    /**
     * Where `.fixed.text` starts, in bytes above the end of core text plus
     * the gap (where init text would start with an empty `.rodata`): fixed
     * for a scenario, whatever the table's size.
     */
    pinnedAt: z
      .number()
      .int()
      .min(0)
      .max(1024 * MIB),
  })
  .strict();

export type GeneratedCorpusParams = z.infer<typeof paramsObject>;

/** Callers of the pinned functions: one __init function per `pinnedCallsPerInit` of them. */
export function pinnedCallerCount(p: GeneratedCorpusParams): number {
  return Math.ceil(p.pinned / p.pinnedCallsPerInit);
}

/** Every function the generator writes. */
export function generatedFunctionCount(p: GeneratedCorpusParams): number {
  return p.symbols + p.pinned + pinnedCallerCount(p);
}

/** An upper bound of core text's size, from the largest body and the alignment. */
export function coreTextBound(p: GeneratedCorpusParams): number {
  const body = p.functionBody || MIX_MAX_BODY;
  // A non-leaf function: prologue, helper call, body, a call out (bl + nop), epilogue.
  const bytes = (3 + 1 + body + 2 + 4) * 4;
  const align = p.functionAlign || 16;
  return (p.symbols - p.initFunctions) * Math.ceil(bytes / align) * align;
}

export const generatedCorpusParamsSchema = paramsObject
  .refine((p) => p.objects * 8 <= p.symbols, {
    message: 'needs at least 8 symbols per object',
    path: ['objects'],
  })
  .refine((p) => p.initFunctions * 3 <= p.symbols, {
    message: 'at most a third of the symbols can be __init functions',
    path: ['initFunctions'],
  })
  .refine((p) => p.nearTargets * 2 <= p.symbols - p.initFunctions, {
    message: 'at most half of the core functions (symbols − initFunctions) can be near targets',
    path: ['nearTargets'],
  })
  .refine((p) => (p.nearTargets === 0) === (p.nearShare === 0), {
    message: 'nearTargets and nearShare go together: give both, or neither',
    path: ['nearShare'],
  })
  .refine(
    (p) =>
      p.pinned > 0 ||
      (p.pinnedSpacing === DEFAULT_PINNED.pinnedSpacing &&
        p.pinnedCallsPerInit === DEFAULT_PINNED.pinnedCallsPerInit &&
        p.pinnedAt === DEFAULT_PINNED.pinnedAt),
    {
      message: 'pinnedSpacing, pinnedCallsPerInit and pinnedAt only apply with pinned > 0',
      path: ['pinned'],
    },
  )
  .refine((p) => generatedFunctionCount(p) <= MAX_GENERATED_FUNCTIONS, {
    message: `symbols + pinned + their callers must be at most ${MAX_GENERATED_FUNCTIONS} functions`,
    path: ['pinned'],
  })
  .refine((p) => p.initFunctions * p.callsPerInit + p.pinned <= MAX_GENERATED_CALLS, {
    message: `initFunctions × callsPerInit + pinned must be at most ${MAX_GENERATED_CALLS} calls`,
    path: ['callsPerInit'],
  })
  .refine((p) => coreTextBound(p) <= MAX_CORE_TEXT_BYTES, {
    message: `core text could pass ${MAX_CORE_TEXT_BYTES / MIB} MiB: use fewer symbols, or a smaller functionBody or functionAlign`,
    path: ['functionAlign'],
  })
  .refine((p) => p.pinned * p.pinnedSpacing <= 16 * MIB, {
    message: 'pinned × pinnedSpacing must be at most 16 MiB',
    path: ['pinnedSpacing'],
  });

/**
 * Frozen with v1: an id that leaves a parameter out means this value. The
 * parameters after callsPerInit came later; their defaults write the corpus
 * v1 always wrote, byte for byte (pinned by generate.test.ts).
 */
export const DEFAULT_GENERATED_PARAMS: Readonly<GeneratedCorpusParams> = Object.freeze({
  seed: 1,
  symbols: 150_000,
  objects: 400,
  initFunctions: 6000,
  callsPerInit: 4,
  functionBody: 0,
  functionAlign: 0,
  nameLength: 0,
  nearTargets: 0,
  nearShare: 0,
  pinned: 0,
  ...DEFAULT_PINNED,
});

/** Canonical order of the parameters in an id. */
export const GENERATED_PARAM_KEYS = [
  'seed',
  'symbols',
  'objects',
  'initFunctions',
  'callsPerInit',
  'functionBody',
  'functionAlign',
  'nameLength',
  'nearTargets',
  'nearShare',
  'pinned',
  'pinnedSpacing',
  'pinnedCallsPerInit',
  'pinnedAt',
] as const satisfies ReadonlyArray<keyof GeneratedCorpusParams>;
export type GeneratedParamKey = (typeof GENERATED_PARAM_KEYS)[number];
const KEYS: readonly string[] = GENERATED_PARAM_KEYS;

export function isGeneratedParamKey(key: string): key is GeneratedParamKey {
  return KEYS.includes(key);
}

/** What each parameter is, for `kallsyms-lab presets --params` (and the page, later). */
export interface GeneratedParamInfo {
  key: GeneratedParamKey;
  /** Smallest and largest value the parameter's own rule accepts (the rules between parameters may narrow them). */
  min: number;
  max: number;
  /** Any further rule, in words, or null. */
  rule: string | null;
  /** What the default value means when it is a switch (0: off, or as drawn), else null. */
  defaultMeaning: string | null;
  description: string;
}

export const GENERATED_PARAM_INFO: readonly GeneratedParamInfo[] = [
  {
    key: 'seed',
    min: 0,
    max: 0xffffffff,
    rule: null,
    defaultMeaning: null,
    description: 'names, body sizes and call targets follow from it',
  },
  {
    key: 'symbols',
    min: 1000,
    max: 400_000,
    rule: null,
    defaultMeaning: null,
    description:
      'functions written, core and __init (symbols − initFunctions are core functions), each a table symbol',
  },
  {
    key: 'objects',
    min: 16,
    max: 2000,
    rule: 'at least 8 symbols per object',
    defaultMeaning: null,
    description: 'object files, in kernel link order (head first, lib last)',
  },
  {
    key: 'initFunctions',
    min: 1,
    max: 100_000,
    rule: 'at most a third of symbols',
    defaultMeaning: null,
    description: '__init functions calling into core text',
  },
  {
    key: 'callsPerInit',
    min: 1,
    max: 64,
    rule: `initFunctions × callsPerInit + pinned ≤ ${MAX_GENERATED_CALLS}`,
    defaultMeaning: null,
    description: 'calls each __init function makes into core text',
  },
  {
    key: 'functionBody',
    min: 0,
    max: 64,
    rule: `core text ≤ ${MAX_CORE_TEXT_BYTES / MIB} MiB`,
    defaultMeaning: 'the kernel-like mix: half 1–3 instructions, a few up to 39',
    description: 'instructions in every core function body: function size',
  },
  {
    key: 'functionAlign',
    min: 0,
    max: 4096,
    rule: 'a power of two from 4',
    defaultMeaning: "the target's: 16 on ppc64, 4 on ppc32",
    description: 'alignment of core functions in bytes: their spacing',
  },
  {
    key: 'nameLength',
    min: 0,
    max: 100,
    rule: '0, or from 8',
    defaultMeaning: 'names as drawn',
    description: 'shortest core function name; a stub is named after its target',
  },
  {
    key: 'nearTargets',
    min: 0,
    max: 100_000,
    rule: 'at most half the core functions; with nearShare',
    defaultMeaning: 'no pool',
    description:
      'pool of the first core globals in link order, made leaves: where the reach limit lands first',
  },
  {
    key: 'nearShare',
    min: 0,
    max: 100,
    rule: 'with nearTargets',
    defaultMeaning: 'no call aimed at the pool',
    description: 'percent of __init calls aimed at the nearTargets pool',
  },
  {
    key: 'pinned',
    min: 0,
    max: 100_000,
    rule: `symbols + pinned + callers ≤ ${MAX_GENERATED_FUNCTIONS}`,
    defaultMeaning: 'no pinned section',
    description: 'functions in .fixed.text at a fixed address above init text, each called once',
  },
  {
    key: 'pinnedSpacing',
    min: 8,
    max: 4096,
    rule: 'a multiple of 4; with pinned',
    defaultMeaning: null,
    description: 'bytes from one pinned function to the next',
  },
  {
    key: 'pinnedCallsPerInit',
    min: 1,
    max: 64,
    rule: 'with pinned',
    defaultMeaning: null,
    description: 'calls each pinned caller (an __init function) makes, in address order',
  },
  {
    key: 'pinnedAt',
    min: 0,
    max: 1024 * MIB,
    rule: 'with pinned',
    defaultMeaning: null,
    description: 'bytes from end of core text + gap (init text without a table) to .fixed.text',
  },
];

/**
 * The canonical id of a generated corpus: the parameters that differ from
 * the (frozen) v1 defaults, in a fixed order; `generated-v1` alone is the
 * default corpus. Short, so that permalinks stay short.
 */
export function generatedCorpusId(params: GeneratedCorpusParams): string {
  const differing = GENERATED_PARAM_KEYS.filter((k) => params[k] !== DEFAULT_GENERATED_PARAMS[k]);
  return differing.length === 0
    ? ID_PREFIX
    : `${ID_PREFIX}?${differing.map((k) => `${k}=${params[k]}`).join('&')}`;
}

export type ParsedCorpusId =
  { ok: true; params: GeneratedCorpusParams } | { ok: false; problems: string[] };

/** Problems of a parameter set, as "key: what is wrong". */
export function checkGeneratedParams(input: unknown): ParsedCorpusId {
  const result = generatedCorpusParamsSchema.safeParse(input);
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`),
    };
  }
  return { ok: true, params: result.data };
}

/**
 * Reads a generated corpus id. Parameters may come in any order and may be
 * left out (they then take `DEFAULT_GENERATED_PARAMS`); `generatedCorpusId`
 * of the result is the canonical spelling.
 */
export function parseGeneratedCorpusId(id: string): ParsedCorpusId {
  const match = /^generated-v(\d+)(?:\?(.*))?$/s.exec(id);
  // Ids come from strangers (a link, a file): quoted bounded and escaped.
  if (!match)
    return { ok: false, problems: [`${quoteInput(id, 40)} is not a generated corpus id`] };
  if (Number(match[1]) !== GENERATOR_VERSION) {
    return {
      ok: false,
      problems: [
        `generator version ${match[1]} is unknown (this build has v${GENERATOR_VERSION}); ` +
          `write ${ID_PREFIX}?seed=…`,
      ],
    };
  }
  const raw: Record<string, number> = {};
  const problems: string[] = [];
  for (const part of match[2] ? match[2].split('&') : []) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (!isGeneratedParamKey(key)) {
      problems.push(`unknown parameter ${quoteInput(key, 24)} (known: ${KEYS.join(', ')})`);
    } else if (Object.hasOwn(raw, key)) {
      problems.push(`parameter ${key} is given twice`);
    } else if (!/^\d{1,10}$/.test(value)) {
      problems.push(`${key} must be a whole number, not ${quoteInput(value, 16)}`);
    } else {
      raw[key] = Number(value);
    }
  }
  if (problems.length) return { ok: false, problems };
  return checkGeneratedParams({ ...DEFAULT_GENERATED_PARAMS, ...raw });
}
