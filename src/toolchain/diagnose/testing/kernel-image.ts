/**
 * Test and benchmark support: a kernel-sized vmlinux the project makes
 * itself. The generated 150,000-function corpus (powerpc-2020-large's) is
 * linked by Debian's ld.lld-16 with that preset's script, except that the
 * "rest of a big kernel" gap is filled with file bytes (one load segment
 * instead of two) and widened to 48 MiB, so that the image weighs what a
 * real vmlinux does: over 60 MB, 150,000+ symbols.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { TARGETS } from '../../arch/targets.ts';
import { generatedCorpus } from '../../corpus/obtain-corpus.ts';
import { DEFAULT_GENERATED_PARAMS } from '../../corpus/generated/params.ts';
import { renderLinkerScript } from '../../kbuild/linker-script.ts';
import { findPreset } from '../../scenario/presets.ts';
import { LLD, requireToolchain } from './link-thunks.ts';

export const KERNEL_GAP = 0x3000000;

export interface KernelImage {
  path: string;
  bytes: number;
}

/**
 * Links the kernel-sized image into `dir`/`name` (about 2 s of ld.lld-16).
 * A different `gap` moves init text, as a grown table would.
 */
export async function makeKernelSizedImage(
  dir: string,
  { gap = KERNEL_GAP, name = 'vmlinux' }: { gap?: number; name?: string } = {},
): Promise<KernelImage> {
  requireToolchain();
  const scenario = findPreset('powerpc-2020-large')!.scenario;
  const target = TARGETS[scenario.arch];
  const corpus = await generatedCorpus(DEFAULT_GENERATED_PARAMS, scenario.arch);
  for (const o of corpus.objects) {
    const path = join(dir, o.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, o.bytes);
  }
  const script = renderLinkerScript(target, {
    base: BigInt(scenario.layout.base),
    align: scenario.layout.align,
    gap,
  })
    // One load segment: the gap becomes zero bytes in the file.
    .replace(/PHDRS\n\{[^}]*\}\n/, '')
    .replace(/ :(text|init)\b/g, '');
  writeFileSync(join(dir, 'vmlinux.lds'), script);
  execFileSync(
    LLD,
    [
      '-m',
      target.lldEmulation,
      '--strip-debug',
      '-T',
      'vmlinux.lds',
      '-o',
      name,
      ...corpus.objects.map((o) => o.name),
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
  const path = join(dir, name);
  return { path, bytes: statSync(path).size };
}
