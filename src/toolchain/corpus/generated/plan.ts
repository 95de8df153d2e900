/**
 * The plan of a generated corpus, independent of the architecture: which
 * objects exist in which link order, which functions each defines (name,
 * binding, body size) and which functions each calls. The object writer
 * turns a plan into bytes for one target; the plan is the same for ppc64le,
 * ppc64 and ppc32, so the three corpora define the same symbols.
 *
 * Functions are numbered in link order (each object's core functions, then
 * its __init functions) and stored as columns of typed arrays: 150,000 of
 * them are planned in a few tens of milliseconds.
 */
import { FORM, HashSet, LITERALS, Lexicon, MAX_SUFFIX, NameTable } from './names.ts';
import { generatedFunctionCount, type GeneratedCorpusParams } from './params.ts';
import { createRandom, subSeed, type Random } from './random.ts';
import {
  HEAD_FUNCTIONS,
  HEAD_OBJECT,
  NOUNS,
  QUALIFIERS,
  SUBSYSTEMS,
  VERBS,
  type Subsystem,
} from './vocabulary.ts';

export interface ObjectPlan {
  /** Name given to the linker, e.g. "fs/ext4/inode.o". */
  name: string;
  /**
   * Section of its core functions: `.head.text` for the head object,
   * `.fixed.text` for the pinned object, else `.text`.
   */
  textSection: '.text' | '.head.text' | '.fixed.text';
  /** Bytes from one core function to the next, when fixed (the pinned functions); else laid out by size and alignment. */
  spacing: number | null;
  /** Its core functions are [textStart, initStart), its __init functions [initStart, end). */
  textStart: number;
  initStart: number;
  end: number;
}

export interface CorpusPlan {
  objects: ObjectPlan[];
  /** Alignment of core functions in bytes; 0: the target's. */
  functionAlign: number;
  /** Per function: its name. */
  names: NameTable;
  /** Per function: 1 for a static (local) function. */
  local: Uint8Array;
  /** Per function: arithmetic instructions in its body (core functions). */
  body: Uint8Array;
  /** Per function: a static helper of the same object it calls directly, or -1. */
  helper: Int32Array;
  /** Function f calls `callee[callStart[f] .. callStart[f + 1])` through relocated `bl`s. */
  callStart: Int32Array;
  callee: Int32Array;
}

/**
 * Splits `total` into whole parts proportional to `weights` (largest
 * remainder), each at least `min` and, if `caps` are given, at most its cap.
 */
export function apportion(
  total: number,
  weights: readonly number[],
  min = 0,
  caps?: readonly number[],
): number[] {
  const n = weights.length;
  const parts = new Array<number>(n).fill(min);
  let left = total - min * n;
  if (left < 0) throw new Error(`cannot give ${min} each to ${n} parts out of ${total}`);
  let open = weights.map((_, i) => i).filter((i) => weights[i] > 0 && (!caps || caps[i] > min));
  while (left > 0 && open.length > 0) {
    const sum = open.reduce((s, i) => s + weights[i], 0);
    // Exact shares of what is left, capped; what the caps refuse goes round again.
    const share = open.map((i) => (weights[i] / sum) * left);
    const give = share.map(Math.floor);
    let given = give.reduce((s, g) => s + g, 0);
    const byRemainder = open
      .map((_, k) => k)
      .sort((a, b) => share[b] - give[b] - (share[a] - give[a]) || a - b);
    for (let j = 0; given < left; j++, given++) give[byRemainder[j % byRemainder.length]]++;
    let refused = 0;
    open.forEach((i, k) => {
      const room = caps ? caps[i] - parts[i] : Infinity;
      const g = Math.min(give[k], room);
      parts[i] += g;
      refused += give[k] - g;
    });
    left = refused;
    open = open.filter((i) => !caps || parts[i] < caps[i]);
  }
  if (left > 0) throw new Error(`caps leave ${left} of ${total} unplaced`);
  return parts;
}

/** Instruction counts of core function bodies: mostly tiny, a few large (as in a real kernel). */
function bodySize(r: Random): number {
  const u = r.next();
  if (u < 0.5) return r.between(1, 3);
  if (u < 0.8) return r.between(4, 7);
  if (u < 0.95) return r.between(8, 15);
  return r.between(16, 39);
}

/** Chance that an __init function's call stays in its own subsystem. */
const OWN_SUBSYSTEM_CALLS = 0.5;
/** Chance that a core global calls some global function (a `.rela.text` entry). */
const CORE_CALLS = 0.2;
/** Chance that a core function calls a static helper of its own file (resolved by the assembler). */
const HELPER_CALLS = 0.3;
/** Share of __init functions that are static (`static int __init foo(void)`). */
const STATIC_INIT = 0.6;
/** The object of the pinned functions and their callers, last in link order when there are any. */
export const PINNED_OBJECT = 'arch/powerpc/kernel/fixed_vectors.o';

