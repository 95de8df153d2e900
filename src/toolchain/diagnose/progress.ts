/**
 * Progress of a diagnosis as one fraction that never goes back, with words
 * for a status line. Each input weighs the same; within an input, reading
 * weighs by bytes and each kallsyms generation by a fixed share (measured
 * on a 160,968-symbol image: reading the tables and listing them take about
 * as long as one generation).
 */
export type DiagnosePhase = 'read' | 'list' | 'kallsyms' | 'linker-symbols' | 'compare';

export interface DiagnoseProgress {
  /** Which input (0 for the first, 1 for the second); null for the comparison. */
  input: number | null;
  phase: DiagnosePhase;
  /** A status line: `reading the symbol table of vmlinux`, `kallsyms latest`, … */
  step: string;
  /** Of the whole diagnosis, 0 … 1, never decreasing. */
  fraction: number;
}

export interface DiagnoseHooks {
  onProgress?: (progress: DiagnoseProgress) => void;
  /** Checked between steps; a worker can also simply be terminated. */
  signal?: AbortSignal;
}

/** Shares of one input's work (they add up to 1). */
export const INPUT_SHARES = { read: 0.3, list: 0.1, kallsyms: 0.5, linkerSymbols: 0.1 } as const;
/** The comparison's share of a two-input diagnosis, against 1 per input. */
const COMPARE_WEIGHT = 0.3;

export interface ProgressReporter {
  /** Reports that `share` (0…1) of `phase` of `input` is done. */
  at(input: number | null, phase: DiagnosePhase, step: string, offset: number, share: number): void;
}

/**
 * `offset` is where the phase starts within its input (0…1) and `share` how
 * far it has got, in input units; the reporter maps that onto the whole.
 */
export function progressReporter(inputs: number, hooks: DiagnoseHooks): ProgressReporter {
  const total = inputs + (inputs === 2 ? COMPARE_WEIGHT : 0);
  let last = 0;
  return {
    at(input, phase, step, offset, share) {
      const base = input === null ? inputs : input;
      const fraction = Math.min(1, Math.max(last, (base + offset + share) / total));
      last = fraction;
      hooks.onProgress?.({ input, phase, step, fraction });
    },
  };
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) {
    throw signal.reason ?? new DOMException('The diagnosis was cancelled', 'AbortError');
  }
}

/** Lets the event loop run (an abort, a progress message) between long steps. */
export async function yieldToLoop(signal: AbortSignal | undefined): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
  throwIfAborted(signal);
}
