import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ARCH_IDS, TARGETS } from '../src/toolchain/arch/targets.ts';
import { loadCorpus } from '../src/toolchain/corpus/load-corpus.ts';
import { nodeCorpusSource } from '../src/toolchain/corpus/node-source.ts';

const here = fileURLToPath(new URL('.', import.meta.url));
const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');
const manifest = JSON.parse(readFileSync(join(here, '../public/corpus/manifest.json'), 'utf8'));
const linkOrder: string[] = JSON.parse(readFileSync(join(here, 'link-order.json'), 'utf8'));

describe('the committed corpus', () => {
  it('is at least 40 files and 1,000 functions in the kernel-like tree', () => {
    expect(linkOrder.length).toBeGreaterThanOrEqual(40);
    const functions = linkOrder
      .map((f) => readFileSync(join(here, 'src', f), 'utf8'))
      .join('\n')
      .match(/^(?:static )?(?:__noinline |int __init |__attribute__\(\([^)]*\)\) )[\w ]*\(/gm);
    expect(functions?.length).toBeGreaterThanOrEqual(1000);
    for (const dir of ['init/', 'kernel/', 'mm/', 'fs/', 'drivers/', 'lib/', 'arch/powerpc/']) {
      expect(linkOrder.some((f) => f.startsWith(dir))).toBe(true);
    }
  });

  it('was compiled from the sources and headers now in corpus/src (objects are not stale)', () => {
    expect(manifest.headersSha256).toBe(
      sha256(readFileSync(join(here, 'src/include/linux/kernel_api.h'))),
    );
    for (const arch of ARCH_IDS) {
      expect(manifest.archs[arch].objects.map((o: { source: string }) => o.source)).toEqual(
        linkOrder,
      );
      for (const entry of manifest.archs[arch].objects) {
        expect(sha256(readFileSync(join(here, 'src', entry.source))), entry.source).toBe(
          entry.sourceSha256,
        );
      }
    }
  });

  it.each(ARCH_IDS)(
    'loads every %s object with the checksum the manifest records',
    async (arch) => {
      const corpus = await loadCorpus(nodeCorpusSource(), arch);
      const target = TARGETS[arch];
      expect(corpus.objects).toHaveLength(linkOrder.length);
      for (const { name, bytes } of corpus.objects) {
        // ELF magic, class, data encoding and e_machine must be the target's.
        expect([...bytes.subarray(0, 4)], name).toEqual([0x7f, 0x45, 0x4c, 0x46]);
        expect(bytes[4], name).toBe(target.elfClass === 64 ? 2 : 1);
        expect(bytes[5], name).toBe(target.endian === 'little' ? 1 : 2);
        const machine =
          target.endian === 'little' ? bytes[18] | (bytes[19] << 8) : (bytes[18] << 8) | bytes[19];
        expect(machine, name).toBe(target.machine);
      }
    },
  );

  it('names the compiler and flags it was built with', () => {
    expect(manifest.compiler).toMatch(/clang version \d+/);
    expect(manifest.archs.ppc64.flags).toContain('-mabi=elfv2');
    expect(manifest.archs.ppc32.flags).toContain('--target=powerpc-linux-gnu');
  });
});
