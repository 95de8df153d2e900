/**
 * The table's order: by address, and among symbols at the same address the
 * one a backtrace should name first (a strong, ordinary, least-underscored
 * name), so that lookups by address pick it.
 */
import { compareAddr, type SymbolColumns } from './columns.ts';

/** `__start_X`, `__stop_X`, `__end_X`, `__X_start`, `__X_end`: likely from a linker script. */
export function mayBeLinkerScriptProvided(name: string): boolean {
  return linkerLikeSpan(name, 0, name.length);
}

/** mayBeLinkerScriptProvided for the name text[from, to). */
function linkerLikeSpan(text: string, from: number, to: number): boolean {
  if (to - from < 8 || !text.startsWith('__', from)) return false;
  return (
    text.startsWith('start_', from + 2) ||
    text.startsWith('stop_', from + 2) ||
    text.startsWith('end_', from + 2) ||
    text.startsWith('_start', to - 6) ||
    text.startsWith('_end', to - 4)
  );
}

export function leadingUnderscores(name: string): number {
  return underscoresSpan(name, 0, name.length);
}

function underscoresSpan(text: string, from: number, to: number): number {
  let n = from;
  while (n < to && text.charCodeAt(n) === 0x5f) n++;
  return n - from;
}

/**
 * `indices` (into `c`) in table order, a new array; ties that the rules do
 * not break keep input order. `nm -n` lists by address already, so usually
 * only the runs of symbols sharing an address need ordering.
 * The names are looked at only among symbols sharing an address, through
 * one number per symbol (see aliasKey).
 */
export function sortColumns(c: SymbolColumns, indices: Uint32Array): Uint32Array {
  if (!sortedByAddress(c, indices)) return sortColumnsRange(c, indices);
  const out = indices.slice();
  sortAliasRuns(c, out);
  return out;
}

function sortedByAddress(c: SymbolColumns, indices: Uint32Array): boolean {
  for (let k = 1; k < indices.length; k++) {
    if (compareAddr(c, indices[k - 1], indices[k]) > 0) return false;
  }
  return true;
}

/*
 * Small functions, one loop each: this runs once a pass, and V8 compiled
 * one large function with its comparisons inlined again and again over the
 * first passes (~200 ms of compiling at 150k symbols).
 */

function sortAliasRuns(c: SymbolColumns, out: Uint32Array): void {
  const { addrHi, addrLo } = c;
  const n = out.length;
  for (let from = 0; from < n;) {
    let to = from + 1;
    const hi = addrHi[out[from]];
    const lo = addrLo[out[from]];
    while (to < n && addrHi[out[to]] === hi && addrLo[out[to]] === lo) to++;
    if (to - from > 1) sortAliasRun(c, out, from, to);
    from = to;
  }
}

/**
 * The rule's keys at one address as one number, smaller first: weak, then
 * linker-script-like, then leading underscores (fewer than 2^19: names are
 * shorter than KSYM_NAME_LEN).
 */
function aliasKey(c: SymbolColumns, i: number): number {
  const type = c.type[i];
  const from = c.nameStart[i];
  const to = c.nameEnd[i];
  return (
    (type === 0x77 || type === 0x57 ? 1 << 20 : 0) + // w, W
    (linkerLikeSpan(c.text, from, to) ? 1 << 19 : 0) +
    Math.min(underscoresSpan(c.text, from, to), (1 << 19) - 1)
  );
}

/** out[from … to - 1], all at one address, by the rule; ties keep their order. */
function sortAliasRun(c: SymbolColumns, out: Uint32Array, from: number, to: number): void {
  if (to - from > 32) {
    // Not a few aliases (a listing made that way): a sort that stays n log n.
    out.set(sortColumnsRange(c, out.subarray(from, to)), from);
    return;
  }
  const keys: number[] = [];
  for (let k = from; k < to; k++) keys.push(aliasKey(c, out[k]));
  // By insertion (stable), keys moving along.
  for (let k = 1; k < keys.length; k++) {
    const i = out[from + k];
    const key = keys[k];
    let m = k - 1;
    for (; m >= 0 && keys[m] > key; m--) {
      out[from + m + 1] = out[from + m];
      keys[m + 1] = keys[m];
    }
    out[from + m + 1] = i;
    keys[m + 1] = key;
  }
}

/** indices sorted by the full rule (a copy). */
function sortColumnsRange(c: SymbolColumns, indices: Uint32Array): Uint32Array {
  const keyed = Array.from(indices, (i, index) => ({ i, index, key: aliasKey(c, i) }));
  keyed.sort((a, b) => compareAddr(c, a.i, b.i) || a.key - b.key || a.index - b.index);
  return Uint32Array.from(keyed, (k) => k.i);
}
