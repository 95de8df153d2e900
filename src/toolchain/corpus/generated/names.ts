/**
 * Function names as numbers: a name is a form (which words in which order)
 * and indices into the word lists, kept in typed-array columns (`NameTable`).
 * The generator handles 150,000 names per corpus; writing their bytes
 * straight from the word lists into each object's string table avoids
 * building and hashing 150,000 JavaScript strings.
 */
import { HEAD_FUNCTIONS, NOUNS, QUALIFIERS, SUBSYSTEMS, VERBS } from './vocabulary.ts';

/**
 * Forms: P prefix, V verb, N noun, Q qualifier; an optional `_Q`, extra
 * `_N` words (a corpus's `nameLength`) and `_<n>` may follow.
 */
export const FORM = {
  /** ext4_get_inode */
  PVN: 0,
  /** ext4_inode_get */
  PNV: 1,
  /** __ext4_get_inode */
  UPVN: 2,
  /** get_inode_locked (qualifier required) */
  VNQ: 3,
  /** ext4_inode_get_locked (qualifier required) */
  PNVQ: 4,
  /** ext4_inode_init */
  PN_INIT: 5,
  /** ext4_init_inode */
  P_INIT_N: 6,
  /** ext4_setup_inode */
  P_SETUP_N: 7,
  /** init_ext4_inode */
  INIT_PN: 8,
  /** ext4_inode_early_init (qualifier required) */
  PNQ_INIT: 9,
  /** A fixed name (head code, start_kernel): the prefix field indexes `LITERALS`. */
  LITERAL: 10,
} as const;

export const LITERALS: readonly string[] = [...HEAD_FUNCTIONS, 'start_kernel'];

const MAX_PREFIXES = 65536;
const MAX_WORDS = 256;
/** Numbered names (`foo_2`) go up to this. */
export const MAX_SUFFIX = 65535;

function put(out: Uint8Array, at: number, token: Uint8Array): number {
  for (let i = 0; i < token.length; i++) out[at + i] = token[i];
  return at + token.length;
}
function us(out: Uint8Array, at: number): number {
  out[at] = 0x5f; // _
  return at + 1;
}
function text(out: Uint8Array, at: number, s: string): number {
  for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  return at + s.length;
}

/** The word lists as bytes, built once per generation (no module state). */
export class Lexicon {
  readonly prefixes: Uint8Array[];
  readonly verbs: Uint8Array[];
  readonly nouns: Uint8Array[];
  readonly quals: Uint8Array[];
  readonly literals: Uint8Array[];
  /** Index of each subsystem's first prefix in `prefixes`. */
  readonly prefixStart: number[];
  constructor() {
    const bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
    this.prefixStart = [];
    const prefixes: string[] = [];
    for (const sub of SUBSYSTEMS) {
      this.prefixStart.push(prefixes.length);
      prefixes.push(...sub.prefixes);
    }
    if (prefixes.length > MAX_PREFIXES || LITERALS.length > MAX_PREFIXES)
      throw new Error('too many prefixes');
    if (VERBS.length > MAX_WORDS || NOUNS.length > MAX_WORDS || QUALIFIERS.length >= MAX_WORDS)
      throw new Error('word lists too long for the name columns');
    this.prefixes = prefixes.map(bytes);
    this.verbs = VERBS.map(bytes);
    this.nouns = NOUNS.map(bytes);
    this.quals = QUALIFIERS.map(bytes);
    this.literals = LITERALS.map(bytes);
  }

  /** Writes a name's bytes at `at` (no terminator); returns the position after them. */
  write(
    form: number,
    prefix: number,
    verb: number,
    noun: number,
    qual: number,
    suffix: number,
    out: Uint8Array,
    at: number,
    tail = 0,
    tailKey = 0,
  ): number {
    const P = this.prefixes[prefix];
    const V = this.verbs[verb];
    const N = this.nouns[noun];
    switch (form) {
      case FORM.PVN:
      case FORM.VNQ:
        if (form === FORM.PVN) at = us(out, put(out, at, P));
        at = put(out, us(out, put(out, at, V)), N);
        break;
      case FORM.PNV:
      case FORM.PNVQ:
        at = put(out, us(out, put(out, us(out, put(out, at, P)), N)), V);
        break;
      case FORM.UPVN:
        at = put(out, us(out, put(out, us(out, put(out, us(out, us(out, at)), P)), V)), N);
        break;
      case FORM.PN_INIT:
        at = text(out, put(out, us(out, put(out, at, P)), N), '_init');
        break;
      case FORM.P_INIT_N:
        at = put(out, text(out, put(out, at, P), '_init_'), N);
        break;
      case FORM.P_SETUP_N:
        at = put(out, text(out, put(out, at, P), '_setup_'), N);
        break;
      case FORM.INIT_PN:
        at = put(out, us(out, put(out, text(out, at, 'init_'), P)), N);
        break;
      case FORM.PNQ_INIT:
        at = put(out, us(out, put(out, us(out, put(out, at, P)), N)), this.quals[qual - 1]);
        at = text(out, at, '_init');
        break;
      case FORM.LITERAL:
        at = put(out, at, this.literals[prefix]);
        break;
      default:
        throw new Error(`bad name form ${form}`);
    }
    if (qual > 0 && form !== FORM.PNQ_INIT) at = put(out, us(out, at), this.quals[qual - 1]);
    for (let i = 0; i < tail; i++) at = put(out, us(out, at), this.nouns[tailNoun(tailKey, i)]);
    if (suffix > 0) at = text(out, us(out, at), String(suffix));
    return at;
  }
}

