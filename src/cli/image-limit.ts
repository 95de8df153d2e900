/**
 * The CLI's ceiling on the images a run links (--max-image). A scenario file
 * comes from anyone, and its own linker script can fill gigabytes: a 1.5 GiB
 * fill took the process to 8.5 GB before this limit. Like the page, the run
 * is refused before linking when the estimate (scenario/cost.ts) is over, and
 * stopped after a link whose image turns out larger (a script the estimate
 * cannot read). Unlike the page, the reader may raise it.
 */
import { formatSize } from '../toolchain/kbuild/image-ceiling.ts';
import type { LoopConfig } from '../toolchain/kbuild/run-loop.ts';
import type { RunCost } from '../toolchain/scenario/cost.ts';
import { UsageError } from './exit-codes.ts';
import { parseDecimal } from './numbers.ts';

const MIB = 1024 * 1024;

/** The default, in MiB: the page's ceiling, 40 times the committed corpus's largest image. */
export const DEFAULT_MAX_IMAGE_MIB = 256;
/**
 * The most --max-image takes. ld.lld for WebAssembly stops near 4 GiB of memory by itself;
 * the higher cap is for the native toolchain on a machine with the memory for it.
 */
const MOST_MIB = 64 * 1024;

export const MAX_IMAGE_USAGE = `  --max-image MIB           refuse images larger than this (default ${DEFAULT_MAX_IMAGE_MIB}; a run needs
                            about 6 bytes of memory per image byte)`;

/** --max-image's value in bytes (the default when not given). */
export function parseMaxImage(text: string | undefined): number {
  if (text === undefined) return DEFAULT_MAX_IMAGE_MIB * MIB;
  const mib = parseDecimal('--max-image', text, {
    integer: true,
    min: 1,
    max: MOST_MIB,
    example: '--max-image 1024 (MiB)',
  });
  return mib * MIB;
}

/** The ceiling for the link loop, and what it says when a linked image is over it. */
export function ceilingOf(
  maxImageBytes: number,
): Required<Pick<LoopConfig, 'maxImageBytes' | 'ceilingAdvice'>> {
  return {
    maxImageBytes,
    ceilingAdvice:
      'this command links unless given more, so no further pass was linked. Make the image ' +
      'smaller, or raise --max-image (MiB) above its size if this machine has the memory ' +
      '(a run takes about 6 bytes per image byte).',
  };
}

/** Refuses, before any link, a run whose estimated image is over the ceiling. */
export function refuseOverImageLimit(cost: RunCost, maxImageBytes: number, source: string): void {
  if (cost.imageBytes === null || cost.imageBytes <= maxImageBytes) return;
  throw new UsageError(
    `${source}: makes an image of up to ${formatSize(cost.imageBytes)}, ` +
      `more than the ${formatSize(maxImageBytes)} this command links unless given more. ` +
      `Make it smaller, or pass --max-image ${suggestMib(cost.imageBytes)} (MiB) if this ` +
      `machine has about ${formatSize(cost.imageBytes * 6)} of memory to spare.`,
  );
}

/** A --max-image value that admits `bytes`, in whole MiB. */
const suggestMib = (bytes: number): number => Math.min(MOST_MIB, Math.ceil(bytes / MIB));
