import { z } from 'zod';
import { ARCH_IDS } from '../arch/targets.ts';
import {
  DEFAULT_GENERATED_PARAMS,
  generatedCorpusId,
  parseGeneratedCorpusId,
} from '../corpus/generated/params.ts';
import { STRATEGY_IDS } from '../kbuild/strategy.ts';

export const GENERATION_IDS = ['v5.8', 'v5.9', 'latest'] as const;
/** Corpora by fixed id; a generated corpus is named by its id (`generated-v1?…`) instead. */
export const CORPUS_IDS = ['kernel-like'] as const;

/**
 * `kernel-like`, or a generated corpus id, which is read leniently (any
 * order, defaults for what is left out) and kept in its canonical spelling.
 */
export const corpusSchema = z
  .string()
  .max(400)
  .transform((id, ctx) => {
    if ((CORPUS_IDS as readonly string[]).includes(id)) return id;
    if (!id.startsWith('generated-')) {
      ctx.addIssue({
        code: 'custom',
        message: `must be "kernel-like" or a generated corpus id such as "${generatedCorpusId(DEFAULT_GENERATED_PARAMS)}"`,
      });
      return z.NEVER;
    }
    const parsed = parseGeneratedCorpusId(id);
    if (!parsed.ok) {
      for (const message of parsed.problems) ctx.addIssue({ code: 'custom', message });
      return z.NEVER;
    }
    return generatedCorpusId(parsed.params);
  });

const MIB = 1024 * 1024;
/** ld.lld cannot place init text past a 32-bit address space on ppc32; 1 GiB is plenty for teaching. */
export const MAX_GAP_BYTES = 1024 * MIB;
/** The largest init alignment: 256 MiB, far beyond any kernel's. */
export const MAX_ALIGN_BYTES = 256 * MIB;

const isPowerOfTwo = (n: number) => Number.isInteger(n) && n > 0 && (n & (n - 1)) === 0;

/** Flags that would change what the loop itself controls. */
const RESERVED_FLAGS = /^(-o|--output|-T|--script|-Map|--Map|-m)(=|$)/;

export const layoutSchema = z.object({
  /** KERNELBASE, as a hex string so that 64-bit values survive JSON. */
  base: z
    .string()
    .regex(/^0x[0-9a-fA-F]{1,16}$/, 'must be a hex address such as 0xc000000000000000'),
  /** Alignment of the init segment, in bytes: a power of two from 4 bytes to 256 MiB. */
  align: z
    .number()
    .int()
    .refine(isPowerOfTwo, 'must be a power of two')
    .refine(
      (n) => n >= 4 && n <= MAX_ALIGN_BYTES,
      `must be between 4 and ${MAX_ALIGN_BYTES} (256 MiB)`,
    ),
  /** The rest of a big kernel, as an address gap before init text, in bytes. */
  gap: z.number().int().min(0).max(MAX_GAP_BYTES, `must be at most ${MAX_GAP_BYTES} (1 GiB)`),
});

export const scenarioSchema = z
  .object({
    corpus: corpusSchema,
    arch: z.enum(ARCH_IDS as unknown as [string, ...string[]]) as z.ZodType<
      (typeof ARCH_IDS)[number]
    >,
    layout: layoutSchema,
    /** A linker script of the user's own, used instead of the template when set. */
    linkerScript: z.string().max(200_000).nullable(),
    generation: z.enum(GENERATION_IDS),
    /** v5.8/v5.9: --base-relative (offsets) or absolute addresses. latest is always base-relative. */
    baseRelative: z.boolean(),
    allSymbols: z.boolean(),
    /** Drop ld.lld's PPC64 stub names from the table: the fix the kernel lacks. */
    filterLldStubs: z.boolean(),
    strategy: z.enum(STRATEGY_IDS as unknown as [string, ...string[]]) as z.ZodType<
      (typeof STRATEGY_IDS)[number]
    >,
    /** KALLSYMS_EXTRA_PASS=1 */
    extraPass: z.boolean(),
    /** fixpoint's cap on trial links. */
    maxPasses: z.number().int().min(2).max(64),
    extraLinkerFlags: z
      .array(
        z
          .string()
          .min(1)
          .max(200)
          .refine((f) => !RESERVED_FLAGS.test(f), 'is set by the loop itself (-o, -T, -Map, -m)'),
      )
      .max(32),
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  /** Each problem as "field: what is wrong". */
  readonly problems: string[];
  constructor(problems: string[], source = 'scenario') {
    super(`Invalid ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
  }
}

/** A schema's issues as ScenarioError's problems: "field: what is wrong". */
export function issuesOf(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.join('.') : '(top level)';
    return `${field}: ${issue.message}`;
  });
}

/** Validates anything (a parsed JSON file, a decoded permalink) as a scenario. */
export function parseScenario(input: unknown, source = 'scenario'): Scenario {
  const result = scenarioSchema.safeParse(input);
  if (result.success) return result.data;
  throw new ScenarioError(issuesOf(result.error), source);
}
