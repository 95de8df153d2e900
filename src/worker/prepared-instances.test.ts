/**
 * Prepared ld.lld instances (prepared-instances.ts) with the real package
 * in Node: learnt from a first tool run, prepared when idle, each handed to
 * one tool run, and the tools' output the same bytes as with instances made
 * on the spot. The package reads the global `WebAssembly.instantiate`, so the
 * pool is installed there, over a recorder that keeps what the package asked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../toolchain/llvm/tool-error.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { installPreparedInstances, type PreparedInstances } from './prepared-instances.ts';

interface Call {
  module: WebAssembly.Module;
  imports: WebAssembly.Imports | undefined;
  instance: WebAssembly.Instance;
}

const calls: Call[] = [];
const realInstantiate = WebAssembly.instantiate;
/** Set by a test: the recorder awaits it before making an instance (a pair kept in flight). */
let hold: Promise<void> | null = null;
/** Set by a test: the recorder fails instead of making an instance (memory running out). */
let failing = false;
let pool: PreparedInstances;
const toolchain = createWasmToolchain();
const idle = () => false;

// Two symbols and some bytes: enough for ld.lld to write a whole ELF image.
const SCRIPT = 'SECTIONS { .data : { first = .; BYTE(0x5a) . += 0x1000; last = .; BYTE(0xa5) } }';
const link = () =>
  toolchain.run('ld.lld', ['-m', 'elf64lppc', 'image.lds', '-o', '-'], { 'image.lds': SCRIPT });

beforeAll(async () => {
  await toolchain.prefetch();
  (WebAssembly as { instantiate: unknown }).instantiate = async (
    module: WebAssembly.Module,
    imports?: WebAssembly.Imports,
  ) => {
    if (hold) await hold;
    if (failing) throw new RangeError('WebAssembly.instantiate(): Out of memory (a test)');
    const instance = await (realInstantiate as (...a: unknown[]) => Promise<WebAssembly.Instance>)(
      module,
      imports,
    );
    calls.push({ module, imports, instance });
    return instance;
  };
  pool = installPreparedInstances(globalThis, 2);
});

afterAll(() => {
  pool.uninstall();
  WebAssembly.instantiate = realInstantiate;
});

describe('prepared ld.lld instances', () => {
  let reference: Uint8Array;

  it('prepares nothing before a tool run has shown the modules', async () => {
    await pool.refill(idle);
    expect(pool.stats()).toEqual({ waiting: 0, made: 0, used: 0, fallbacks: 0 });
  });

  it('learns from the first tool run, then prepares up to its size when idle', async () => {
    reference = (await link()).stdout;
    expect(reference.subarray(0, 4)).toEqual(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46));
    await pool.refill(idle);
    expect(pool.stats()).toEqual({ waiting: 2, made: 2, used: 0, fallbacks: 0 });
    await pool.refill(idle); // full: nothing more
    expect(pool.stats().made).toBe(2);
  });

  it('hands each prepared pair to one tool run, then makes instances as before: same bytes', async () => {
    const images = [await link(), await link(), await link()].map((r) => r.stdout);
    for (const image of images) expect(image).toEqual(reference);
    expect(pool.stats()).toEqual({ waiting: 0, made: 2, used: 2, fallbacks: 0 });
  });

  it('gives a failing tool on a prepared instance the same error', async () => {
    await pool.refill(idle);
    const failure = await toolchain
      .run('ld.lld', ['-T', 'broken.lds', '-o', 'out'], {
        'broken.lds': 'SECTIONS { .text : { *(.text) } ',
      })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ToolError);
    expect((failure as ToolError).exitCode).toBe(1);
    expect((failure as ToolError).stderr).toMatch(/broken\.lds/);
    expect(pool.stats().used).toBe(3);
    expect((await link()).stdout).toEqual(reference); // the second waiting pair
    expect(pool.stats()).toMatchObject({ waiting: 0, used: 4 });
  });

  it('prepares nothing while the worker is busy', async () => {
    await pool.refill(() => true);
    expect(pool.stats()).toMatchObject({ waiting: 0, made: 4 });
  });

  it('hands a tool run that asks while a pair is being made that pair, not a new one', async () => {
    expect(pool.stats().waiting).toBe(0);
    const { made, used } = pool.stats();
    let release!: () => void;
    hold = new Promise((resolve) => (release = resolve));
    const refilled = pool.refill(idle);
    await new Promise((resolve) => setTimeout(resolve, 10)); // the refill's pair is being made
    const linked = link();
    await new Promise((resolve) => setTimeout(resolve, 10));
    hold = null;
    release();
    expect((await linked).stdout).toEqual(reference);
    await refilled;
    // The run took the pair in flight; the refill then made the queue full again.
    expect(pool.stats()).toMatchObject({ made: made + 3, used: used + 1, waiting: 2 });
  });

  it('stops preparing when an instance cannot be made, and tool runs go on as before', async () => {
    await link();
    await link();
    const { made, used } = pool.stats();
    expect(pool.stats().waiting).toBe(0);
    failing = true;
    try {
      await expect(pool.refill(idle)).resolves.toBeUndefined();
    } finally {
      failing = false;
    }
    expect(pool.stats()).toMatchObject({ waiting: 0, made, used });
    expect((await link()).stdout).toEqual(reference);
  });

  it('gives the main module a fresh instance when its imports are not the handed shim’s', async () => {
    await pool.refill(idle);
    await pool.refill(idle);
    const { waiting, used } = pool.stats();
    expect(waiting).toBe(2);
    const [shimCall, mainCall] = calls; // the first tool run's, made on the spot
    const handed = (await WebAssembly.instantiate(shimCall.module)) as WebAssembly.Instance;
    expect(pool.stats().waiting).toBe(1);
    // The first tool run's imports, but the first of them taken from the handed shim.
    const imports: Record<string, Record<string, unknown>> = {};
    for (const [ns, fields] of Object.entries(mainCall.imports!))
      imports[ns] = { ...(fields as Record<string, unknown>) };
    const [ns, fields] = Object.entries(imports)[0];
    const [name, fn] = Object.entries(fields)[0];
    const exportName = Object.entries(shimCall.instance.exports).find(([, v]) => v === fn)![0];
    fields[name] = handed.exports[exportName];
    expect(imports[ns][name]).not.toBe(fn);
    const main = (await WebAssembly.instantiate(
      mainCall.module,
      imports as WebAssembly.Imports,
    )) as WebAssembly.Instance;
    expect(main).toBeInstanceOf(WebAssembly.Instance);
    expect(pool.stats()).toMatchObject({ used, fallbacks: 1, waiting: 1 });
  });
});
