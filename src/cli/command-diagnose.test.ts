/**
 * `kallsyms-lab diagnose` on what the project makes itself: the files a real
 * `run --keep-files` leaves (WebAssembly ld.lld), and a generated
 * kernel-sized image linked by ld.lld-16. It must print exactly the
 * System.map lines the run's check reports, give per generation the numbers
 * the `kallsyms` command's output assembles to (clang-16), finish a 66 MB
 * image with progress, and answer bad input with one line and exit 2.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TARGETS, type ArchId } from '../toolchain/arch/targets.ts';
import type { Diagnosis, GenerationReport } from '../toolchain/diagnose/index.ts';
import {
  makeKernelSizedImage,
  type KernelImage,
} from '../toolchain/diagnose/testing/kernel-image.ts';
import { nmListing, readElf } from '../toolchain/elf/index.ts';
import type { KallsymsSizes } from '../toolchain/kallsyms/index.ts';
import { Assembler } from '../toolchain/kallsyms/testing/clang.ts';
import type { RunRecord } from '../toolchain/kbuild/records.ts';
import { processIO } from './io.ts';
import { main } from './main.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI in-process and collects what it prints. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const chunks: Uint8Array[] = [];
  const code = await main(argv, {
    stdout: (t) => {
      if (typeof t === 'string') stdout += t;
      else {
        chunks.push(t);
        stdout += Buffer.from(t).toString('latin1');
      }
    },
    stderr: (t) => {
      stderr += t;
    },
    readInput: processIO.readInput,
  });
  return { code, stdout, stderr, bytes: Buffer.concat(chunks) };
}

const dirs: string[] = [];
const tmp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'kallsyms-diagnose-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface KeptRun {
  dir: string;
  record: RunRecord & { scenario: { arch: ArchId; generation: string } };
  lastTrial: string;
}

/** `run --preset ID --keep-files DIR --json`, as a user would. */
async function keptRun(preset: string, ...overrides: string[]): Promise<KeptRun> {
  const dir = tmp();
  const { code, stdout } = await cli(
    'run',
    '--preset',
    preset,
    ...overrides,
    '--keep-files',
    dir,
    '--json',
  );
  expect([0, 1]).toContain(code);
  const record = JSON.parse(stdout) as KeptRun['record'];
  const lastTrial = record.passes.filter((p) => p.step === 'trial').at(-1)!.link.image;
  return { dir, record, lastTrial };
}

/** The kallsyms labels in the order and with the sizes the program has. */
const SIZE_OF: Record<string, keyof KallsymsSizes> = {
  kallsyms_addresses: 'addresses',
  kallsyms_offsets: 'offsets',
  kallsyms_relative_base: 'relativeBase',
  kallsyms_num_syms: 'numSyms',
  kallsyms_names: 'names',
  kallsyms_markers: 'markers',
  kallsyms_token_table: 'tokenTable',
  kallsyms_token_index: 'tokenIndex',
  kallsyms_seqs_of_names: 'seqsOfNames',
};

