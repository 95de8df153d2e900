/**
 * The table's order: by address, and among symbols at the same address the
 * one a backtrace should name first (a strong, ordinary, least-underscored
 * name), so that lookups by address pick it.
 */
import { compareAddr, nameOf, type SymbolColumns } from './columns.ts';
import type { ListingSymbol } from './listing.ts';

const isWeak = (type: string): boolean => type === 'w' || type === 'W';

/** `__start_X`, `__stop_X`, `__end_X`, `__X_start`, `__X_end`: likely from a linker script. */
export function mayBeLinkerScriptProvided(name: string): boolean {
  if (name.length < 8 || !name.startsWith('__')) return false;
  return (
    name.startsWith('start_', 2) ||
    name.startsWith('stop_', 2) ||
    name.startsWith('end_', 2) ||
    name.endsWith('_start') ||
    name.endsWith('_end')
  );
}

export function leadingUnderscores(name: string): number {
  let n = 0;
  while (n < name.length && name.charCodeAt(n) === 0x5f) n++;
  return n;
}

/** Which of two symbols at one address comes first: < 0 for `a` (the rule's keys, in order). */
function compareAtAddress(
  a: Pick<ListingSymbol, 'type' | 'name'>,
  b: Pick<ListingSymbol, 'type' | 'name'>,
): number {
  return (
    (isWeak(a.type) ? 1 : 0) - (isWeak(b.type) ? 1 : 0) ||
    (mayBeLinkerScriptProvided(a.name) ? 1 : 0) - (mayBeLinkerScriptProvided(b.name) ? 1 : 0) ||
    leadingUnderscores(a.name) - leadingUnderscores(b.name)
  );
}

/** Sorts a copy; ties that the rules do not break keep input order. */
export function sortSymbols(symbols: readonly ListingSymbol[]): ListingSymbol[] {
  // `nm -n` lists by address already, so usually only the symbols sharing an
  // address need ordering: sort just those runs (the order is total, so the
  // result is the same as sorting everything).
  for (let i = 1; i < symbols.length; i++) {
    if (symbols[i - 1].addr > symbols[i].addr) return sortRange(symbols, 0, symbols.length);
  }
  const out = symbols.slice();
  for (let from = 0; from < out.length;) {
    let to = from + 1;
    while (to < out.length && out[to].addr === out[from].addr) to++;
    if (to - from > 32) {
      // Not a few aliases (a listing made that way): a sort that stays n log n.
      const run = sortRange(out, from, to);
      for (let k = 0; k < run.length; k++) out[from + k] = run[k];
      from = to;
      continue;
    }
    // A few aliases: sorted in place, by insertion (stable: ties keep input order).
    for (let k = from + 1; k < to; k++) {
      const s = out[k];
      let m = k - 1;
      for (; m >= from && compareAtAddress(out[m], s) > 0; m--) out[m + 1] = out[m];
      out[m + 1] = s;
    }
    from = to;
  }
  return out;
}

/** symbols[from … to - 1], sorted by the full rule. */
function sortRange(symbols: readonly ListingSymbol[], from: number, to: number): ListingSymbol[] {
  const keyed = symbols.slice(from, to).map((s, index) => ({
    s,
    index,
    weak: isWeak(s.type) ? 1 : 0,
    linker: mayBeLinkerScriptProvided(s.name) ? 1 : 0,
    underscores: leadingUnderscores(s.name),
  }));
  keyed.sort((a, b) => {
    if (a.s.addr !== b.s.addr) return a.s.addr < b.s.addr ? -1 : 1;
    return (
      a.weak - b.weak || a.linker - b.linker || a.underscores - b.underscores || a.index - b.index
    );
  });
  return keyed.map((k) => k.s);
}

/**
 * sortSymbols for columns: `indices` (into `c`) in table order, a new array.
 * The names are looked at only among symbols sharing an address.
 */
export function sortColumns(c: SymbolColumns, indices: Uint32Array): Uint32Array {
  const n = indices.length;
  for (let k = 1; k < n; k++) {
    if (compareAddr(c, indices[k - 1], indices[k]) > 0) return sortColumnsRange(c, indices);
  }
  const out = indices.slice();
  const { addrHi, addrLo } = c;
  for (let from = 0; from < n;) {
    let to = from + 1;
    const hi = addrHi[out[from]];
    const lo = addrLo[out[from]];
    while (to < n && addrHi[out[to]] === hi && addrLo[out[to]] === lo) to++;
    if (to - from > 32) {
      out.set(sortColumnsRange(c, out.subarray(from, to)), from);
    } else if (to - from > 1) {
      // A few aliases: sorted by insertion (stable: ties keep input order).
      for (let k = from + 1; k < to; k++) {
        const i = out[k];
        let m = k - 1;
        for (; m >= from && compareColumnsAtAddress(c, out[m], i) > 0; m--) out[m + 1] = out[m];
        out[m + 1] = i;
      }
    }
    from = to;
  }
  return out;
}

function compareColumnsAtAddress(c: SymbolColumns, i: number, j: number): number {
  return compareAtAddress(
    { type: String.fromCharCode(c.type[i]), name: nameOf(c, i) },
    { type: String.fromCharCode(c.type[j]), name: nameOf(c, j) },
  );
}

/** indices sorted by the full rule (a copy). */
function sortColumnsRange(c: SymbolColumns, indices: Uint32Array): Uint32Array {
  const keyed = Array.from(indices, (i, index) => {
    const type = String.fromCharCode(c.type[i]);
    const name = nameOf(c, i);
    return {
      i,
      index,
      weak: isWeak(type) ? 1 : 0,
      linker: mayBeLinkerScriptProvided(name) ? 1 : 0,
      underscores: leadingUnderscores(name),
    };
  });
  keyed.sort(
    (a, b) =>
      compareAddr(c, a.i, b.i) ||
      a.weak - b.weak ||
      a.linker - b.linker ||
      a.underscores - b.underscores ||
      a.index - b.index,
  );
  return Uint32Array.from(keyed, (k) => k.i);
}
