/**
 * Test support: the kernel tool's real outputs in shared/fixtures/kallsyms,
 * named `<listing>.<generation>[.<flag>…].S` next to `<listing>.nm`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { KallsymsOptions } from '../index.ts';
import type { Generation } from '../ignore.ts';

export const FIXTURE_DIR = fileURLToPath(
  new URL('../../../../../shared/fixtures/kallsyms/', import.meta.url),
);

export interface OutputFixture {
  file: string;
  listing: string;
  options: KallsymsOptions;
}

/** A fixture file as a byte string (the tool's view). */
export function readFixture(file: string): string {
  return readFileSync(FIXTURE_DIR + file, 'latin1');
}

export function listingFixtures(): string[] {
  return readdirSync(FIXTURE_DIR).filter((f) => f.endsWith('.nm'));
}

export function outputFixtures(): OutputFixture[] {
  const out: OutputFixture[] = [];
  for (const file of readdirSync(FIXTURE_DIR).sort()) {
    const m = /^(.+?)\.(v5\.8|v5\.9|latest)((?:\.[a-z-]+)*)\.S$/.exec(file);
    if (!m) continue;
    const flags = m[3].split('.').filter(Boolean);
    const options: KallsymsOptions = { generation: m[2] as Generation };
    for (const flag of flags) {
      if (flag === 'all-symbols') options.allSymbols = true;
      else if (flag === 'base-relative') options.baseRelative = true;
      else if (flag === 'absolute') options.baseRelative = false;
      else throw new Error(`fixture ${file}: unknown flag ${flag}`);
    }
    out.push({ file, listing: `${m[1]}.nm`, options });
  }
  return out;
}
