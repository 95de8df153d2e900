/**
 * An ELF string table laid out exactly as LLVM's `StringTableBuilder` (kind
 * ELF, optimised) lays it out, which is what clang's integrated assembler
 * writes: a leading NUL, then the distinct strings sorted by their reversed
 * bytes in descending order, each string that is a suffix of the one before
 * it stored inside that one (tail merging) instead of on its own.
 */
export class StringTableBuilder {
  readonly #strings = new Map<string, Uint8Array>();
  #offsets: Map<string, number> | undefined;
  #size = 1;
  #order: Uint8Array[] = [];

  add(value: string): void {
    if (this.#offsets) throw new Error('StringTableBuilder: add after finalize');
    if (value !== '' && !this.#strings.has(value)) {
      this.#strings.set(value, new TextEncoder().encode(value));
    }
  }

  finalize(): void {
    if (this.#offsets) return;
    const entries = [...this.#strings.entries()];
    const items = entries.map(([, bytes]) => bytes);
    multikeySort(items, 0, items.length, 0);
    const offsetOf = new Map<Uint8Array, number>();
    let size = 1;
    let previous: Uint8Array | undefined;
    const order: Uint8Array[] = [];
    for (const s of items) {
      if (previous !== undefined && endsWith(previous, s)) {
        offsetOf.set(s, size - s.length - 1);
        continue;
      }
      offsetOf.set(s, size);
      order.push(s);
      size += s.length + 1;
      previous = s;
    }
    const offsets = new Map<string, number>([['', 0]]);
    for (const [value, bytes] of entries) offsets.set(value, offsetOf.get(bytes) as number);
    this.#offsets = offsets;
    this.#size = size;
    this.#order = order;
  }

  get size(): number {
    this.finalize();
    return this.#size;
  }

  offsetOf(value: string): number {
    this.finalize();
    const offset = this.#offsets?.get(value);
    if (offset === undefined) throw new Error(`StringTableBuilder: '${value}' was never added`);
    return offset;
  }

  /** Writes the table into `out` at `at` (the bytes there must be zero). */
  writeInto(out: Uint8Array, at: number): void {
    this.finalize();
    let p = at + 1;
    for (const s of this.#order) {
      out.set(s, p);
      p += s.length + 1;
    }
  }
}

function endsWith(longer: Uint8Array, suffix: Uint8Array): boolean {
  if (suffix.length > longer.length) return false;
  const shift = longer.length - suffix.length;
  for (let i = 0; i < suffix.length; i++) {
    if (longer[shift + i] !== suffix[i]) return false;
  }
  return true;
}

/** The byte `pos` places from the end, or -1 past the start (as LLVM's charTailAt). */
function charTailAt(s: Uint8Array, pos: number): number {
  return pos >= s.length ? -1 : s[s.length - pos - 1];
}

/**
 * LLVM's three-way radix quicksort on reversed strings, descending. The order
 * it yields is total on distinct strings, so this reproduces LLVM's layout
 * whatever order the strings were added in.
 */
function multikeySort(vec: Uint8Array[], begin: number, end: number, pos: number): void {
  for (;;) {
    if (end - begin <= 1) return;
    const pivot = charTailAt(vec[begin], pos);
    let i = begin;
    let j = end;
    for (let k = begin + 1; k < j;) {
      const c = charTailAt(vec[k], pos);
      if (c > pivot) {
        const t = vec[i];
        vec[i++] = vec[k];
        vec[k++] = t;
      } else if (c < pivot) {
        const t = vec[--j];
        vec[j] = vec[k];
        vec[k] = t;
      } else {
        k++;
      }
    }
    multikeySort(vec, begin, i, pos);
    multikeySort(vec, j, end, pos);
    if (pivot === -1) return;
    begin = i;
    end = j;
    pos++;
  }
}
