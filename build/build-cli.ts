/**
 * Builds the command-line tool into dist-cli/ (gitignored): `npm ci` runs
 * this as the `prepare` step, `npm run build:cli` by hand. bin/kallsyms-lab.mjs
 * runs the result when it is newer than every source it was built from, and
 * the TypeScript through tsx otherwise (while the sources are being edited).
 *
 * Node plus tsx spent ~0.8 s starting before the first line of the CLI ran
 * (tsx's loader thread, and compiling every module on every start); one
 * bundled ES module starts in tens of milliseconds.
 *
 * - dist-cli/main.mjs: src/cli/main.ts and all it imports, zod included.
 * - dist-cli/sweep-worker-boot.mjs: the sweep's worker thread, at the name
 *   command-sweep.ts starts it by (`new URL('./sweep-worker-boot.mjs', import.meta.url)`),
 *   so the bundle starts the prebuilt worker, not the tsx one.
 * - @yowasp/clang stays a package: its wasm files live beside it. Both
 *   bundles reach it through bin/node-clang.mjs (why: see there).
 * - The toolchain layer's `import.meta.url` keeps meaning its own source
 *   file (node-source.ts finds public/corpus/ from there), not the bundle.
 * - dist-cli/inputs.json: the build's start time and every source file it
 *   read, for the launcher's freshness check.
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

const root = resolve(import.meta.dirname, '..');
export const CLI_OUT_DIR = resolve(root, 'dist-cli');

/** Where `target` is, relative to the bundle (every output file sits in `outDir` itself). */
const fromBundle = (outDir: string, target: string) =>
  relative(outDir, target).split('\\').join('/');

/** `@yowasp/clang` → bin/node-clang.mjs, left as an import (it imports the real package). */
const nodeClang = (outDir: string): Plugin => ({
  name: 'node-clang',
  setup(b) {
    b.onResolve({ filter: /^@yowasp\/clang$/ }, () => ({
      path: fromBundle(outDir, resolve(root, 'bin/node-clang.mjs')),
      external: true,
    }));
  },
});

/**
 * In src/toolchain, `import.meta.url` → the URL of the source file, relative
 * to the bundle (every output file sits in dist-cli/ itself), so the build
 * still works when the repository moves.
 */
const sourceUrls = (outDir: string): Plugin => ({
  name: 'source-urls',
  setup(b) {
    b.onLoad({ filter: /[/\\]src[/\\]toolchain[/\\].*\.ts$/ }, async ({ path }) => {
      const text = await readFile(path, 'utf8');
      if (!text.includes('import.meta.url')) return undefined;
      const url = `new URL(${JSON.stringify(fromBundle(outDir, path))}, import.meta.url).href`;
      return { contents: text.replaceAll('import.meta.url', url), loader: 'ts' };
    });
  },
});

/** Builds into `outDir` (tests build elsewhere; the launcher reads dist-cli/). */
export async function buildCli(outDir = CLI_OUT_DIR): Promise<{ ms: number; inputs: number }> {
  const builtAt = Date.now();
  const started = performance.now();
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const result = await build({
    absWorkingDir: root,
    entryPoints: {
      main: 'src/cli/main.ts',
      'sweep-worker-boot': 'src/cli/sweep-worker.ts',
    },
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    chunkNames: '[name]-[hash]', // beside the entries: the paths above are relative to them
    format: 'esm',
    platform: 'node',
    target: 'node20',
    // A bundled CommonJS dependency (lz-string) may call require().
    banner: {
      js: "import { createRequire as __kallsymsLabRequire } from 'node:module'; const require = __kallsymsLabRequire(import.meta.url);",
    },
    plugins: [nodeClang(outDir), sourceUrls(outDir)],
    metafile: true,
    logLevel: 'warning',
  });
  const inputs = Object.keys(result.metafile.inputs)
    .filter((path) => !path.includes('node_modules/'))
    .map((path) => relative(root, resolve(root, path)))
    .sort();
  await writeFile(
    resolve(outDir, 'inputs.json'),
    JSON.stringify({ builtAt, inputs }, null, 1) + '\n',
  );
  return { ms: performance.now() - started, inputs: inputs.length };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { ms, inputs } = await buildCli();
  console.log(`build:cli: dist-cli/ from ${inputs} source files in ${(ms / 1000).toFixed(1)} s`);
}
