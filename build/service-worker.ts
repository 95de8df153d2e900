/**
 * A Vite build plugin that writes the site's service worker, `sw.js`
 * (src/offline/service-worker.ts, bundled by esbuild), once the site is
 * complete: its precache list is every file in the build the page can
 * request, except the toolchain's wasm (the toolchain worker keeps that in
 * Cache Storage itself) and the precompressed copies; its build id is a
 * digest of those files' contents, so any change to the site makes a new
 * worker, which the browser installs on the next visit.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin, ResolvedConfig } from 'vite';
import { ENCODINGS } from './precompress.ts';

const root = resolve(import.meta.dirname, '..');
export const SERVICE_WORKER = 'sw.js';

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(path)));
    else if (entry.isFile()) out.push(path);
  }
  return out;
}

/** The files of a built site the service worker keeps, as paths relative to the site, sorted. */
export async function precacheList(outDir: string): Promise<string[]> {
  const compressed = ENCODINGS.map((e) => e.suffix);
  return (await walk(outDir))
    .map((path) => relative(outDir, path).split('\\').join('/'))
    .filter(
      (path) =>
        path !== SERVICE_WORKER &&
        !path.endsWith('.wasm') &&
        !compressed.some((suffix) => path.endsWith(suffix)),
    )
    .sort();
}

/** Writes `sw.js` into a built site; returns its build id and how many files it keeps. */
export async function writeServiceWorker(
  outDir: string,
): Promise<{ build: string; files: number }> {
  const files = await precacheList(outDir);
  const digest = createHash('sha256');
  for (const file of files) {
    digest
      .update(file)
      .update('\0')
      .update(await readFile(join(outDir, file)));
  }
  const id = digest.digest('hex').slice(0, 12);
  const result = await build({
    entryPoints: [join(root, 'src/offline/service-worker.ts')],
    bundle: true,
    format: 'iife',
    target: 'es2022',
    minify: true,
    write: false,
    define: { __PRECACHE__: JSON.stringify(files), __BUILD_ID__: JSON.stringify(id) },
    logLevel: 'warning',
  });
  await writeFile(join(outDir, SERVICE_WORKER), result.outputFiles[0].contents);
  return { build: id, files: files.length };
}

/** The Vite plugin: after the bundle and the public folder are written, before precompression. */
export function serviceWorker(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'kallsyms-lab:service-worker',
    apply: 'build',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      sequential: true,
      async handler() {
        const outDir = resolve(config.root, config.build.outDir);
        const { build: id, files } = await writeServiceWorker(outDir);
        config.logger.info(`service worker: build ${id}, ${files} files kept for offline use`);
      },
    },
  };
}
