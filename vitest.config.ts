import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'corpus/**/*.test.ts', 'scripts/**/*.test.ts'],
    // Real links with the WebAssembly ld.lld take seconds; the first call also loads 105 MB.
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
