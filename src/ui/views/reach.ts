/**
 * The reach of PowerPC relative branches, as the engine measures it
 * (`src/toolchain/reach/call-sites.ts`, BRANCH_REACH; a test keeps the two
 * equal). Kept here so the page does not pull the ELF reader into its bundle.
 */
export const BRANCH_REACH: Readonly<Record<string, { forward: number; backward: number }>> = {
  // `bl` (R_PPC64_REL24 / R_PPC_REL24 / R_PPC_PLTREL24): ±32 MiB
  REL24: { forward: 0x1fffffc, backward: 0x2000000 },
  // conditional branches (R_PPC*_REL14*): ±32 KiB
  REL14: { forward: 0x7ffc, backward: 0x8000 },
};

/** The reach a `bl` has, drawn as the limit line and the layout map's bracket. */
export const BL_REACH = BRANCH_REACH.REL24.backward;

export function reachOf(form: string): { forward: number; backward: number } {
  return BRANCH_REACH[form] ?? BRANCH_REACH.REL24;
}

/** Bytes by which a branch of `form` over `distance` (target − site) misses its reach; ≤ 0 when it reaches. */
export function reachMargin(distance: number, form: string): number {
  const reach = reachOf(form);
  return distance < 0 ? -distance - reach.backward : distance - reach.forward;
}

export function isOutOfReach(distance: number, form: string): boolean {
  return reachMargin(distance, form) > 0;
}