/** Draws names that are unique in their scope (whole corpus for globals, one file for statics). */
class Namer {
  private readonly suffixes = new Map<number, number>();
  constructor(
    private readonly names: NameTable,
    private readonly r: Random,
    /** Shortest name of a core function (0: as drawn). */
    private readonly minLength: number,
  ) {}

  /**
   * Gives function f a name of the given kind whose text is in neither
   * `here` nor `everywhere` (when given), and adds it to both.
   */
  unique(
    f: number,
    kind: 'global' | 'static' | 'init',
    p0: number,
    sub: Subsystem,
    here: HashSet,
    everywhere: HashSet | null,
  ): void {
    const names = this.names;
    this.draw(f, kind, p0, sub);
    let h = names.measure(f);
    for (let i = 0; i < 4 && (here.has(h) || (everywhere?.has(h) ?? false)); i++) {
      this.draw(f, kind, p0, sub);
      h = names.measure(f);
    }
    if (here.has(h) || (everywhere?.has(h) ?? false)) {
      // Crowded: number it, as the kernel's own foo_2 are.
      const stem = h;
      let n = this.suffixes.get(stem) ?? 2;
      for (; ; n++) {
        if (n > MAX_SUFFIX)
          throw new Error('name space exhausted: use fewer symbols per subsystem');
        names.suffix[f] = n;
        h = names.measure(f);
        if (!here.has(h) && !(everywhere?.has(h) ?? false)) break;
      }
      this.suffixes.set(stem, n + 1);
    }
    here.add(h);
    everywhere?.add(h);
  }

  private draw(f: number, kind: 'global' | 'static' | 'init', p0: number, sub: Subsystem): void {
    const r = this.r;
    const u = r.next();
    const prefix = p0 + r.below(sub.prefixes.length);
    if (kind === 'global') {
      const form = u < 0.6 ? FORM.PVN : u < 0.85 ? FORM.PNV : FORM.UPVN;
      const verb = r.below(VERBS.length);
      const noun = r.below(NOUNS.length);
      const qual = r.chance(0.4) ? 1 + r.below(QUALIFIERS.length) : 0;
      this.names.set(f, form, prefix, verb, noun, qual);
    } else if (kind === 'static') {
      const form = u < 0.4 ? FORM.UPVN : u < 0.7 ? FORM.VNQ : FORM.PNVQ;
      const verb = r.below(VERBS.length);
      const noun = r.below(NOUNS.length);
      const qual = form === FORM.UPVN && r.chance(0.6) ? 0 : 1 + r.below(QUALIFIERS.length);
      this.names.set(f, form, prefix, verb, noun, qual);
    } else {
      const form =
        u < 0.35
          ? FORM.PN_INIT
          : u < 0.6
            ? FORM.P_INIT_N
            : u < 0.8
              ? FORM.P_SETUP_N
              : u < 0.9
                ? FORM.INIT_PN
                : FORM.PNQ_INIT;
      const noun = r.below(NOUNS.length);
      const qual = form === FORM.PNQ_INIT ? 1 + r.below(QUALIFIERS.length) : 0;
      this.names.set(f, form, prefix, 0, noun, qual);
    }
    if (kind !== 'init' && this.minLength > 0) this.names.lengthen(f, this.minLength);
  }
}

function objectNames(r: Random, sub: Subsystem, count: number, taken: Set<string>): string[] {
  const names: string[] = [];
  for (let k = 0; names.length < count; k++) {
    const stem = k < sub.stems.length ? sub.stems[k] : `${r.pick(sub.prefixes)}_${r.pick(NOUNS)}`;
    const name = `${sub.dir}/${stem.toLowerCase()}.o`;
    if (!taken.has(name)) {
      taken.add(name);
      names.push(name);
    }
  }
  return names;
}

/** A growable Int32Array. */
class IntList {
  data: Int32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Int32Array(Math.max(16, capacity));
  }
  push(v: number) {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = v;
  }
}

