import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioLinkerScript } from '../toolchain/scenario/loop-config.ts';
import { findPreset, PRESETS } from '../toolchain/scenario/presets.ts';
import { processIO } from './io.ts';
import { main } from './main.ts';

const FIXTURES = fileURLToPath(new URL('../../../shared/fixtures/kallsyms/', import.meta.url));
const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs the CLI in-process and collects what it prints. */
async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const bytes: number[] = [];
  const code = await main(argv, {
    stdout: (t) => {
      if (typeof t === 'string') stdout += t;
      else {
        bytes.push(...t);
        stdout += new TextDecoder().decode(t);
      }
    },
    stderr: (t) => {
      stderr += t;
    },
    readInput: processIO.readInput,
  });
  return { code, stdout, stderr, bytes: Uint8Array.from(bytes) };
}

const tmp = () => mkdtempSync(join(tmpdir(), 'kallsyms-lab-cli-'));

describe('kallsyms-lab presets', () => {
  it('lists every preset with its one-line summary', async () => {
    const { code, stdout } = await cli('presets');
    expect(code).toBe(0);
    const lines = stdout.trim().split('\n');
    for (const p of PRESETS) {
      expect(
        lines.some((l) => l.startsWith(p.id + ' ') && l.endsWith(`  ${p.summary}`)),
        p.id,
      ).toBe(true);
    }
    expect(stdout.trim().split('\n')).toHaveLength(PRESETS.length);
  });
});

describe('kallsyms-lab kallsyms', () => {
  it.each([
    ['latest', [], 'example.latest.S'],
    ['latest', ['--all-symbols'], 'example.latest.all-symbols.S'],
    ['v5.9', ['--base-relative'], 'example.v5.9.base-relative.S'],
    ['v5.9', [], 'example.v5.9.absolute.S'],
    ['v5.8', ['--base-relative'], 'example.v5.8.base-relative.S'],
  ])(
    'prints the kernel tool’s output for --generation %s %s byte for byte',
    async (generation, flags, expected) => {
      const { code, bytes } = await cli(
        'kallsyms',
        '--generation',
        generation,
        ...flags,
        join(FIXTURES, 'example.nm'),
      );
      expect(code).toBe(0);
      expect(Buffer.from(bytes).equals(readFileSync(join(FIXTURES, expected)))).toBe(true);
    },
  );

  it('rejects an unknown generation, naming the allowed ones (exit 2)', async () => {
    const { code, stderr } = await cli(
      'kallsyms',
      '--generation',
      'v6.1',
      join(FIXTURES, 'example.nm'),
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/Unknown generation "v6\.1": use one of v5\.8, v5\.9, latest/);
  });

  it('says which file is missing (exit 2)', async () => {
    const { code, stderr } = await cli(
      'kallsyms',
      '--generation',
      'latest',
      '/nonexistent/System.nm',
    );
    expect(code).toBe(2);
    expect(stderr).toMatch(/\/nonexistent\/System\.nm: no such file/);
  });

  it('points at a malformed listing line by number (exit 2)', async () => {
    const dir = tmp();
    const listing = join(dir, 'bad.nm');
    writeFileSync(listing, 'c000000000000000 T _text\nc00000000000001g T bad_address\n');
    const { code, stderr } = await cli('kallsyms', '--generation', 'latest', listing);
    expect(code).toBe(2);
    expect(stderr).toMatch(/line 2/);
    expect(stderr).toMatch(/bad_address/);
  });
});