describe.each([
  // ppc64le with v5.9 (the 2020 report), and ppc32 where only v5.9 fails.
  ['powerpc-2020', [], 'v5.8 and v5.9'],
  ['ppc32-thunks', ['--strategy', 'v5.9', '--generation', 'v5.9'], 'v5.8 and v5.9'],
])('diagnose on the files of `run --preset %s %j --keep-files`', (preset, overrides, family) => {
  let kept: Promise<KeptRun> | undefined;
  const get = () => (kept ??= keptRun(preset, ...overrides));

  it("prints exactly the System.map lines the run's check reports, and exits 1", async () => {
    const { dir, record, lastTrial } = await get();
    expect(record.check?.ok).toBe(false);
    const { code, stdout, stderr } = await cli(
      'diagnose',
      join(dir, lastTrial),
      join(dir, 'vmlinux'),
    );
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    const start = lines.findIndex((l) => l.startsWith(`System.map check for ${family}:`));
    expect(lines[start]).toMatch(/: FAILS/);
    const block: string[] = [];
    for (let i = start + 1; i < lines.length && lines[i].startsWith('  '); i++)
      block.push(lines[i]);
    expect(block.filter((l) => l.startsWith('  line '))).toEqual(
      record.check!.differences.map(
        (d) => `  line ${d.line}: first "${d.trial}"  second "${d.final}"`,
      ),
    );
    expect(block).toContain('  Inconsistent kallsyms data');
    expect(stdout).toMatch(
      /\nLikely cause\n {2}- Stubs appeared: the second input has \d+ ld\.lld/,
    );
  });

  it("--json carries the run's check itself", async () => {
    const { dir, record, lastTrial } = await get();
    const { code, stdout } = await cli(
      'diagnose',
      join(dir, lastTrial),
      join(dir, 'vmlinux'),
      '--json',
    );
    expect(code).toBe(1);
    const d = JSON.parse(stdout) as Diagnosis;
    if (d.inputs !== 2) throw new Error('two inputs');
    const generation = record.scenario.generation === 'latest' ? 'latest' : 'v5.9';
    expect(
      d.comparison.systemMaps.find((m) => m.generations.includes(generation as 'latest'))!.check,
    ).toEqual(record.check);
  });

  it("gives per generation the numbers the kallsyms command's output assembles to", async () => {
    const { dir, record, lastTrial } = await get();
    const arch = record.scenario.arch;
    const target = TARGETS[arch];
    const listingFile = join(dir, 'last-trial.nm');
    writeFileSync(
      listingFile,
      nmListing(readElf(new Uint8Array(readFileSync(join(dir, lastTrial))))),
    );

    const fromImage = JSON.parse(
      (await cli('diagnose', join(dir, lastTrial), '--json')).stdout,
    ) as Diagnosis;
    const fromListing = JSON.parse(
      (await cli('diagnose', listingFile, '--json', '--arch', arch)).stdout,
    ) as Diagnosis;
    // A listing no filter would change reads as a System.map: the two look alike.
    expect(fromListing.tables[0].input.kind).not.toBe('elf');
    expect(fromListing.tables[0].generations).toEqual(fromImage.tables[0].generations);

    const assembler = new Assembler();
    try {
      for (const g of fromImage.tables[0].generations as GenerationReport[]) {
        const flags = g.generation === 'latest' ? [] : ['--base-relative'];
        const out = await cli('kallsyms', '--generation', g.generation, ...flags, listingFile);
        expect(out.code).toBe(0);
        const object = assembler.assemble(
          `${preset}-${g.generation}`,
          out.bytes.toString('latin1'),
          target,
        );
        const sizes = g.sizes!;
        expect(object.section.data.length, g.generation).toBe(sizes.total);
        // Every label where the diagnosis's part sizes put it, aligned as ALGN says.
        const labels = object.labels
          .filter((l) => l.name in SIZE_OF)
          .sort((a, b) => a.offset - b.offset);
        let at = 0;
        for (const label of labels) {
          at = Math.ceil(at / target.wordSize) * target.wordSize;
          expect(label.offset, `${g.generation} ${label.name}`).toBe(at);
          at += sizes[SIZE_OF[label.name]];
        }
        expect(at).toBe(sizes.total);
        const numSyms = labels.find((l) => l.name === 'kallsyms_num_syms')!;
        const view = new DataView(object.section.data.buffer, object.section.data.byteOffset);
        expect(view.getUint32(numSyms.offset, target.endian === 'little')).toBe(
          g.counts!.tableSymbols,
        );
      }
    } finally {
      assembler.dispose();
    }
    // And the run's own table object from that trial is the size the diagnosis gives.
    const runs = fromImage.tables[0].generations.find((x) => x.generation === record.generation)!;
    expect(runs.tableObjectBytes).toBe(
      record.passes.filter((p) => p.step === 'trial').at(-1)!.tableObject!.bytes,
    );
  });

  it('reads standard input ("-") like a file', async () => {
    const { dir, lastTrial } = await get();
    const listing = nmListing(readElf(new Uint8Array(readFileSync(join(dir, lastTrial)))));
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'bin/kallsyms-lab.mjs'), 'diagnose', '-', '--json'],
      { input: listing, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const d = JSON.parse(result.stdout) as Diagnosis;
    expect(d.tables[0].input.name).toBe('standard input');
    expect(d.tables[0].input.listingLines).toBe(listing.split('\n').length - 1);
  });
});

describe('a System.map or .syms file against vmlinux', () => {
  it("reports the run's latest check when the last trial is given as its .syms file", async () => {
    const { dir, record, lastTrial } = await keptRun('lld-today');
    expect(record.check?.ok).toBe(false);
    const { code, stdout } = await cli(
      'diagnose',
      join(dir, `${lastTrial}.syms`),
      join(dir, 'vmlinux'),
      '--json',
    );
    expect(code).toBe(1);
    const d = JSON.parse(stdout) as Diagnosis;
    if (d.inputs !== 2) throw new Error('two inputs');
    expect(d.tables[0].input).toMatchObject({ kind: 'system-map', systemMapFilter: 'latest' });
    expect(d.comparison.systemMaps.find((m) => m.generations.includes('latest'))!.check).toEqual(
      record.check,
    );
  });
});