export function planCorpus(params: GeneratedCorpusParams): CorpusPlan {
  const layout = createRandom(subSeed(params.seed, 1));
  const naming = createRandom(subSeed(params.seed, 2));
  const calling = createRandom(subSeed(params.seed, 3));

  // Objects per subsystem, then functions and __init functions per object.
  const perSubsystem = apportion(
    params.objects - 1,
    SUBSYSTEMS.map((s) => s.share),
  );
  const subsystemOf: number[] = [];
  const takenObjects = new Set<string>([HEAD_OBJECT]);
  const files: string[] = [];
  SUBSYSTEMS.forEach((sub, i) => {
    for (const file of objectNames(layout, sub, perSubsystem[i], takenObjects)) {
      files.push(file);
      subsystemOf.push(i);
    }
  });
  const functions = apportion(
    params.symbols - HEAD_FUNCTIONS.length,
    subsystemOf.map((s) => (SUBSYSTEMS[s].share / perSubsystem[s]) * (0.4 + 1.2 * layout.next())),
    8,
  );
  const inits = apportion(
    params.initFunctions,
    functions.map((f, o) => f * SUBSYSTEMS[subsystemOf[o]].init),
    0,
    functions.map((f) => Math.floor(f / 2)),
  );

  // Regular functions first, in link order; then the pinned object's, if any.
  const n = generatedFunctionCount(params);
  const lexicon = new Lexicon();
  const names = new NameTable(lexicon, n);
  const namer = new Namer(names, naming, params.nameLength);
  const local = new Uint8Array(n);
  const body = new Uint8Array(n);
  const helper = new Int32Array(n).fill(-1);
  const objects: ObjectPlan[] = [];
  /** Function index of each core global, in link order: the pool calls draw from. */
  const globals = new IntList(n);
  const objectGlobals: Array<[number, number]> = [];
  const usedGlobals = new HashSet(n);

  // The head object: the entry point and early boot code, first in link order.
  let f = 0;
  for (const literal of HEAD_FUNCTIONS) {
    names.set(f, FORM.LITERAL, LITERALS.indexOf(literal), 0, 0, 0);
    usedGlobals.add(names.measure(f));
    body[f] = 2 + layout.below(6);
    f++;
  }
  objects.push({
    name: HEAD_OBJECT,
    textSection: '.head.text',
    spacing: null,
    textStart: 0,
    initStart: f,
    end: f,
  });
  objectGlobals.push([0, 0]);
  let startKernel = -1;

  files.forEach((file, o) => {
    const s = subsystemOf[o];
    const sub = SUBSYSTEMS[s];
    const p0 = lexicon.prefixStart[s];
    const core = functions[o] - inits[o];
    const statics = Math.min(core - 1, Math.round(core * (0.2 + 0.3 * layout.next())));
    // Statics must differ from each other and from this file's globals; globals from every global.
    const usedHere = new HashSet(functions[o]);
    const plan: ObjectPlan = {
      name: file,
      textSection: '.text',
      spacing: null,
      textStart: f,
      initStart: f + core,
      end: f + functions[o],
    };
    const firstGlobal = globals.length;
    let staticsLeft = statics;
    for (let k = 0; k < core; k++, f++) {
      if (layout.next() * (core - k) < staticsLeft) {
        staticsLeft--;
        local[f] = 1;
        namer.unique(f, 'static', p0, sub, usedHere, null);
      } else {
        if (startKernel < 0) {
          startKernel = f;
          names.set(f, FORM.LITERAL, LITERALS.indexOf('start_kernel'), 0, 0, 0);
          const h = names.measure(f);
          usedHere.add(h);
          usedGlobals.add(h);
        } else {
          namer.unique(f, 'global', p0, sub, usedHere, usedGlobals);
        }
        globals.push(f);
      }
      // Drawn even when the size is given, so that the draws after it stay the same.
      body[f] = bodySize(layout);
      if (params.functionBody > 0) body[f] = params.functionBody;
    }
    for (let k = 0; k < inits[o]; k++, f++) {
      const isStatic = layout.chance(STATIC_INIT);
      local[f] = isStatic ? 1 : 0;
      namer.unique(f, 'init', p0, sub, usedHere, isStatic ? null : usedGlobals);
    }
    objects.push(plan);
    objectGlobals.push([firstGlobal, globals.length]);
  });
  if (f !== params.symbols) throw new Error(`planned ${f} functions, expected ${params.symbols}`);
  const globalCount = globals.length;
  const pool = globals.data;

  // Who calls whom. __init code calls core globals, half of the time in its own subsystem,
  // else anywhere, weighted by how often each subsystem is called from init code.
  const cumulative = new Float64Array(objects.length);
  let total = 0;
  objects.forEach((_, o) => {
    const [lo, hi] = objectGlobals[o];
    total += o === 0 ? 0 : (hi - lo) * SUBSYSTEMS[subsystemOf[o - 1]].called;
    cumulative[o] = total;
  });
  const anyWeighted = (): number => {
    const x = calling.next() * total;
    let lo = 0;
    let hi = objects.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] > x) hi = mid;
      else lo = mid + 1;
    }
    const [first, last] = objectGlobals[lo];
    return pool[first + calling.below(last - first)];
  };
  const subsystemGlobals = new Map<number, [number, number]>();
  for (let o = 1; o < objects.length; o++) {
    const s = subsystemOf[o - 1];
    const range = subsystemGlobals.get(s);
    if (range) range[1] = objectGlobals[o][1];
    else subsystemGlobals.set(s, [...objectGlobals[o]]);
  }

  // The pool near the boundary: the first core globals in link order, drawn from a stream of
  // its own, so that each call keeps its target unless the pool takes it. The pool's functions,
  // and the static helpers between them, are leaves: tiny helpers packed as densely as their
  // size and alignment allow, as the kernel's lib/ helpers are.
  const nearCount = Math.min(params.nearTargets, globalCount);
  const poolEnd = nearCount > 0 ? pool[nearCount - 1] + 1 : 0;
  const near = createRandom(subSeed(params.seed, 4));
  const nearShare = params.nearShare / 100;
  const aimed = (target: number) =>
    nearCount > 0 && near.chance(nearShare) ? pool[near.below(nearCount)] : target;

  const callStart = new Int32Array(n + 1);
  const callee = new IntList(
    params.initFunctions * params.callsPerInit + globalCount + params.pinned,
  );
  const helpers = new IntList(1024);
  // Head: start_here calls start_kernel.
  for (let g = 0; g < HEAD_FUNCTIONS.length; g++) {
    callStart[g] = callee.length;
    if (HEAD_FUNCTIONS[g] === 'start_here') callee.push(startKernel);
  }
  for (let o = 1; o < objects.length; o++) {
    const { textStart, initStart, end } = objects[o];
    const [lo, hi] = subsystemGlobals.get(subsystemOf[o - 1])!;
    helpers.length = 0;
    for (let g = textStart; g < initStart; g++) if (local[g]) helpers.push(g);
    for (let g = textStart; g < initStart; g++) {
      callStart[g] = callee.length;
      // Drawn for a leaf too, so that the draws after it stay the same.
      const leaf = g < poolEnd;
      if (!local[g] && calling.chance(CORE_CALLS)) {
        const target = pool[calling.below(globalCount)];
        if (!leaf) callee.push(target);
      }
      if (helpers.length > 0 && calling.chance(HELPER_CALLS)) {
        const h = helpers.data[calling.below(helpers.length)];
        if (h !== g && !leaf) helper[g] = h;
      }
    }
    for (let g = initStart; g < end; g++) {
      callStart[g] = callee.length;
      for (let c = 0; c < params.callsPerInit; c++) {
        callee.push(
          aimed(
            hi > lo && calling.chance(OWN_SUBSYSTEM_CALLS)
              ? pool[lo + calling.below(hi - lo)]
              : anyWeighted(),
          ),
        );
      }
    }
  }
  if (params.pinned > 0) {
    f = planPinned(params, { names, namer, local, body, callStart, callee }, f);
    objects.push({
      name: PINNED_OBJECT,
      textSection: '.fixed.text',
      spacing: params.pinnedSpacing,
      textStart: params.symbols,
      initStart: params.symbols + params.pinned,
      end: f,
    });
  }
  if (f !== n) throw new Error(`planned ${f} functions, expected ${n}`);
  callStart[n] = callee.length;

  return {
    objects,
    functionAlign: params.functionAlign,
    names,
    local,
    body,
    helper,
    callStart,
    callee: callee.data.subarray(0, callee.length),
  };
}

