/**
 * The control flow of each link-loop strategy (spec/link-loop.md), apart
 * from the tools: a strategy decides which trial to link next with which
 * table object, and when to stop. The engine supplies the steps; tests supply
 * scripted ones.
 */
export type StrategyId = 'v5.9' | 'eight-passes' | 'latest' | 'fixpoint';

export const STRATEGY_IDS: readonly StrategyId[] = ['v5.9', 'eight-passes', 'latest', 'fixpoint'];

/** What a strategy needs to know about a table object: the kernel compares sizes, fixpoint bytes. */
export interface TableObjectFacts {
  size: number;
  /** A digest of the object's bytes (fixpoint compares objects, not sizes). */
  digest: string;
}

export interface TrialFacts {
  /** The table object built from this trial image's symbols. */
  object: TableObjectFacts;
}

export interface FinalCheck {
  ok: boolean;
}

/** The tool-driven steps a strategy is made of. */
export interface LoopSteps<
  Obj extends TableObjectFacts,
  Trial extends TrialFacts & { object: Obj },
  Check extends FinalCheck,
> {
  /** `latest` step 0: a table object built from an empty listing. */
  emptyTable(): Promise<Obj>;
  /** Links trial image `pass` with `table` (null: none), lists it and builds the next table object. */
  trial(pass: number, table: Obj | null, why: TrialReason): Promise<Trial>;
  /** Links vmlinux with the last object and compares its System.map with the last trial's. */
  final(table: Obj, lastTrial: Trial): Promise<Check>;
}

/** Why a trial is linked: the words a teacher (or the kernel script's comments) would use. */
export type TrialReason =
  | 'first' // the first trial, to learn the symbols at all
  | 'with-first-table' // the table is now in the image, so everything after it moved
  | 'sizes-differ' // the last two objects differed in size
  | 'extra-pass' // KALLSYMS_EXTRA_PASS asked for one more
  | 'not-identical'; // fixpoint: the last two objects differ in bytes

export type LoopVerdict =
  | { kind: 'converged'; passes: number }
  | { kind: 'inconsistent'; passes: number }
  | { kind: 'not-converged'; passes: number }
  | { kind: 'oscillating'; passes: number; period: number };

export interface StrategyOptions {
  extraPass: boolean;
  /** fixpoint's cap on trial links (eight-passes is always 8). */
  maxPasses: number;
  /** latest and fixpoint-on-latest start from an empty table object. */
  startWithEmptyTable: boolean;
}

export interface StrategyOutcome<Trial, Check> {
  trials: Trial[];
  /** Absent for an oscillating fixpoint, which never reaches a final link. */
  check?: Check;
  verdict: LoopVerdict;
}

export async function runStrategy<
  Obj extends TableObjectFacts,
  Trial extends TrialFacts & { object: Obj },
  Check extends FinalCheck,
>(
  strategy: StrategyId,
  options: StrategyOptions,
  steps: LoopSteps<Obj, Trial, Check>,
): Promise<StrategyOutcome<Trial, Check>> {
  const trials: Trial[] = [];
  const last = () => trials[trials.length - 1];
  const sizesDiffer = () =>
    trials.length >= 2 &&
    trials[trials.length - 1].object.size !== trials[trials.length - 2].object.size;
  const link = async (table: Obj | null, why: TrialReason) => {
    trials.push(await steps.trial(trials.length + 1, table, why));
  };

  const first =
    strategy === 'latest' || (strategy === 'fixpoint' && options.startWithEmptyTable)
      ? await steps.emptyTable()
      : null;
  await link(first, 'first');
  await link(last().object, 'with-first-table');

  const finish = async (converged: boolean): Promise<StrategyOutcome<Trial, Check>> => {
    const check = await steps.final(last().object, last());
    const passes = trials.length;
    if (!converged) return { trials, check, verdict: { kind: 'not-converged', passes } };
    return { trials, check, verdict: { kind: check.ok ? 'converged' : 'inconsistent', passes } };
  };

  switch (strategy) {
    case 'v5.9':
    case 'latest': {
      // A third trial when the sizes moved or the user asked; never a fourth.
      if (sizesDiffer()) await link(last().object, 'sizes-differ');
      else if (options.extraPass) await link(last().object, 'extra-pass');
      // The kernel does not compare again: the final check decides.
      return finish(true);
    }
    case 'eight-passes': {
      while (sizesDiffer() && trials.length < 8) await link(last().object, 'sizes-differ');
      if (sizesDiffer()) return finish(false);
      if (options.extraPass && trials.length < 8) await link(last().object, 'extra-pass');
      return finish(true);
    }
    case 'fixpoint': {
      const seen = new Map<string, number>();
      trials.forEach((t, i) => seen.set(t.object.digest, i));
      while (last().object.digest !== trials[trials.length - 2].object.digest) {
        if (trials.length >= options.maxPasses) return finish(false);
        await link(last().object, 'not-identical');
        const digest = last().object.digest;
        const earlier = seen.get(digest);
        // The loop is deterministic: an object seen before (and not just
        // now) means the same images will follow again forever.
        if (earlier !== undefined && earlier < trials.length - 2) {
          return {
            trials,
            verdict: {
              kind: 'oscillating',
              passes: trials.length,
              period: trials.length - 1 - earlier,
            },
          };
        }
        seen.set(digest, trials.length - 1);
      }
      return finish(true);
    }
  }
}
