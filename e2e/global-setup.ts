/**
 * Vitest global setup for the browser tests: builds the site once with the
 * project's vite.config.ts (into a private folder, so a developer's dist/ or
 * a second test run is never disturbed) and serves it with `vite preview` on
 * a free port: the same server and headers `npm run preview` gives. The tests
 * read the address with `inject('baseUrl')`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import type { TestProject } from 'vitest/node';
import { requestLog } from './request-log.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** e.g. "http://127.0.0.1:41234/" */
    baseUrl: string;
    /** The built site being served. */
    distDir: string;
  }
}

const root = resolve(import.meta.dirname, '..');

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const outDir = await mkdtemp(join(tmpdir(), 'kallsyms-lab-e2e-'));
  let server: PreviewServer | undefined;
  try {
    const started = performance.now();
    await build({
      root,
      configFile: join(root, 'vite.config.ts'),
      // Errors only: `npm run build` shows the warnings; here they would bury the test report.
      logLevel: 'error',
      build: { outDir, emptyOutDir: true },
    });
    console.log(`e2e: built the site in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    server = await preview({
      root,
      configFile: join(root, 'vite.config.ts'),
      logLevel: 'warn',
      build: { outDir },
      plugins: [requestLog()],
      preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
    });
    const { port } = server.httpServer.address() as AddressInfo;
    project.provide('baseUrl', `http://127.0.0.1:${port}/`);
    project.provide('distDir', outDir);
  } catch (error) {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
    throw error;
  }
  return async () => {
    await server?.close();
    await rm(outDir, { recursive: true, force: true });
  };
}