/**
 * The i-th extra word of a lengthened name: a noun that follows from the
 * function's number alone, so that the words need no column of their own.
 */
function tailNoun(key: number, i: number): number {
  let h = Math.imul(key ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d);
  return ((h ^ (h >>> 12)) >>> 0) % NOUNS.length;
}

/** The names of a corpus's functions, one row per function. */
export class NameTable {
  readonly form: Uint8Array;
  readonly prefix: Uint16Array;
  readonly verb: Uint8Array;
  readonly noun: Uint8Array;
  readonly qual: Uint8Array;
  readonly suffix: Uint16Array;
  /** Extra `_noun` words after the name (0 unless the corpus asks for long names). */
  readonly tail: Uint8Array;
  /** Bytes of each name, without terminator. */
  readonly length: Uint8Array;
  private readonly scratch = new Uint8Array(256);

  constructor(
    readonly lexicon: Lexicon,
    readonly size: number,
  ) {
    this.form = new Uint8Array(size);
    this.prefix = new Uint16Array(size);
    this.verb = new Uint8Array(size);
    this.noun = new Uint8Array(size);
    this.qual = new Uint8Array(size);
    this.suffix = new Uint16Array(size);
    this.tail = new Uint8Array(size);
    this.length = new Uint8Array(size);
  }

  set(f: number, form: number, prefix: number, verb: number, noun: number, qual: number): void {
    this.form[f] = form;
    this.prefix[f] = prefix;
    this.verb[f] = verb;
    this.noun[f] = noun;
    this.qual[f] = qual;
    this.suffix[f] = 0;
    this.tail[f] = 0;
  }

  /**
   * Adds words to name f until it is at least `length` characters long
   * (before any `_<n>` a crowded name gets later).
   */
  lengthen(f: number, length: number): void {
    let end = this.write(f, this.scratch, 0);
    while (end < length && this.tail[f] < 255) {
      end += 1 + this.lexicon.nouns[tailNoun(f, this.tail[f])].length;
      this.tail[f]++;
    }
  }

  /** Writes name f at `at` (no terminator); returns the position after it. */
  write(f: number, out: Uint8Array, at: number): number {
    return this.lexicon.write(
      this.form[f],
      this.prefix[f],
      this.verb[f],
      this.noun[f],
      this.qual[f],
      this.suffix[f],
      out,
      at,
      this.tail[f],
      f,
    );
  }

  toString(f: number): string {
    const end = this.write(f, this.scratch, 0);
    return String.fromCharCode(...this.scratch.subarray(0, end));
  }

  /**
   * Measures name f (stores its length) and returns a 52-bit hash of its
   * text: equal texts, equal hashes; never 0.
   */
  measure(f: number): number {
    const end = this.write(f, this.scratch, 0);
    if (end > 255) throw new Error(`name ${this.toString(f)} is too long`);
    this.length[f] = end;
    let h1 = 0x811c9dc5;
    let h2 = 0x01000193;
    for (let i = 0; i < end; i++) {
      const c = this.scratch[i];
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 + c, 0x5bd1e995) ^ (h2 >>> 15);
    }
    return (h1 >>> 0) * 0x100000 + ((h2 >>> 12) | 1);
  }
}

/**
 * A set of 52-bit hashes (open addressing): which names are taken. A false
 * positive only makes the generator draw another name, so text equality is
 * never missed.
 */
export class HashSet {
  private table: Float64Array;
  private size = 0;
  constructor(expected: number) {
    let capacity = 16;
    while (capacity < expected * 2) capacity *= 2;
    this.table = new Float64Array(capacity);
  }
  has(h: number): boolean {
    const t = this.table;
    const mask = t.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = t[i];
      if (v === h) return true;
      if (v === 0) return false;
    }
  }
  add(h: number): void {
    if ((this.size + 1) * 2 > this.table.length) this.grow();
    const t = this.table;
    const mask = t.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const v = t[i];
      if (v === h) return;
      if (v === 0) {
        t[i] = h;
        this.size++;
        return;
      }
    }
  }
  private grow() {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    this.size = 0;
    for (const v of old) if (v !== 0) this.add(v);
  }
}
