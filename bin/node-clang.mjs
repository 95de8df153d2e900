/**
 * @yowasp/clang as the prebuilt CLI loads it (build/build-cli.ts points the
 * package's name here). The package's own Node path reads every file it
 * needs whole and streams it through a Response, and reads and unpacks
 * llvm-resources.tar (28 MB, 2,466 files: clang's headers, which ld.lld and
 * llvm-nm never read) on every start. Its browser path calls a `fetch`
 * instead, which this module provides, as the page's worker does
 * (src/worker/toolchain-assets.ts):
 *
 * - the resources tar is an empty archive (1,024 zero bytes);
 * - a wasm module is compiled with WebAssembly.compile straight from the
 *   file's bytes (the package's copy of the response is drained, empty);
 * - anything else is fetched as before.
 *
 * The package picks its path once, when it is evaluated, by
 * `process.release.name === "node"`; so that one evaluation sees another
 * name and our `fetch`, and both are put back at once. Should a later
 * version of the package decide differently, it takes its own Node path:
 * slower, the same results.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** Marks our responses with the file a module is compiled from. */
const ASSET_HEADER = 'x-kallsyms-lab-file';
/** A tar archive with no entries: its end marker, two zero blocks. */
const EMPTY_TAR = new Uint8Array(1024);

const nativeFetch = globalThis.fetch;
const compileStreaming = WebAssembly.compileStreaming.bind(WebAssembly);

function fileFetch(input, init) {
  const url = input instanceof URL ? input : new URL(typeof input === 'string' ? input : input.url);
  if (url.protocol !== 'file:') return nativeFetch(input, init);
  if (url.pathname.endsWith('.tar')) {
    return Promise.resolve(
      new Response(EMPTY_TAR, { headers: { 'content-type': 'application/x-tar' } }),
    );
  }
  if (url.pathname.endsWith('.wasm')) {
    return Promise.resolve(
      new Response(new Uint8Array(0), {
        headers: { 'content-type': 'application/wasm', [ASSET_HEADER]: url.href },
      }),
    );
  }
  return readFile(url).then((bytes) => new Response(bytes));
}

WebAssembly.compileStreaming = async (source) => {
  const response = await source;
  const file = response.headers.get(ASSET_HEADER);
  if (!file) return compileStreaming(response);
  await response.arrayBuffer(); // the package's progress copy, empty
  return WebAssembly.compile(await readFile(new URL(file)));
};

const packageUrl = pathToFileURL(createRequire(import.meta.url).resolve('@yowasp/clang')).href;
const release = Object.getOwnPropertyDescriptor(process, 'release');
let clang;
try {
  Object.defineProperty(process, 'release', {
    ...release,
    value: { ...process.release, name: 'kallsyms-lab' },
  });
  globalThis.fetch = fileFetch;
  clang = await import(packageUrl);
} finally {
  Object.defineProperty(process, 'release', release);
  globalThis.fetch = nativeFetch;
}

export const { Exit, commands, runClang, runLLVM, version } = clang;