describe('kallsyms-lab run: bad input', () => {
  it('names an unknown preset and lists the known ones (exit 2)', async () => {
    const { code, stderr } = await cli('run', '--preset', 'nope');
    expect(code).toBe(2);
    expect(stderr).toContain('Unknown preset "nope": use one of small-converges, powerpc-2020');
  });

  it('names the bad field of a scenario file and its allowed values (exit 2)', async () => {
    const dir = tmp();
    const file = join(dir, 'scenario.json');
    writeFileSync(
      file,
      JSON.stringify({ ...findPreset('small-converges')!.scenario, strategy: 'nine-passes' }),
    );
    const { code, stderr } = await cli('run', '--scenario', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/strategy: .*"v5\.9".*"eight-passes".*"latest".*"fixpoint"/);
  });

  it('says a scenario file is not JSON (exit 2)', async () => {
    const dir = tmp();
    const file = join(dir, 'scenario.json');
    writeFileSync(file, '{ "arch": ');
    const { code, stderr } = await cli('run', '--scenario', file);
    expect(code).toBe(2);
    expect(stderr).toMatch(/not valid JSON/);
  });

  it('reports a broken linker script as a failed link with ld.lld’s words (exit 1)', async () => {
    const dir = tmp();
    const file = join(dir, 'scenario.json');
    const preset = findPreset('small-converges')!.scenario;
    // The template (it defines every symbol the loop needs), left unfinished.
    const scenario = {
      ...preset,
      linkerScript: `${scenarioLinkerScript(preset)}\nSECTIONS { .text : { *(.text) `,
    };
    writeFileSync(file, JSON.stringify(scenario));
    const { code, stdout } = await cli('run', '--scenario', file);
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /Link failed at trial link 1 \(\.tmp_vmlinux1\): ld\.lld: error: vmlinux\.lds/,
    );
  });

  it('rejects a gap that is not a number (exit 2)', async () => {
    const { code, stderr } = await cli('run', '--preset', 'small-converges', '--gap', 'far');
    expect(code).toBe(2);
    expect(stderr).toBe(
      'kallsyms-lab run: --gap "far": give a decimal number from 0 to 1024, e.g. --gap 31.75 (MiB).\n',
    );
  });
});

describe('kallsyms-lab run', () => {
  it('prints a pass table and the verdict, exit 0 when converged', async () => {
    const { code, stdout } = await cli('run', '--preset', 'small-converges');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^\s*link\s+image\s+listing\s+table syms\s+table bytes\s+object\s+stubs\s+new\s+out of reach\s+link ms/,
    );
    expect(stdout).toMatch(/\n\s+1\s+\.tmp_vmlinux1\s/);
    // Trial links by number, the final link by name, in the verdict's words (link-words.ts).
    expect(stdout).toMatch(/\nvmlinux\s+vmlinux\s/);
    expect(stdout).not.toMatch(/\n\s+3\s+vmlinux\s/);
    expect(stdout).toMatch(/Converged after 2 trial links/);
  });

  it('--json gives the whole record: each link’s command line and the linker script', async () => {
    const { code, stdout } = await cli('run', '--preset', 'powerpc-2020', '--json');
    expect(code).toBe(1);
    const record = JSON.parse(stdout);
    expect(record.verdict.kind).toBe('inconsistent');
    expect(record.linkerScript).toMatch(/_sinittext = \./);
    expect(record.passes[0].link.command.tool).toBe('ld.lld');
    expect(record.passes[0].link.command.args).toEqual(
      expect.arrayContaining(['-T', 'vmlinux.lds', '-o', '.tmp_vmlinux.kallsyms1']),
    );
    expect(record.passes[1].link.command.args.at(-1)).toBe('.tmp_vmlinux.kallsyms1.o');
    expect(record.scenario.strategy).toBe('v5.9');
  });

  it('applies overrides: --strategy eight-passes turns powerpc-2020 into a converging run', async () => {
    const { code, stdout } = await cli(
      'run',
      '--preset',
      'powerpc-2020',
      '--strategy',
      'eight-passes',
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/Converged after [4-8] trial links/);
  });
});

describe('the installed launcher', () => {
  it('runs through npx as `kallsyms-lab`', () => {
    const out = execFileSync('npx', ['kallsyms-lab', 'presets'], { cwd: ROOT, encoding: 'utf8' });
    expect(out).toContain('powerpc-2020');
  });
});
