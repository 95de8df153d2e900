import { BRANCH_REACH, type InitCallSite } from './call-sites.ts';

export interface ReachFacts {
  /** Branches from init text whose target lies in core text. */
  calls: number;
  /** Of those, how many the branch form cannot reach directly (each needs a stub). */
  outOfReach: number;
  /** Distinct core functions that some init branch cannot reach. */
  targetsOutOfReach: number;
  /**
   * target − site in bytes, per call into core text, in the order of
   * `sites` (negative: the target lies below the branch, as core text does).
   */
  distances: number[];
  /** Index into the run's call-site list for each entry of `distances`. */
  siteIndex: number[];
  /** Bytes by which the farthest call misses (positive) or makes (negative) its reach. */
  worstMargin: number;
}

/**
 * Measures every init→core branch against its reach, from the final
 * addresses of the function each branch sits in and of its target. A
 * function name defined more than once in the image (static functions of
 * the same name in two files) cannot be placed by name: its sites are left
 * out rather than guessed.
 */
export function measureReach(
  sites: readonly InitCallSite[],
  symbolAddress: ReadonlyMap<string, bigint>,
  coreText: { start: bigint; end: bigint },
  ambiguousNames: ReadonlySet<string> = new Set(),
): ReachFacts {
  const distances: number[] = [];
  const siteIndex: number[] = [];
  const farTargets = new Set<string>();
  let outOfReach = 0;
  let worstMargin = -Infinity;
  sites.forEach((site, index) => {
    const caller = symbolAddress.get(site.caller);
    const target = symbolAddress.get(site.target);
    if (caller === undefined || target === undefined) return;
    if (ambiguousNames.has(site.caller) || ambiguousNames.has(site.target)) return;
    if (target < coreText.start || target >= coreText.end) return;
    const distance = Number(target - (caller + BigInt(site.callerOffset)));
    const reach = BRANCH_REACH[site.form];
    const margin = distance < 0 ? -distance - reach.backward : distance - reach.forward;
    distances.push(distance);
    siteIndex.push(index);
    if (margin > worstMargin) worstMargin = margin;
    if (margin > 0) {
      outOfReach++;
      farTargets.add(site.target);
    }
  });
  return {
    calls: distances.length,
    outOfReach,
    targetsOutOfReach: farTargets.size,
    distances,
    siteIndex,
    worstMargin: distances.length ? worstMargin : 0,
  };
}
