import { z } from 'zod';
import { ARCH_IDS } from '../arch/targets.ts';
import {
  DEFAULT_GENERATED_PARAMS,
  generatedCorpusId,
  parseGeneratedCorpusId,
} from '../corpus/generated/params.ts';
import { STRATEGY_IDS } from '../kbuild/strategy.ts';
import { linkerFlagDefines, linkerFlagProblems } from './linker-flags.ts';
import {
  linkerScriptDefines,
  linkerScriptProblems,
  REQUIRED_SCRIPT_SYMBOLS,
} from './linker-script-rules.ts';

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

export const layoutSchema = z
  .object({
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
  })
  .strict();

/**
 * A linker script of the user's own: it may use only the run's own inputs
 * (linker-script-rules.ts says what reaches past them).
 */
export const linkerScriptSchema = z
  .string()
  .max(200_000)
  .superRefine((script, ctx) => {
    for (const message of linkerScriptProblems(script)) ctx.addIssue({ code: 'custom', message });
  });

/**
 * Extra ld.lld flags: only those on the allow-list (linker-flags.ts), in
 * every spelling, each problem reported at its entry.
 */
export const extraLinkerFlagsSchema = z
  .array(z.string().min(1).max(200))
  .max(32)
  .superRefine((flags, ctx) => {
    for (const { index, message } of linkerFlagProblems(flags))
      ctx.addIssue({ code: 'custom', path: [index], message });
  });

export const scenarioSchema = z
  .object({
    corpus: corpusSchema,
    arch: z.enum(ARCH_IDS as unknown as [string, ...string[]]) as z.ZodType<
      (typeof ARCH_IDS)[number]
    >,
    layout: layoutSchema,
    /** A linker script of the user's own, used instead of the template when set. */
    linkerScript: linkerScriptSchema.nullable(),
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
    extraLinkerFlags: extraLinkerFlagsSchema,
  })
  .strict();

export type Scenario = z.infer<typeof scenarioSchema>;

export class ScenarioError extends Error {
  /** Each problem as "field: what is wrong". */
  readonly problems: string[];
  /** What was invalid: "scenario", "scenario file x.json", "permalink", … */
  readonly source: string;
  constructor(problems: string[], source = 'scenario') {
    super(`Invalid ${source}:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ScenarioError';
    this.problems = problems;
    this.source = source;
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

/**
 * Why a valid scenario cannot run, before any link: its own linker script is
 * empty or leaves out a symbol the loop needs (which ld.lld would otherwise
 * report as `undefined symbol: _text` a pass later). Kept apart from the
 * schema because links made before this rule still open as made (the
 * permalink corpus holds one with an empty script): such a scenario opens,
 * and says what to fix when it is run.
 */
export function scenarioRunProblems(scenario: Scenario): string[] {
  const script = scenario.linkerScript;
  if (script === null) return [];
  const needed = REQUIRED_SCRIPT_SYMBOLS.join(', ');
  if (script.trim() === '') {
    return [
      `linkerScript: is empty: write a script that defines ${needed} (as the template does), ` +
        'or use the template (linkerScript null)',
    ];
  }
  const defined = linkerScriptDefines(script, REQUIRED_SCRIPT_SYMBOLS);
  for (const name of linkerFlagDefines(scenario.extraLinkerFlags)) defined.add(name);
  const missing = REQUIRED_SCRIPT_SYMBOLS.filter((name) => !defined.has(name));
  if (missing.length === 0) return [];
  return [
    `linkerScript: does not define ${missing.join(', ')}: the loop needs _text (the table's ` +
      'pointers are relative to it) and _stext, _etext, _sinittext, _einittext (the bounds of core ' +
      'and init text); assign each inside its output section, e.g. "_sinittext = .;", as the template does',
  ];
}

/** Throws ScenarioError when `scenarioRunProblems` has any. */
export function assertRunnable(scenario: Scenario, source = 'scenario'): void {
  const problems = scenarioRunProblems(scenario);
  if (problems.length) throw new ScenarioError(problems, source);
}
