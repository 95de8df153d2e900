/**
 * ld.lld instances made while the worker is idle, so that a Run's links do
 * not each wait for one.
 *
 * @yowasp/clang makes a fresh instance of its 75 MB module for every tool it
 * runs: 9.5 MB of data copied into a new memory and a table of 107k
 * functions filled. In Chromium that measured ~80 ms a link on 2 cores (a
 * trace of five small-converges Runs: 1,350 ms of the worker's 3,541 ms busy
 * was `instantiate`), the largest single part of an idle Run. Making the
 * instance earlier changes nothing the tool sees: an instance does nothing
 * until its command runs, and each prepared one is handed out once, fresh.
 *
 * The package has no hook for this, so, as toolchain-assets.ts does for
 * compiling, this wraps `WebAssembly.instantiate` (the package reads it at
 * every call). The package's glue instantiates four core modules per tool
 * run, in order: a shim with no imports (a table of stubs its last module
 * fills with this run's host functions), then the main module, whose every
 * import is one of the shim's exports, then two more. Nothing about the
 * modules is assumed beyond that shape: it is learnt from the first tool run
 * (which module is the shim, which the main one, and which shim export each
 * import is). A prepared pair is a shim and a main module instantiated
 * against it; the glue is given the pair's shim, and then the pair's main
 * instance only if the imports it asks the main module to get are exactly
 * the functions of that shim (any other call takes the normal path).
 */

type Instantiate = typeof WebAssembly.instantiate;

export interface PreparedInstanceScope {
  WebAssembly: Pick<typeof WebAssembly, 'instantiate'>;
}

export interface PreparedInstances {
  /**
   * Prepares pairs until `size` are waiting, one at a time, giving way (and
   * stopping) as soon as `busy()` says work has come. Nothing to do before
   * the first tool run has shown the modules' shape.
   */
  refill(busy: () => boolean): Promise<void>;
  /** How many pairs are waiting, were made, and were handed to a tool run. */
  stats(): { waiting: number; made: number; used: number; fallbacks: number };
  /** Puts the original `instantiate` back and drops the waiting pairs (tests). */
  uninstall(): void;
}

interface Shape {
  shim: WebAssembly.Module;
  main: WebAssembly.Module;
  /** Each import of the main module: its namespace, its name, and the shim export it is. */
  imports: { module: string; name: string; shimExport: string }[];
}

interface Pair {
  shim: WebAssembly.Instance;
  main: WebAssembly.Instance;
}

