/**
 * `npm run corpus`: compiles the kernel-like C tree ahead of time for the
 * three PowerPC targets. The WebAssembly LLVM has no PowerPC code generator
 * (see spec/toolchain.md), so compilation is the one step that cannot run in
 * the browser; everything after it does. Objects and a manifest with their
 * checksums go under public/corpus/, where the page and the CLI load them.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARCH_IDS, TARGETS, type ArchId } from '../src/toolchain/arch/targets.ts';
import { CORPUS_MANIFEST_VERSION, type CorpusManifest } from '../src/toolchain/corpus/manifest.ts';

const here = dirname(fileURLToPath(import.meta.url));
const srcRoot = join(here, 'src');
const outRoot = join(here, '..', 'public', 'corpus');

/** Flags in the spirit of the kernel's: freestanding, no PIC, no unwind tables. */
const COMMON_FLAGS = [
  '-O2',
  '-nostdinc',
  '-ffreestanding',
  '-fno-builtin',
  '-fno-common',
  '-fno-pic',
  '-fno-asynchronous-unwind-tables',
  '-fno-unwind-tables',
  '-fno-stack-protector',
  '-fno-jump-tables',
  '-fno-ident',
  '-msoft-float',
  '-Wall',
  '-Werror',
  '-Iinclude',
];
const ARCH_FLAGS: Record<ArchId, string[]> = {
  // ld.lld links only ELFv2 on ppc64, so big-endian is built for ELFv2 too.
  ppc64le: ['-mabi=elfv2', '-mcmodel=medium'],
  ppc64: ['-mabi=elfv2', '-mcmodel=medium'],
  ppc32: [],
};

function findClang(): string {
  for (const candidate of [
    process.env.CLANG,
    'clang-16',
    'clang-17',
    'clang-18',
    'clang-19',
    'clang',
  ]) {
    if (!candidate) continue;
    try {
      const targets = execFileSync(candidate, ['-print-targets'], { encoding: 'utf8' });
      if (/\bppc64le\b/.test(targets) && /\bppc32\b/.test(targets)) return candidate;
    } catch {
      // not installed, or not runnable: try the next one
    }
  }
  console.error(
    'No clang with the PowerPC target was found.\n' +
      'On Debian or Ubuntu: apt-get install clang-16 (its clang has every LLVM target),\n' +
      'or set CLANG=/path/to/clang to one built with PowerPC.',
  );
  process.exit(2);
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

function main(): void {
  const clang = findClang();
  const version = execFileSync(clang, ['--version'], { encoding: 'utf8' }).split('\n')[0].trim();
  const linkOrder: string[] = JSON.parse(readFileSync(join(here, 'link-order.json'), 'utf8'));
  const header = readFileSync(join(srcRoot, 'include/linux/kernel_api.h'));
  rmSync(outRoot, { recursive: true, force: true });
  const manifest: CorpusManifest = {
    version: CORPUS_MANIFEST_VERSION,
    compiler: version,
    headersSha256: sha256(header),
    archs: {} as CorpusManifest['archs'],
  };
  for (const arch of ARCH_IDS) {
    const target = TARGETS[arch];
    const flags = [`--target=${target.clangTriple}`, ...COMMON_FLAGS, ...ARCH_FLAGS[arch]];
    const objects = linkOrder.map((source) => {
      const object = source.replace(/\.c$/, '.o');
      const outFile = join(outRoot, arch, object);
      mkdirSync(dirname(outFile), { recursive: true });
      // Relative paths keep the objects free of this machine's directories.
      execFileSync(clang, [...flags, '-c', source, '-o', outFile], {
        cwd: srcRoot,
        stdio: 'inherit',
      });
      const bytes = readFileSync(outFile);
      return {
        source,
        object,
        sourceSha256: sha256(readFileSync(join(srcRoot, source))),
        sha256: sha256(bytes),
        bytes: bytes.length,
      };
    });
    manifest.archs[arch] = { triple: target.clangTriple, flags, objects };
    console.log(
      `${arch}: ${objects.length} objects, ${objects.reduce((n, o) => n + o.bytes, 0)} bytes`,
    );
  }
  writeFileSync(join(outRoot, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
}

main();
