/**
 * A ceiling on the images a run may link (the page's is fixed; the CLI's is
 * --max-image, 256 MiB unless raised):
 * a link whose image turns out larger stops the run with a message that says
 * so, instead of the next pass linking it again. The page also refuses, before
 * linking, what `scenario/cost.ts` estimates over it; this catches what no
 * estimate could tell (a linker script it could not read).
 */

const MIB = 1024 * 1024;

/** A size for a sentence: "1.5 GiB", "256 MiB", "800 KiB". */
export function formatSize(bytes: number): string {
  const units = [
    ['GiB', 1024 * MIB],
    ['MiB', MIB],
    ['KiB', 1024],
  ] as const;
  for (const [unit, size] of units) {
    if (bytes >= size)
      return `${Number((bytes / size).toFixed(bytes >= 10 * size ? 0 : 1))} ${unit}`;
  }
  return `${bytes} bytes`;
}

/** A run over the page's ceiling, refused before or stopped after a link. Named for comlink. */
export class RunCeilingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunCeilingError';
  }
}

/** What the page says to do about an image over its ceiling. */
export const PAGE_CEILING_ADVICE =
  'this page links, so no further pass was linked. Make the image smaller, or run the scenario ' +
  'with the command-line tool (npx kallsyms-lab run --scenario FILE), which can be given more.';

/**
 * The error for `image`, linked at `bytes`, over `ceiling`; `advice` follows
 * "more than the 256 MiB " (whose limit it is, and what to do).
 */
export function imageOverCeiling(
  image: string,
  bytes: number,
  ceiling: number,
  advice: string = PAGE_CEILING_ADVICE,
): RunCeilingError {
  return new RunCeilingError(
    `Stopped: ${image} is ${formatSize(bytes)}, more than the ${formatSize(ceiling)} ${advice}`,
  );
}
