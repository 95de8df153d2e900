#!/usr/bin/env node
// The `kallsyms-lab` command. It runs the prebuilt CLI (dist-cli/, which
// `npm ci` builds through the `prepare` step: build/build-cli.ts) when that
// is newer than every source it was built from; else, while the sources are
// being edited, the TypeScript itself through tsx (slower to start).
import { readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// Validate a wasm function when it is first compiled, not the whole 75 MB
// llvm.core.wasm up front: ld.lld and llvm-nm use a small part of it, and
// validating all of it was most of the start (WebAssembly.compile of the
// module: ~0.45 s of CPU eagerly, ~0.08 s lazily). Flags are per process, so
// the sweep's worker threads get it too.
setFlagsFromString('--wasm-lazy-validation');

const root = new URL('../', import.meta.url);

/** The prebuilt entry, when it is there and no source it was built from changed since. */
function prebuilt() {
  try {
    const { builtAt, inputs } = JSON.parse(
      readFileSync(new URL('dist-cli/inputs.json', root), 'utf8'),
    );
    for (const input of inputs) {
      if (statSync(new URL(input, root)).mtimeMs > builtAt) return null;
    }
    return new URL('dist-cli/main.mjs', root);
  } catch {
    return null; // not built, or a source moved away: the sources decide
  }
}

let entry = prebuilt();
if (entry === null) {
  const { register } = await import('tsx/esm/api');
  register();
  entry = new URL('src/cli/main.ts', root);
}
let cli;
try {
  cli = await import(entry.href);
} catch (error) {
  // guardProcess lives in what failed to load: say it in one line here.
  if (process.env.KALLSYMS_LAB_DEBUG) process.stderr.write(`${error?.stack ?? error}\n`);
  const message = String(error?.message ?? error).replace(/\s+/g, ' ');
  process.stderr.write(
    `kallsyms-lab: internal error: could not load ${entry.pathname}: ${message} ` +
      '(a broken install: run npm ci; KALLSYMS_LAB_DEBUG=1 prints where)\n',
  );
  process.exit(70);
}
const { guardProcess, main } = cli;
guardProcess(); // EPIPE ends quietly; nothing escapes as a stack trace
process.exitCode = await main(process.argv.slice(2));
