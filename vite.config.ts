import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The toolchain fetches its wasm and resources tar relative to its own module;
  // pre-bundling would move the module away from them.
  optimizeDeps: { exclude: ['@yowasp/clang'] },
  worker: { format: 'es' },
  build: { target: 'es2022' },
});
