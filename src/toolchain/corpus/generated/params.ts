/**
 * The few parameters that decide a generated corpus, and the corpus id a
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
 */
import { z } from 'zod';
import { quoteInput } from '../../text/quote.ts';

/** Bumped (and the old output kept reachable) whenever the bytes for the same params change. */
export const GENERATOR_VERSION = 1;
export const GENERATOR_LABEL = `kallsyms-lab generator v${GENERATOR_VERSION}`;

const ID_PREFIX = `generated-v${GENERATOR_VERSION}`;

export const generatedCorpusParamsSchema = z
  .object({
    /** Any 32-bit unsigned number: names, sizes and call targets follow from it. */
    seed: z.number().int().min(0).max(0xffffffff),
    /**
     * Functions written (core globals, static helpers and __init functions):
     * each becomes one kallsyms table symbol, so the table holds this many
     * plus the boundary symbols and whatever stubs the linker adds.
     */
    symbols: z.number().int().min(1000).max(400_000),
    /** Object files, in kernel link order (head first, lib last). */
    objects: z.number().int().min(16).max(2000),
    /** __init functions in `.init.text`, spread over the objects; counted in `symbols`. */
    initFunctions: z.number().int().min(1).max(100_000),
    /** `bl` calls from each __init function into core text (one REL24 each). */
    callsPerInit: z.number().int().min(1).max(64),
  })
  .strict()
  .refine((p) => p.objects * 8 <= p.symbols, {
    message: 'needs at least 8 symbols per object',
    path: ['objects'],
  })
  .refine((p) => p.initFunctions * 3 <= p.symbols, {
    message: 'at most a third of the symbols can be __init functions',
    path: ['initFunctions'],
  });

export type GeneratedCorpusParams = z.infer<typeof generatedCorpusParamsSchema>;

/** Frozen with v1: an id that leaves a parameter out means this value. */
export const DEFAULT_GENERATED_PARAMS: Readonly<GeneratedCorpusParams> = Object.freeze({
  seed: 1,
  symbols: 150_000,
  objects: 400,
  initFunctions: 6000,
  callsPerInit: 4,
});

const KEYS = ['seed', 'symbols', 'objects', 'initFunctions', 'callsPerInit'] as const;

/**
 * The canonical id of a generated corpus: the parameters that differ from
 * the (frozen) v1 defaults, in a fixed order; `generated-v1` alone is the
 * default corpus. Short, so that permalinks stay short.
 */
export function generatedCorpusId(params: GeneratedCorpusParams): string {
  const differing = KEYS.filter((k) => params[k] !== DEFAULT_GENERATED_PARAMS[k]);
  return differing.length === 0
    ? ID_PREFIX
    : `${ID_PREFIX}?${differing.map((k) => `${k}=${params[k]}`).join('&')}`;
}

export type ParsedCorpusId =
  { ok: true; params: GeneratedCorpusParams } | { ok: false; problems: string[] };

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
    if (!(KEYS as readonly string[]).includes(key)) {
      problems.push(`unknown parameter ${quoteInput(key, 24)} (known: ${KEYS.join(', ')})`);
    } else if (key in raw) {
      problems.push(`parameter ${key} is given twice`);
    } else if (!/^\d{1,10}$/.test(value)) {
      problems.push(`${key} must be a whole number, not ${quoteInput(value, 16)}`);
    } else {
      raw[key] = Number(value);
    }
  }
  if (problems.length) return { ok: false, problems };
  const result = generatedCorpusParamsSchema.safeParse({ ...DEFAULT_GENERATED_PARAMS, ...raw });
  if (!result.success) {
    return {
      ok: false,
      problems: result.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`),
    };
  }
  return { ok: true, params: result.data };
}
