/**
 * Measured times and sizes from the browser tests, printed and collected in
 * test-results/e2e-timings.json (git-ignored) for the report; screenshots go
 * to test-results/screenshots/.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const RESULTS = resolve(import.meta.dirname, '..', 'test-results');
const FILE = join(RESULTS, 'e2e-timings.json');

/**
 * Where a test saves a screenshot for people to look at: test-results/screenshots/
 * (git-ignored), or the folder KALLSYMS_LAB_SHOTS names.
 */
export function screenshotPath(name: string): string {
  const dir = process.env.KALLSYMS_LAB_SHOTS;
  return dir ? join(resolve(dir), name) : join(RESULTS, 'screenshots', name);
}

export async function recordTiming(name: string, values: Record<string, unknown>): Promise<void> {
  console.log(`e2e timing ${name}: ${JSON.stringify(values)}`);
  await mkdir(join(FILE, '..'), { recursive: true });
  let all: Record<string, unknown> = {};
  try {
    all = JSON.parse(await readFile(FILE, 'utf8')) as Record<string, unknown>;
  } catch {
    // first entry
  }
  all[name] = { ...values, at: new Date().toISOString() };
  await writeFile(FILE, JSON.stringify(all, null, 2) + '\n');
}