/**
 * The pinned object: `pinned` tiny global functions in `.fixed.text`, one
 * after another `pinnedSpacing` bytes apart, and static __init callers, each
 * calling the next `pinnedCallsPerInit` of them in address order. Named
 * after all other functions, so that the rest of the corpus is the same
 * with or without it.
 */
function planPinned(
  params: GeneratedCorpusParams,
  into: {
    names: NameTable;
    namer: Namer;
    local: Uint8Array;
    body: Uint8Array;
    callStart: Int32Array;
    callee: IntList;
  },
  first: number,
): number {
  const { names, namer, local, body, callStart, callee } = into;
  const s = SUBSYSTEMS.findIndex((sub) => sub.dir === 'arch/powerpc/kernel');
  const sub = SUBSYSTEMS[s];
  const p0 = names.lexicon.prefixStart[s];
  // Unique among every name, statics of other files too: a name defined twice cannot be placed
  // by name, and the loop measures each pinned call by its caller's and its target's names.
  const everywhere = new HashSet(first + params.pinned * 2);
  for (let g = 0; g < first; g++) everywhere.add(names.measure(g));
  const usedHere = new HashSet(params.pinned * 2);
  let f = first;
  for (let k = 0; k < params.pinned; k++, f++) {
    namer.unique(f, 'global', p0, sub, usedHere, everywhere);
    body[f] = 1; // a leaf: one instruction and blr
    callStart[f] = callee.length;
  }
  for (let k = 0; k < params.pinned; k += params.pinnedCallsPerInit, f++) {
    local[f] = 1;
    namer.unique(f, 'init', p0, sub, usedHere, everywhere);
    callStart[f] = callee.length;
    const stop = Math.min(params.pinned, k + params.pinnedCallsPerInit);
    for (let t = k; t < stop; t++) callee.push(first + t);
  }
  return f;
}
