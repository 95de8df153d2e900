/**
 * The worker's logic (everything but the comlink shell) with the real
 * WebAssembly toolchain and the committed corpus, in Node.
 */
import { describe, expect, it } from 'vitest';
import type { CorpusSource } from '../toolchain/corpus/corpus-source.ts';
import { loadManifest } from '../toolchain/corpus/load-corpus.ts';
import type { CorpusProgress } from '../toolchain/corpus/obtain-corpus.ts';
import { nodeCorpusSource } from '../toolchain/corpus/node-source.ts';
import { runRecordSchema, type PassRecord } from '../toolchain/kbuild/records.ts';
import { createWasmToolchain } from '../toolchain/llvm/wasm-toolchain.ts';
import { PAGE_CEILING } from '../toolchain/scenario/cost.ts';
import { scenarioLinkerScript } from '../toolchain/scenario/loop-config.ts';
import { findPreset } from '../toolchain/scenario/presets.ts';
import type { InitProgress } from './api.ts';
import { createToolchainService, type PrefetchingToolchain } from './toolchain-service.ts';

/** The Node corpus, counting reads per path. */
function countingSource(inner: CorpusSource = nodeCorpusSource()) {
  const reads = new Map<string, number>();
  const source: CorpusSource = {
    readFile(path, expectedSha256) {
      reads.set(path, (reads.get(path) ?? 0) + 1);
      // Every object is read with the manifest's checksum, so a source may answer from cache.
      if (path !== 'manifest.json' && !/^[0-9a-f]{64}$/.test(expectedSha256 ?? ''))
        throw new Error(`${path} read without its checksum`);
      return inner.readFile(path, expectedSha256);
    },
  };
  return { source, reads };
}