/** The exports of an instance of a module without imports (a possible shim), by function. */
interface ShimExport {
  instance: WebAssembly.Instance;
  module: WebAssembly.Module;
  name: string;
}

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Wraps `scope.WebAssembly.instantiate`; pairs are kept until a tool run takes them. */
export function installPreparedInstances(
  scope: PreparedInstanceScope,
  size: number,
): PreparedInstances {
  const original: Instantiate = scope.WebAssembly.instantiate;
  const instantiate = original.bind(scope.WebAssembly) as (
    module: WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => Promise<WebAssembly.Instance>;
  const noImports = new WeakMap<WebAssembly.Module, boolean>();
  const shimExports = new WeakMap<object, ShimExport>();
  /** The shims given to tool runs whose main instance is still to be asked for. */
  const handedShims = new WeakMap<WebAssembly.Instance, Pair>();
  const waiting: Pair[] = [];
  let shape: Shape | null = null;
  let refilling = false;
  /** The pair being made, if one is: whether it was made. */
  let making: Promise<boolean> | null = null;
  let made = 0;
  let used = 0;
  let fallbacks = 0;

  function hasNoImports(module: WebAssembly.Module): boolean {
    let known = noImports.get(module);
    if (known === undefined) {
      known = WebAssembly.Module.imports(module).length === 0;
      noImports.set(module, known);
    }
    return known;
  }

  function noteShim(instance: WebAssembly.Instance, module: WebAssembly.Module): void {
    for (const [name, value] of Object.entries(instance.exports))
      if (typeof value === 'function') shimExports.set(value, { instance, module, name });
  }

  /** The shim instance every import comes from, and which export each is; else null. */
  function importsFromOneShim(module: WebAssembly.Module, imports: WebAssembly.Imports) {
    let from: ShimExport | null = null;
    const mapped: Shape['imports'] = [];
    for (const wanted of WebAssembly.Module.imports(module)) {
      const value = (imports[wanted.module] as Record<string, unknown> | undefined)?.[wanted.name];
      const known = typeof value === 'function' ? shimExports.get(value) : undefined;
      if (!known || (from && known.instance !== from.instance)) return null;
      from = known;
      mapped.push({ module: wanted.module, name: wanted.name, shimExport: known.name });
    }
    return from && { from, mapped };
  }

  function importsOf(shim: WebAssembly.Instance, imports: Shape['imports']): WebAssembly.Imports {
    const out: Record<string, Record<string, WebAssembly.ExportValue>> = {};
    for (const i of imports) (out[i.module] ??= {})[i.name] = shim.exports[i.shimExport];
    return out;
  }

  /** Whether `imports` are exactly what `pair.main` was instantiated with. */
  function matches(pair: Pair, imports: WebAssembly.Imports | undefined): boolean {
    if (!shape || !imports) return false;
    return shape.imports.every(
      (i) =>
        (imports[i.module] as Record<string, unknown> | undefined)?.[i.name] ===
        pair.shim.exports[i.shimExport],
    );
  }

  async function wrapped(
    source: WebAssembly.Module | BufferSource,
    imports?: WebAssembly.Imports,
  ): Promise<unknown> {
    if (!(source instanceof WebAssembly.Module))
      return (original as (s: BufferSource, i?: WebAssembly.Imports) => Promise<unknown>).call(
        scope.WebAssembly,
        source,
        imports,
      );
    // One being made is nearer its end than a new one would be.
    if (shape && source === shape.shim && waiting.length === 0 && making) await making;
    if (shape && source === shape.shim && waiting.length > 0) {
      const pair = waiting.shift()!;
      handedShims.set(pair.shim, pair);
      return pair.shim;
    }
    if (shape && source === shape.main && imports) {
      const first = shape.imports[0];
      const value = (imports[first.module] as Record<string, unknown> | undefined)?.[first.name];
      const shim = typeof value === 'function' ? shimExports.get(value)?.instance : undefined;
      const pair = shim && handedShims.get(shim);
      if (pair) {
        handedShims.delete(shim);
        if (matches(pair, imports)) {
          used++;
          return pair.main;
        }
        fallbacks++;
      }
    }
    const instance = await instantiate(source, imports);
    if (hasNoImports(source)) noteShim(instance, source);
    else if (!shape && imports) {
      const found = importsFromOneShim(source, imports);
      if (found) shape = { shim: found.from.module, main: source, imports: found.mapped };
    }
    return instance;
  }

  async function makePair(known: Shape): Promise<Pair> {
    const shim = await instantiate(known.shim);
    noteShim(shim, known.shim);
    const main = await instantiate(known.main, importsOf(shim, known.imports));
    made++;
    return { shim, main };
  }

  /** Makes a pair and puts it in the queue; a failure only leaves the queue as it was. */
  function produce(known: Shape): Promise<boolean> {
    making = makePair(known)
      .then((pair) => waiting.push(pair) > 0)
      .catch(() => false) // the tool run that needs one instantiates, and reports, as before
      .finally(() => {
        making = null;
      });
    return making;
  }

  (scope.WebAssembly as { instantiate: unknown }).instantiate = wrapped;

  return {
    async refill(busy) {
      if (refilling) return;
      refilling = true;
      try {
        while (shape && waiting.length < size) {
          // A task of its own each: a message that brings work is taken first.
          await nextTask();
          if (busy()) return;
          // A failure is not tried again and again.
          if (!(await (making ?? produce(shape)))) return;
        }
      } finally {
        refilling = false;
      }
    },
    stats: () => ({ waiting: waiting.length, made, used, fallbacks }),
    uninstall() {
      (scope.WebAssembly as { instantiate: unknown }).instantiate = original;
      waiting.length = 0;
    },
  };
}