describe('a kernel-sized image', () => {
  let image: KernelImage;
  beforeAll(async () => {
    image = await makeKernelSizedImage(tmp());
  });

  it('finishes with progress, reading only its headers and symbol tables', async () => {
    expect(image.bytes).toBeGreaterThan(60 * 1024 * 1024);
    const { code, stdout, stderr } = await cli('diagnose', image.path, '--progress', '--json');
    expect(code).toBe(0);
    const progress = stderr.trimEnd().split('\n');
    const percents = progress.map((line) => {
      const m = /^ *(\d+)% \S/.exec(line);
      expect(m, line).not.toBeNull();
      return Number(m![1]);
    });
    expect(percents.length).toBeGreaterThanOrEqual(6);
    for (let i = 1; i < percents.length; i++)
      expect(percents[i]).toBeGreaterThanOrEqual(percents[i - 1]);
    expect(progress.at(-1)).toBe('100% done');
    for (const step of ['reading', 'kallsyms v5.9', 'kallsyms latest', 'linker-made symbols']) {
      expect(stderr).toContain(step);
    }
    const d = JSON.parse(stdout) as Diagnosis;
    const t = d.tables[0];
    expect(t.input.bytes).toBe(image.bytes);
    expect(t.input.bytesRead).toBeLessThan(image.bytes / 4);
    expect(t.input.listingLines).toBeGreaterThan(150_000);
    for (const g of t.generations) expect(g.counts!.tableSymbols).toBeGreaterThan(150_000);
    expect(t.linkerSymbols.groups.map((g) => g.kind.pattern)).toEqual(['__long_branch_<f>']);
  });
});

describe('bad input: one line on stderr, exit 2, nothing else', () => {
  let dir: string;
  beforeAll(() => {
    dir = tmp();
    writeFileSync(join(dir, 'empty'), '');
    const garbage = Buffer.alloc(10_000);
    for (let i = 0; i < garbage.length; i++) garbage[i] = (i * 7919) & 0xff;
    writeFileSync(join(dir, 'garbage.bin'), garbage);
    writeFileSync(join(dir, 'huge-line.map'), 'c000000000000000 T ' + 'A'.repeat(2_000_000) + '\n');
    const elf = Buffer.from(
      execFileSync(
        '/usr/bin/clang-16',
        ['--target=powerpc64le-linux-gnu', '-c', '-x', 'c', '-', '-o', '-'],
        { input: 'int f(void) { return 1; }\n' },
      ),
    );
    writeFileSync(join(dir, 'truncated.elf'), elf.subarray(0, 300));
    mkdirSync(join(dir, 'a-directory'));
  });

  it.each([
    [['missing-file'], /missing-file: no such file/],
    [['a-directory'], /a-directory: is a directory/],
    [['/dev/zero'], /\/dev\/zero: is not a regular file/],
    [['empty'], /empty: the input is empty/],
    [['garbage.bin'], /garbage\.bin: byte 0x00 at offset \d+ .* is not text/],
    [['huge-line.map'], /huge-line\.map: line 1 is 2,000,019 bytes long/],
    [['truncated.elf'], /truncated\.elf: not a readable ELF image: .*truncated/],
    [['a', 'b', 'c'], /give one FILE or two .*not 3/],
    [['-', '-'], /can be read only once/],
    [['empty', '--names', 'many'], /--names many: give a whole number/],
    [['empty', '--word-size', '3'], /--word-size 3: give 4 or 8/],
    [['empty', '--arch', 'sparc'], /--arch sparc: use one of ppc64le, ppc64, ppc32/],
    [['empty', '--frobnicate'], /frobnicate/],
  ])('diagnose %j', async (args, message) => {
    const resolved = args.map((a) =>
      /^[a-z][-a-z.]*$/.test(a) &&
      !a.startsWith('-') &&
      !['a', 'b', 'c', 'many', 'sparc'].includes(a)
        ? join(dir, a)
        : a,
    );
    const { code, stdout, stderr } = await cli('diagnose', ...resolved);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^kallsyms-lab diagnose: [^\n]*\n$/);
    expect(stderr).toMatch(message);
    expect(stderr.length).toBeLessThan(600);
  });
});