const smallConverges = findPreset('small-converges')!.scenario;
const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the toolchain worker logic, with the real WebAssembly toolchain', () => {
  const { source, reads } = countingSource();
  const service = createToolchainService({
    createToolchain: (onFetchProgress) => createWasmToolchain({ onFetchProgress }),
    corpus: source,
  });

  it('initialises once, reporting download then compile (the manifest, a local file, is there by then)', async () => {
    const progress: InitProgress[] = [];
    const started = performance.now();
    const info = await service.init((p) => void progress.push({ ...p }));
    console.info(
      `init in Node: ${(performance.now() - started).toFixed(0)} ms (${info.ms.toFixed(0)} ms reported)`,
    );

    // Ready without running a tool; the linker's version line is asked for after.
    // One shape before and after: the linker's own version joins it, the package's stays apart.
    expect(info.toolchainVersion).toBe(
      'ld.lld (WebAssembly, from @yowasp/clang 22.0.0-git20542-10)',
    );
    expect(await service.toolchainVersion()).toMatch(
      /^ld\.lld 22\.\d+\.\d+ \(WebAssembly, from @yowasp\/clang 22\.0\.0-git20542-10\)$/,
    );
    const phases = progress.map((p) => p.phase).filter((p, i, all) => p !== all[i - 1]);
    expect(phases).toEqual(['download', 'compile']);
    const downloads = progress.filter((p) => p.phase === 'download' && p.totalBytes > 0);
    // In Node each file arrives as one chunk; a browser streams many, throttled to ≤ 200 reports.
    expect(downloads.length).toBeGreaterThanOrEqual(1);
    expect(downloads.length).toBeLessThanOrEqual(201);
    expect(progress.at(-1)!.doneBytes).toBe(progress.at(-1)!.totalBytes);
    expect(progress.at(-1)!.totalBytes).toBeGreaterThan(100_000_000);

    // Idempotent: the same result, and a late caller is told it is ready.
    const again: InitProgress[] = [];
    expect(await service.init((p) => void again.push(p))).toBe(info);
    expect(again.map((p) => p.phase)).toEqual(['ready']);
    expect(reads.get('manifest.json')).toBe(1);
  });

  it('runs a preset, streaming each pass in order and waiting for onPass before the next link', async () => {
    const streamed: PassRecord[] = [];
    let openGate: () => void = () => {};
    const started = performance.now();
    const running = service.run(smallConverges, (pass) => {
      streamed.push(pass);
      if (pass.pass !== 1) return;
      // Hold the loop after the first pass, as Step mode does.
      return new Promise<void>((resolve) => (openGate = resolve));
    });
    while (streamed.length === 0) await tick(10);
    await tick(300);
    expect(streamed.map((p) => p.pass)).toEqual([1]);
    openGate();
    const record = await running;
    const toolMs = record.passes.reduce((sum, p) => sum + p.timings.link + p.timings.listing, 0);
    console.info(
      `small-converges in Node: ${(performance.now() - started - 300).toFixed(0)} ms without the held 300 ms; ld.lld + llvm-nm ${toolMs.toFixed(0)} ms`,
    );

    expect(record.verdict).toMatchObject({ kind: 'converged', passes: 2 });
    expect(streamed.map((p) => `${p.pass}:${p.step}`)).toEqual(['1:trial', '2:trial', '3:vmlinux']);
    expect(record.passes).toEqual(streamed);
    expect(record.toolchain).toBe('wasm');
    // What crosses to the page: plain data the schema accepts, and no buffers.
    expect(runRecordSchema.parse(structuredClone(record))).toEqual(record);
    expect(JSON.stringify(record)).not.toMatch(/"0":\d+,"1":\d+/);
  });

  it('keeps the corpus objects of an arch between runs', async () => {
    const objectReads = () =>
      [...reads].filter(([path]) => path.startsWith('ppc64le/')).map(([, n]) => n);
    const before = objectReads();
    expect(before.length).toBeGreaterThan(10);
    expect(before.every((n) => n === 1)).toBe(true);
    await service.run(smallConverges, () => {});
    expect(objectReads()).toEqual(before);
  });

  /** A service whose toolchain counts the loop's links (ld.lld with a linker script). */
  function linkCounting() {
    const counter = { links: 0 };
    const service = createToolchainService({
      createToolchain: (onFetchProgress) => {
        const wasm = createWasmToolchain({ onFetchProgress });
        return {
          ...wasm,
          run(tool, args, files) {
            if (tool === 'ld.lld' && args.includes('-T')) counter.links++;
            return wasm.run(tool, args, files);
          },
        };
      },
      corpus: nodeCorpusSource(),
    });
    return { service, counter };
  }

  it('prepares for a scenario by running its loop once; a run of it afterwards gets that loop’s record', async () => {
    const { service: counting, counter } = linkCounting();
    await counting.prepare(smallConverges);
    // Two trial passes and vmlinux, as the run itself would link.
    expect(counter.links).toBe(3);
    const streamed: string[] = [];
    const record = await counting.run(smallConverges, (pass) => {
      streamed.push(`${pass.pass}:${pass.step}`);
    });
    expect(counter.links).toBe(3);
    expect(record.verdict).toMatchObject({ kind: 'converged', passes: 2 });
    expect(streamed).toEqual(['1:trial', '2:trial', '3:vmlinux']);
    // Once only: the next run links again, and so does a run after another scenario's.
    await counting.run(smallConverges, () => {});
    expect(counter.links).toBe(6);
    await counting.prepare(smallConverges);
    const other = { ...smallConverges, layout: { ...smallConverges.layout, gap: 9 << 20 } };
    await counting.run(other, () => {});
    await counting.run(smallConverges, () => {});
    expect(counter.links).toBe(15);
  });

  it('lets a run of the warm-up’s scenario take the warm-up over: its passes, in order, and its record', async () => {
    const { service: counting, counter } = linkCounting();
    await counting.init(() => {});
    const preparing = counting.prepare(smallConverges);
    // Run pressed once the warm-up has measured its first pass.
    const firstLinked = new Promise<void>((resolve) => {
      const poll = () => (counter.links >= 2 ? resolve() : setTimeout(poll, 1));
      poll();
    });
    await firstLinked;
    const streamed: string[] = [];
    const record = await counting.run(smallConverges, (pass) => {
      streamed.push(`${pass.pass}:${pass.step}`);
    });
    await preparing;
    expect(record.verdict).toMatchObject({ kind: 'converged', passes: 2 });
    // One loop, not two: the run is the warm-up's, from its first pass.
    expect(counter.links).toBe(3);
    expect(streamed).toEqual(['1:trial', '2:trial', '3:vmlinux']);
    expect(record.passes.map((p) => `${p.pass}:${p.step}`)).toEqual(streamed);
  });

  it('holds a taken-over warm-up at each pass the page holds (Step), and stops it when cancelled', async () => {
    const { service: counting, counter } = linkCounting();
    await counting.init(() => {});
    const preparing = counting.prepare(smallConverges);
    await tick(1);
    let openGate: () => void = () => {};
    const streamed: number[] = [];
    const running = counting.run(smallConverges, (pass) => {
      streamed.push(pass.pass);
      return new Promise<void>((resolve) => (openGate = resolve));
    });
    while (streamed.length === 0) await tick(10);
    await tick(300);
    expect(streamed).toEqual([1]);
    expect(counter.links).toBe(1); // held after the first pass, as a run would be
    openGate();
    while (streamed.length < 2) await tick(10);
    counting.cancelRun();
    openGate();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    await preparing;
    expect(streamed).toEqual([1, 2]);
    expect(counter.links).toBe(2);
  });

  it('passes the page’s failure on a taken-over pass back unchanged', async () => {
    const { service: counting } = linkCounting();
    await counting.init(() => {});
    const preparing = counting.prepare(smallConverges);
    await tick(1);
    const pageError = new Error('the page could not show the pass');
    await expect(
      counting.run(smallConverges, () => {
        throw pageError;
      }),
    ).rejects.toBe(pageError);
    await preparing;
  });

  it('stops a warm-up at its next pass for a run of another scenario, which runs after it', async () => {
    const { service: counting, counter } = linkCounting();
    await counting.init(() => {});
    const preparing = counting.prepare(smallConverges);
    await tick(1); // the warm-up is under way
    const other = { ...smallConverges, layout: { ...smallConverges.layout, gap: 9 << 20 } };
    const streamed: number[] = [];
    const record = await counting.run(other, (pass) => void streamed.push(pass.pass));
    await preparing;
    expect(record.verdict).toMatchObject({ kind: 'converged', passes: 2 });
    expect(streamed).toEqual([1, 2, 3]);
    // The warm-up stopped early: fewer than 3 of its links happened before the run's 3.
    expect(counter.links).toBeGreaterThanOrEqual(3);
    expect(counter.links).toBeLessThan(6);
  });

  it('prepares for a generated corpus by making it, and runs it', async () => {
    const scenario = {
      ...smallConverges,
      corpus: 'generated-v1?symbols=4000&objects=40&initFunctions=200',
    };
    await service.prepare(scenario);
    const record = await service.run(scenario, () => {});
    expect(record.passes[0].link.inputs.length).toBe(40 + 1);
    expect(record.verdict.kind).toBe('converged');
  });

  it('reports a generated corpus being made before the first link, a few times per stage', async () => {
    const scenario = {
      ...smallConverges,
      corpus: 'generated-v1?seed=3&symbols=4000&objects=40&initFunctions=200',
    };
    const events: string[] = [];
    const progress: CorpusProgress[] = [];
    const record = await service.run(
      scenario,
      (pass) => void events.push(`pass ${pass.pass}`),
      (p) => {
        progress.push(p);
        events.push(p.stage);
      },
    );
    expect(record.verdict.kind).toBe('converged');
    const stages = progress.map((p) => p.stage).filter((p, i, all) => p !== all[i - 1]);
    expect(stages).toEqual(['plan', 'write', 'checksum']);
    expect(progress.at(-1)).toEqual({ stage: 'checksum', done: 40, total: 40 });
    // Throttled: each stage's start and end and every 5 % between, not one report per object.
    expect(progress.filter((p) => p.stage === 'write').length).toBeLessThanOrEqual(22);
    expect(events.indexOf('pass 1')).toBeGreaterThan(events.lastIndexOf('checksum'));
  });

  it('keeps one generated corpus: making another lets the last go (a knob sweep makes one per step)', async () => {
    const corpus = (seed: number) => ({
      ...smallConverges,
      corpus: `generated-v1?seed=${seed}&symbols=2000&objects=16&initFunctions=100`,
    });
    const made = async (seed: number) => {
      let reports = 0;
      await service.run(
        corpus(seed),
        () => {},
        () => void reports++,
      );
      return reports > 0;
    };
    expect(await made(11)).toBe(true);
    expect(await made(11)).toBe(false); // kept between runs
    expect(await made(12)).toBe(true);
    expect(await made(11)).toBe(true); // let go when 12 was made: made again
    // The committed corpus stays whatever is made: no object of it is read again.
    const before = [...reads].filter(([path]) => path.startsWith('ppc64le/')).map(([, n]) => n);
    await service.run(smallConverges, () => {});
    expect([...reads].filter(([path]) => path.startsWith('ppc64le/')).map(([, n]) => n)).toEqual(
      before,
    );
  });

  it('stops a run at its next pass boundary when cancelled, and runs the next one', async () => {
    const streamed: number[] = [];
    const running = service.run(findPreset('never-converges')!.scenario, (pass) => {
      streamed.push(pass.pass);
      if (pass.pass === 2) service.cancelRun();
    });
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    // never-converges links 16 trials; it stopped right after the pass that asked.
    expect(streamed).toEqual([1, 2]);
    const record = await service.run(smallConverges, () => {});
    expect(record.verdict).toMatchObject({ kind: 'converged', passes: 2 });
  });

  it('prepares without complaint for a scenario it cannot run: the run says what is wrong', async () => {
    await expect(service.prepare({ nonsense: true })).resolves.toBeUndefined();
    await expect(
      service.prepare({ ...smallConverges, corpus: 'generated-v1?symbols=5' }),
    ).resolves.toBeUndefined();
    await expect(
      service.run({ ...smallConverges, corpus: 'generated-v1?symbols=5' }, () => {}),
    ).rejects.toThrow(/symbols/);
  });

  it('rejects an invalid scenario with the field named, before linking anything', async () => {
    const scenario = { ...smallConverges, layout: { ...smallConverges.layout, gap: -1 } };
    const failure = service.run(scenario, () => {
      throw new Error('no pass expected');
    });
    await expect(failure).rejects.toMatchObject({ name: 'ScenarioError' });
    await expect(failure).rejects.toThrow(/layout\.gap: /);
    await expect(service.run('nonsense', () => {})).rejects.toThrow(/Invalid scenario/);
  });

  it('reports a linker failure as the link-failed verdict, not as an error', async () => {
    const record = await service.run(
      // Defines the symbols the loop needs (else it is refused before linking), then breaks off.
      {
        ...smallConverges,
        linkerScript:
          '_text = 0; _stext = 0; _etext = 0; _sinittext = 0; _einittext = 0;\nSECTIONS { .text : { *(.text) } ',
      },
      () => {},
    );
    expect(record.verdict).toMatchObject({ kind: 'link-failed', tool: 'ld.lld' });
  });
});

