/**
 * Test support for nm-listing (never imported by library code): the
 * reference is the WebAssembly toolchain's own `llvm-nm -n` (LLVM 22), run on
 * several files at once, and a comparison that names the first line that
 * differs.
 */
import type { Toolchain } from '../llvm/toolchain.ts';
import { readElf } from './read-elf.ts';
import { nmListingBytes } from './nm-listing.ts';

const decoder = new TextDecoder();

/**
 * `null` when the two listings are the same bytes; otherwise where they first
 * differ, by line number, with both lines (as JSON strings, so blanks show).
 */
export function firstDifference(ours: Uint8Array, llvmNm: Uint8Array): string | null {
  if (ours.length === llvmNm.length && ours.every((b, i) => b === llvmNm[i])) return null;
  const a = decoder.decode(ours).split('\n');
  const b = decoder.decode(llvmNm).split('\n');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i]) {
      return (
        `first difference at line ${i + 1} of ${b.length - 1}:\n` +
        `  nmListing: ${a[i] === undefined ? '(end)' : JSON.stringify(a[i])}\n` +
        `  llvm-nm:   ${b[i] === undefined ? '(end)' : JSON.stringify(b[i])}`
      );
    }
  }
  return 'the bytes differ but every decoded line is the same (invalid UTF-8?)';
}

/**
 * Runs `llvm-nm -n` once on all the files (one WebAssembly run, not one per
 * file) and splits its output per file: for several files llvm-nm prints
 * "\n<name>:\n" before each listing.
 */
export async function llvmNmListings(
  toolchain: Toolchain,
  files: Record<string, Uint8Array>,
): Promise<Map<string, { bytes: Uint8Array; ms: number }>> {
  const names = Object.keys(files);
  const result = await toolchain.run('llvm-nm', ['-n', ...names], files);
  const out = result.stdout;
  const listings = new Map<string, { bytes: Uint8Array; ms: number }>();
  if (names.length === 1) {
    listings.set(names[0], { bytes: out, ms: result.ms });
    return listings;
  }
  const encoder = new TextEncoder();
  const headers = names.map((name) => encoder.encode(`\n${name}:\n`));
  const indexOf = (needle: Uint8Array, from: number): number => {
    for (let at = out.indexOf(needle[0], from); at >= 0; at = out.indexOf(needle[0], at + 1)) {
      let k = 1;
      while (k < needle.length && out[at + k] === needle[k]) k++;
      if (k === needle.length) return at;
    }
    return -1;
  };
  let at = indexOf(headers[0], 0);
  for (let f = 0; f < names.length; f++) {
    if (at < 0) throw new Error(`llvm-nm printed no header for ${names[f]}`);
    const start = at + headers[f].length;
    const end = f + 1 < names.length ? indexOf(headers[f + 1], start) : out.length;
    listings.set(names[f], {
      bytes: out.subarray(start, end < 0 ? out.length : end),
      ms: result.ms / names.length,
    });
    at = end;
  }
  return listings;
}

/** Every file's listing, ours against llvm-nm's: the differences, by file name. */
export async function compareWithLlvmNm(
  toolchain: Toolchain,
  files: Record<string, Uint8Array>,
): Promise<string[]> {
  const reference = await llvmNmListings(toolchain, files);
  const problems: string[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    const difference = firstDifference(nmListingBytes(readElf(bytes)), reference.get(name)!.bytes);
    if (difference !== null) problems.push(`${name}: ${difference}`);
  }
  return problems;
}
