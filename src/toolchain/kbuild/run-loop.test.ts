/**
 * How the loop runs its links: each image comes back through ld.lld's stdout
 * (`-o -`), while the record keeps the kernel's `-o IMAGE` command, which,
 * re-run over the files --keep-files writes, makes the very image the loop
 * measured. A link the linker refuses still ends in the `link failed`
 * verdict with ld.lld's own words (they go to stderr either way).
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DEFAULT_GENERATED_PARAMS, generatedCorpusId } from '../corpus/generated/params.ts';
import { generatedCorpus } from '../corpus/obtain-corpus.ts';
import { loadCorpus, type LoadedCorpus } from '../corpus/load-corpus.ts';
import { nodeCorpusSource } from '../corpus/node-source.ts';
import { createNativeToolchain } from '../llvm/native-toolchain.ts';
import type { Toolchain } from '../llvm/toolchain.ts';
import { createWasmToolchain } from '../llvm/wasm-toolchain.ts';
import { scenarioLoopConfig } from '../scenario/loop-config.ts';
import { findPreset } from '../scenario/presets.ts';
import { runLinkLoop, type LoopConfig } from './run-loop.ts';

let corpus: Promise<LoadedCorpus> | undefined;
async function presetConfig(id: string): Promise<LoopConfig> {
  const scenario = findPreset(id)!.scenario;
  corpus ??= loadCorpus(nodeCorpusSource(), scenario.arch);
  return scenarioLoopConfig(scenario, await corpus);
}

/** The toolchain, keeping the argv of every ld.lld run and the stdout it gave. */
function watching(toolchain: Toolchain, runs: Array<{ args: string[]; stdout: Uint8Array }>) {
  return {
    kind: toolchain.kind,
    async run(tool, args, files) {
      const result = await toolchain.run(tool, args, files);
      if (tool === 'ld.lld') runs.push({ args, stdout: result.stdout });
      return result;
    },
  } satisfies Toolchain;
}

describe.each([
  ['native', createNativeToolchain()],
  ['wasm', createWasmToolchain()],
] as const)('the loop with the %s toolchain', (_, toolchain) => {
  it('links to stdout, records `-o IMAGE`, and that command re-makes the same image', async () => {
    const config = await presetConfig('small-converges');
    const runs: Array<{ args: string[]; stdout: Uint8Array }> = [];
    const kept = new Map<string, Uint8Array | string>();
    for (const o of config.objects) kept.set(o.name, o.bytes);
    const record = await runLinkLoop(watching(toolchain, runs), config, {
      onArtifact: (name, bytes) => kept.set(name, bytes),
    });
    expect(record.verdict.kind).toBe('converged');
    expect(runs).toHaveLength(record.passes.length);

    for (const [k, pass] of record.passes.entries()) {
      const { image, command } = pass.link;
      const ran = runs[k].args;
      expect(ran[ran.indexOf('-o') + 1]).toBe('-');
      expect(command.args[command.args.indexOf('-o') + 1]).toBe(image);
      // Apart from the output, the recorded command is the one that ran.
      expect(command.args.filter((a) => a !== image)).toEqual(ran.filter((a) => a !== '-'));
      const bytes = kept.get(image) as Uint8Array;
      expect(bytes).toBe(runs[k].stdout); // handed on, not copied
      expect(pass.link.outputBytes).toBe(bytes.length);
    }

    // Re-run the recorded final link, as a person would, over the kept files.
    const final = record.passes.at(-1)!.link;
    const again = await toolchain.run(
      final.command.tool as 'ld.lld',
      final.command.args,
      Object.fromEntries(kept),
    );
    expect(again.stdout).toHaveLength(0);
    expect(Buffer.compare(again.files[final.image], kept.get(final.image) as Uint8Array)).toBe(0);
  });

  it("turns ld.lld's refusal into the link-failed verdict with its stderr", async () => {
    const config = await presetConfig('small-converges');
    const record = await runLinkLoop(toolchain, {
      ...config,
      linkerScript: `${config.linkerScript}\nASSERT(0, "kallsyms-lab: refused on purpose")\n`,
    });
    expect(record.verdict.kind).toBe('link-failed');
    if (record.verdict.kind !== 'link-failed') return;
    expect(record.verdict.tool).toBe('ld.lld');
    expect(record.verdict.step).toBe('.tmp_vmlinux1');
    expect(record.verdict.message).toMatch(/refused on purpose/);
    expect(record.passes).toHaveLength(0);
  });

  it('fails a latest-shaped loop with an old generation as that tool would, not with an exception', async () => {
    // Found by npm run fuzz: the empty first table is "No valid symbol" for v5.8/v5.9.
    const config = await presetConfig('lld-today');
    const record = await runLinkLoop(toolchain, { ...config, generation: 'v5.8' });
    expect(record.verdict).toMatchObject({
      kind: 'link-failed',
      tool: 'kallsyms',
      step: '.tmp_vmlinux0.kallsyms.S',
      message: expect.stringMatching(/^kallsyms: No valid symbol/),
    });
  });

  // The schema refuses such flags; the loop still ends cleanly if one gets through.
  it.each([['--version'], ['--help'], ['-v'], ['-M']])(
    'turns text printed instead of an image (%s) into the link-failed verdict, not a crash',
    async (flag) => {
      const config = await presetConfig('small-converges');
      const record = await runLinkLoop(toolchain, { ...config, extraLinkerFlags: [flag] });
      expect(record.verdict.kind).toBe('link-failed');
      if (record.verdict.kind !== 'link-failed') return;
      expect(record.verdict.step).toBe('.tmp_vmlinux1');
      expect(record.verdict.message).toMatch(
        /^ld\.lld wrote \d+ bytes that are not an ELF image \(.*\), starting ".*": a linker flag may have made it print text/,
      );
      expect(record.verdict.summary).toMatch(
        /^Link failed at trial link 1 \(\.tmp_vmlinux1\): ld\.lld wrote/,
      );
    },
  );
});

describe("the record's corpus", () => {
  const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

  it.each([
    ['checked against its manifest', () => presetConfig('small-converges')],
    [
      'generated',
      async () => {
        const params = {
          ...DEFAULT_GENERATED_PARAMS,
          symbols: 2000,
          objects: 16,
          initFunctions: 200,
        };
        const scenario = findPreset('lld-today-large')!.scenario;
        const corpus = await generatedCorpus(params, scenario.arch);
        return scenarioLoopConfig({ ...scenario, corpus: generatedCorpusId(params) }, corpus);
      },
    ],
  ])('(%s) names each object linked by the SHA-256 of its bytes', async (_, makeConfig) => {
    const config = await makeConfig();
    const record = await runLinkLoop(createWasmToolchain(), config);
    // The loader's checksums are taken as they are: they must be the bytes' own.
    expect(config.objects.every((o) => o.sha256 !== undefined)).toBe(true);
    expect(record.corpus.objects).toEqual(
      config.objects.map((o) => ({ name: o.name, sha256: sha256(o.bytes) })),
    );
  });
});
