import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { precompress } from './build/precompress.ts';
import { servePrecompressed } from './build/serve-precompressed.ts';

export default defineConfig({
  plugins: [react(), precompress(), servePrecompressed()],
  // The toolchain fetches its wasm and resources tar relative to its own module;
  // pre-bundling would move the module away from them.
  optimizeDeps: { exclude: ['@yowasp/clang'] },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    // Vite turns the toolchain's `new URL('./llvm.core.wasm', import.meta.url)` into hashed
    // files under assets/; keep even the 787-byte llvm.core4.wasm a file of its own (not a
    // data: URL inside the worker chunk), so every toolchain module is fetched, cached and
    // streamed into WebAssembly.compileStreaming the same way.
    assetsInlineLimit: (file) => (file.endsWith('.wasm') ? false : undefined),
  },
});
