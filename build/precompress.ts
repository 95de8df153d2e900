/**
 * A Vite build plugin that writes `name.br` and `name.gz` next to every
 * compressible file of the finished site (the 75 MB `llvm.core.wasm` above
 * all, then JS, CSS, JSON and the corpus objects), so a static server can
 * send them as they are (see serve-precompressed.ts). Only what the page
 * requests is in the site (see omit-resources-tar.ts), so only that is
 * compressed.
 *
 * Brotli at its top qualities takes minutes on the wasm, so large files use
 * quality 9 with a 16 MiB window (about 17 MB for the wasm, against 23 MB
 * with gzip -9), and files under 1 MiB use 11.
 * Each result is kept in a content-addressed cache
 * (node_modules/.cache/precompress/), so only the first build on a machine
 * pays for the toolchain's files; later builds copy them.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin, ResolvedConfig } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

export interface PrecompressOptions {
  /** Files smaller than this are sent as they are (default 1 KiB). */
  minBytes?: number;
  /** Extensions worth compressing (lower case, with the dot). */
  extensions?: readonly string[];
  /** Where compressed results are cached by content hash; `false` disables the cache. */
  cacheDir?: string | false;
}

/** Everything the site serves that is not already compressed (images, fonts are). */
export const COMPRESSIBLE_EXTENSIONS: readonly string[] = [
  '.wasm',
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.svg',
  '.json',
  '.txt',
  '.map',
  '.o',
  '.ld',
  '.lds',
];

export const ENCODINGS = [
  { encoding: 'br', suffix: '.br' },
  { encoding: 'gzip', suffix: '.gz' },
] as const;

/** Bump when the compression settings change, so cached results are not reused. */
const SETTINGS_VERSION = 'br9-w24/br11;gz9;v1';
const LARGE = 1 << 20;

async function compress(encoding: 'br' | 'gzip', data: Buffer): Promise<Buffer> {
  if (encoding === 'gzip') return gzip(data, { level: 9 });
  return brotli(data, {
    params: {
      [zlib.constants.BROTLI_PARAM_QUALITY]: data.length > LARGE ? 9 : 11,
      [zlib.constants.BROTLI_PARAM_LGWIN]: 24,
      [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length,
    },
  });
}

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** Runs `jobs` with at most `limit` in flight (zlib's async work uses libuv's 4 threads). */
async function pool<T>(items: T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await job(items[next++]);
  });
  await Promise.all(runners);
}

export interface PrecompressResult {
  file: string;
  bytes: number;
  br: number | null;
  gzip: number | null;
  cached: boolean;
}

/** Compresses every eligible file under `dir` in place; returns what it wrote. */
export async function precompressDirectory(
  dir: string,
  options: PrecompressOptions = {},
): Promise<PrecompressResult[]> {
  const minBytes = options.minBytes ?? 1024;
  const extensions = new Set(options.extensions ?? COMPRESSIBLE_EXTENSIONS);
  const cacheDir =
    options.cacheDir === false
      ? null
      : resolve(options.cacheDir ?? 'node_modules/.cache/precompress');
  if (cacheDir) await mkdir(cacheDir, { recursive: true });

  const files: Array<{ path: string; size: number }> = [];
  for (const path of await walk(dir)) {
    const dot = path.lastIndexOf('.');
    if (dot < 0 || !extensions.has(path.slice(dot).toLowerCase())) continue;
    const { size } = await stat(path);
    if (size >= minBytes) files.push({ path, size });
  }
  // Largest first, so the big toolchain file starts at once and small ones fill in.
  files.sort((a, b) => b.size - a.size);

  const results: PrecompressResult[] = [];
  await pool(files, 4, async ({ path, size }) => {
    const data = await readFile(path);
    const key = createHash('sha256').update(SETTINGS_VERSION).update(data).digest('hex');
    const result: PrecompressResult = {
      file: relative(dir, path),
      bytes: size,
      br: null,
      gzip: null,
      cached: true,
    };
    for (const { encoding, suffix } of ENCODINGS) {
      const cached = cacheDir ? join(cacheDir, key + suffix) : null;
      let packed: Buffer | null = null;
      if (cached) packed = await readFile(cached).catch(() => null);
      if (!packed) {
        result.cached = false;
        packed = await compress(encoding, data);
        if (cached) {
          // Write then rename, so a build killed midway never leaves a truncated entry.
          const partial = `${cached}.${process.pid}.partial`;
          await writeFile(partial, packed);
          await rename(partial, cached);
        }
      }
      // A variant that saves under 5% is not worth a second copy on disk or a Vary.
      if (packed.length > size * 0.95) continue;
      await writeFile(path + suffix, packed);
      result[encoding] = packed.length;
    }
    results.push(result);
  });
  return results.sort((a, b) => a.file.localeCompare(b.file));
}

function formatBytes(n: number): string {
  return n >= LARGE ? `${(n / LARGE).toFixed(1)} MiB` : `${(n / 1024).toFixed(1)} KiB`;
}

/** The Vite plugin: runs after the bundle (and the public folder) are written. */
export function precompress(options: PrecompressOptions = {}): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'kallsyms-lab:precompress',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler() {
        const outDir = resolve(config.root, config.build.outDir);
        const started = performance.now();
        const results = await precompressDirectory(outDir, {
          cacheDir: resolve(config.root, 'node_modules/.cache/precompress'),
          ...options,
        });
        const large = results.filter((r) => r.bytes >= LARGE);
        for (const r of large) {
          config.logger.info(
            `precompress: ${r.file} ${formatBytes(r.bytes)} → br ${r.br ? formatBytes(r.br) : '-'}, gzip ${r.gzip ? formatBytes(r.gzip) : '-'}${r.cached ? ' (cached)' : ''}`,
          );
        }
        config.logger.info(
          `precompress: ${results.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`,
        );
      },
    },
  };
}