describe('the toolchain worker logic, failing', () => {
  /** Instant stand-in: these tests are about the errors, not about linking. */
  const fakeToolchain = (prefetch = async () => {}): PrefetchingToolchain => ({
    kind: 'wasm',
    prefetch,
    async run() {
      return {
        files: {},
        stdout: new TextEncoder().encode('LLD 22.1.0 (compatible with GNU linkers)\n'),
        stderr: '',
        ms: 0,
      };
    },
  });

  it('names the corpus file it could not read, and retries it on the next run', async () => {
    let broken = true;
    const node = nodeCorpusSource();
    const service = createToolchainService({
      createToolchain: () => fakeToolchain(),
      corpus: {
        readFile: (path) =>
          broken && path.endsWith('.o')
            ? Promise.reject(new Error(`${path}: HTTP 404`))
            : node.readFile(path),
      },
      packageVersion: async () => 'test',
    });
    await expect(service.run(smallConverges, () => {})).rejects.toThrow(
      /^The ppc64le corpus could not be loaded: .*\.o: HTTP 404/,
    );
    broken = false;
    // The fake linker makes no image: the loop stops, but past the corpus (with the verdict
    // for output that is not an image).
    await expect(service.run(smallConverges, () => {})).resolves.toMatchObject({
      verdict: { kind: 'link-failed', message: expect.stringMatching(/not an ELF image/) },
    });
  });

  it('says the toolchain could not be started, and can be initialised again', async () => {
    let attempts = 0;
    const service = createToolchainService({
      createToolchain: () =>
        fakeToolchain(async () => {
          if (++attempts === 1) throw new TypeError('Failed to fetch');
        }),
      corpus: nodeCorpusSource(),
      packageVersion: async () => 'test',
    });
    await expect(service.init(() => {})).rejects.toThrow(
      'The toolchain could not be started: Failed to fetch',
    );
    await expect(service.init(() => {})).resolves.toMatchObject({
      toolchainVersion: 'ld.lld (WebAssembly, from @yowasp/clang test)',
    });
  });

  /** A ready service over the fake toolchain that records each tool it runs ("ld.lld", "ld.lld --version"). */
  async function recordingService() {
    const calls: string[] = [];
    const toolchain = fakeToolchain();
    const service = createToolchainService({
      createToolchain: () => ({
        ...toolchain,
        async run(tool, args, files) {
          calls.push([tool, ...args.filter((a) => a === '--version')].join(' '));
          return toolchain.run(tool, args, files);
        },
      }),
      corpus: nodeCorpusSource(),
      packageVersion: async () => 'test',
    });
    await service.init(() => {});
    return { service, calls };
  }

  it('runs ld.lld --version only after the warm-up asked for before it (a label can wait, a Run should not)', async () => {
    const { service, calls } = await recordingService();
    const warmUp = service.prepare(smallConverges);
    const version = service.toolchainVersion();
    await Promise.all([warmUp, version]);
    // The warm-up linked first (and failed on the fake's empty image: a warm-up never reports).
    expect(calls[0]).toBe('ld.lld');
    expect(calls.at(-1)).toBe('ld.lld --version');
    expect(calls.filter((c) => c === 'ld.lld --version')).toHaveLength(1);
  });

  it('lets a run asked for after the version go first', async () => {
    const { service, calls } = await recordingService();
    const version = service.toolchainVersion();
    const run = service.run(smallConverges, () => {}).catch(() => {}); // the fake's image fails it
    await Promise.all([version, run]);
    expect(calls[0]).toBe('ld.lld');
    expect(calls.at(-1)).toBe('ld.lld --version');
  });

  it('reads the default scenario’s corpus while the toolchain compiles (its bytes all there), not after ready', async () => {
    let compiled!: () => void;
    const compiling = new Promise<void>((resolve) => (compiled = resolve));
    let arrive!: () => void;
    const arriving = new Promise<void>((resolve) => (arrive = resolve));
    const { source, reads } = countingSource();
    const service = createToolchainService({
      createToolchain: (onFetchProgress) =>
        fakeToolchain(async () => {
          onFetchProgress({ doneLength: 50, totalLength: 100 });
          await arriving;
          onFetchProgress({ doneLength: 100, totalLength: 100 });
          await compiling;
        }),
      corpus: source,
      packageVersion: async () => 'test',
    });
    const ready = service.init(() => {});
    const objects = () => [...reads.keys()].filter((path) => path.startsWith('ppc64le/'));
    // Not while the bytes stream in: this thread hands them to the compiler.
    await tick(100);
    expect(objects()).toEqual([]);
    arrive();
    while (objects().length === 0) await tick(10);
    // Every object of the default scenario's arch, before the toolchain is even compiled.
    const manifest = await loadManifest(nodeCorpusSource());
    await expect.poll(() => objects().length).toBe(manifest.archs.ppc64le.objects.length);
    compiled();
    await ready;
    // A run of it reads none again.
    await service.run(smallConverges, () => {}).catch(() => {}); // the fake's image fails it
    expect([...reads].filter(([p, n]) => p.startsWith('ppc64le/') && n !== 1)).toEqual([]);
    expect(smallConverges.arch).toBe('ppc64le');
  });

  it('says it is reading the corpus when the manifest is still on its way once the toolchain is compiled', async () => {
    let arrive!: () => void;
    const gate = new Promise<void>((resolve) => (arrive = resolve));
    const node = nodeCorpusSource();
    const service = createToolchainService({
      createToolchain: () => fakeToolchain(),
      corpus: {
        readFile: async (path) => {
          if (path === 'manifest.json') await gate;
          return node.readFile(path);
        },
      },
      packageVersion: async () => 'test',
    });
    const progress: InitProgress[] = [];
    const ready = service.init((p) => void progress.push({ ...p }));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(progress.map((p) => p.phase)).toEqual(['download', 'corpus']);
    arrive();
    await ready;
    expect(progress.map((p) => p.phase)).toEqual(['download', 'corpus']);
  });

  it('reads the linker’s version once, by running it, and tries again after a failure', async () => {
    let runs = 0;
    const toolchain = fakeToolchain();
    const service = createToolchainService({
      createToolchain: () => ({
        ...toolchain,
        async run(tool, args, files) {
          if (++runs === 1) throw new Error('instantiation failed');
          expect([tool, ...args]).toEqual(['ld.lld', '--version']);
          return toolchain.run(tool, args, files);
        },
      }),
      corpus: nodeCorpusSource(),
      packageVersion: async () => 'test',
    });
    await expect(service.toolchainVersion()).rejects.toThrow('instantiation failed');
    const version = 'ld.lld 22.1.0 (WebAssembly, from @yowasp/clang test)';
    await expect(service.toolchainVersion()).resolves.toBe(version);
    await expect(service.toolchainVersion()).resolves.toBe(version);
    expect(runs).toBe(2);
  });

  /** small-converges with its template and a fill of `size` (a linker-script expression) in the text segment. */
  const filled = (size: string) => {
    const script = scenarioLinkerScript(smallConverges);
    return {
      ...smallConverges,
      linkerScript: script.replace(
        '  /* The rest of a big kernel',
        `  .fill : { . = . + ${size}; } :text\n  /* The rest of a big kernel`,
      ),
    };
  };

  it('refuses before any link a scenario whose image would pass the page’s ceiling', async () => {
    const { service, calls } = await recordingService();
    const refused = await service.run(filled('0x60000000'), () => {}).catch((e: Error) => e);
    expect(refused).toMatchObject({ name: 'RunCeilingError' });
    expect((refused as Error).message).toMatch(/^Not run: .*an image of up to 1\.5 GiB/);
    expect(calls).toEqual([]);
  });

  it('stops after the first link whose image turns out over the ceiling (a script it could not read)', async () => {
    const calls: string[] = [];
    const toolchain = fakeToolchain();
    const service = createToolchainService({
      createToolchain: () => ({
        ...toolchain,
        async run(tool, args, files) {
          calls.push(tool);
          // Untouched pages: the length is what is checked, before anything reads the image.
          const stdout = new Uint8Array(PAGE_CEILING.imageBytes + 1);
          return { ...(await toolchain.run(tool, args, files)), stdout };
        },
      }),
      corpus: nodeCorpusSource(),
      packageVersion: async () => 'test',
    });
    const passes: PassRecord[] = [];
    const stopped = await service
      .run(filled('fillSize'), (p) => void passes.push(p))
      .catch((e: Error) => e);
    expect(stopped).toMatchObject({ name: 'RunCeilingError' });
    expect((stopped as Error).message).toMatch(
      /^Stopped: \.tmp_vmlinux1 is 256 MiB, more than the 256 MiB this page links/,
    );
    expect(calls).toEqual(['ld.lld']);
    expect(passes).toEqual([]);
  });

  it('holds a warm-up a run takes over to the run’s ceiling, and says so as the run would', async () => {
    const calls: string[] = [];
    const toolchain = fakeToolchain();
    const service = createToolchainService({
      createToolchain: () => ({
        ...toolchain,
        async run(tool, args, files) {
          calls.push(tool);
          const stdout = new Uint8Array(PAGE_CEILING.imageBytes + 1);
          return { ...(await toolchain.run(tool, args, files)), stdout };
        },
      }),
      corpus: nodeCorpusSource(),
      packageVersion: async () => 'test',
    });
    await service.init(() => {});
    const warmUp = service.prepare(smallConverges);
    const stopped = await service.run(smallConverges, () => {}).catch((e: Error) => e);
    await warmUp;
    expect(stopped).toMatchObject({ name: 'RunCeilingError' });
    expect((stopped as Error).message).toMatch(/^Stopped: \.tmp_vmlinux1 is 256 MiB/);
    // One link: the warm-up's, which the run took over (it did not link again).
    expect(calls).toEqual(['ld.lld']);
  });

  it('warms up only on what a link may run without asking', async () => {
    const { service, calls } = await recordingService();
    await service.prepare(findPreset('lld-today-large')!.scenario);
    await service.prepare(filled('0x8000000'));
    expect(calls).toEqual([]);
  });

  it('passes a failure of the page callback back unchanged', async () => {
    const service = createToolchainService({
      createToolchain: (onFetchProgress) => createWasmToolchain({ onFetchProgress }),
      corpus: nodeCorpusSource(),
    });
    const pageError = Object.assign(new Error('worker sent a pass record that does not match'), {
      name: 'WorkerProtocolError',
    });
    await expect(
      service.run(smallConverges, () => {
        throw pageError;
      }),
    ).rejects.toBe(pageError);
  });
});
