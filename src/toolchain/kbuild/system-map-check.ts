/** One line where the final System.map and the last trial's disagree. */
export interface MapDifference {
  /** 1-based line number in both maps. */
  line: number;
  trial: string | null;
  final: string | null;
}

export interface SystemMapCheck {
  ok: boolean;
  /** The kernel's words when the check fails. */
  message: string | null;
  trialLines: number;
  finalLines: number;
  /** The first differing lines (at most `limit`). */
  differences: MapDifference[];
}

/**
 * link-vmlinux.sh's last step: the System.map of vmlinux must equal the one
 * of the last trial image (v5.9: both filtered; latest: the `.syms` file),
 * byte for byte, else "Inconsistent kallsyms data".
 */
export function compareSystemMaps(trialMap: string, finalMap: string, limit = 10): SystemMapCheck {
  const trial = trialMap.split('\n');
  const final = finalMap.split('\n');
  const differences: MapDifference[] = [];
  if (trialMap !== finalMap) {
    const n = Math.max(trial.length, final.length);
    for (let i = 0; i < n && differences.length < limit; i++) {
      if (trial[i] !== final[i]) {
        differences.push({ line: i + 1, trial: trial[i] ?? null, final: final[i] ?? null });
      }
    }
  }
  const ok = differences.length === 0;
  const count = (lines: string[]) => lines.filter((l) => l !== '').length;
  return {
    ok,
    message: ok
      ? null
      : 'Inconsistent kallsyms data\nTry "make KALLSYMS_EXTRA_PASS=1" as a workaround',
    trialLines: count(trial),
    finalLines: count(final),
    differences,
  };
}
