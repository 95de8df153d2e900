import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Real links with the WebAssembly ld.lld take seconds; the first call also loads 105 MB.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: [
            'src/**/*.test.ts',
            'corpus/**/*.test.ts',
            'scripts/**/*.test.ts',
            'fuzz/**/*.test.ts',
          ],
        },
      },
      {
        // Browser tests in Debian's Chromium against the built site. A project of their own,
        // so their global setup (vite build + vite preview) runs only when e2e files are run.
        extends: true,
        test: {
          name: 'e2e',
          include: ['e2e/**/*.test.ts'],
          globalSetup: ['e2e/global-setup.ts'],
          // One Chromium at a time: each loads a 75 MB wasm and the machines have two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
