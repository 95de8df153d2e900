import { statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { omitResourcesTar } from './build/omit-resources-tar.ts';
import { precompress } from './build/precompress.ts';
import { servePrecompressed } from './build/serve-precompressed.ts';
import { serviceWorker } from './build/service-worker.ts';

/** The toolchain package's resources tar, which the worker does not load (toolchain-assets.ts). */
const resourcesTar = join(
  dirname(createRequire(import.meta.url).resolve('@yowasp/clang')),
  'llvm-resources.tar',
);

export default defineConfig({
  plugins: [react(), serviceWorker(), precompress(), servePrecompressed()],
  // Its size, for the worker's download progress (the package counts it in its total).
  define: { __YOWASP_RESOURCES_TAR_BYTES__: String(statSync(resourcesTar).size) },
  // The toolchain fetches its wasm and resources tar relative to its own module;
  // pre-bundling would move the module away from them.
  optimizeDeps: { exclude: ['@yowasp/clang'] },
  worker: {
    format: 'es',
    plugins: () => [omitResourcesTar()],
    // The package's `import("node:fs/promises")` runs only under Node: left as
    // written, instead of a stub chunk the page would never request.
    rolldownOptions: { external: [/^node:/] },
  },
  build: {
    target: 'es2022',
    // Vite turns the toolchain's `new URL('./llvm.core.wasm', import.meta.url)` into hashed
    // files under assets/; keep even the 787-byte llvm.core4.wasm a file of its own (not a
    // data: URL inside the worker chunk), so every toolchain module is fetched, cached and
    // streamed into WebAssembly.compileStreaming the same way.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
});
