/**
 * A ceiling on the images a run may link (the page sets one; the CLI none):
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

/** The error for `image`, linked at `bytes`, over `ceiling`. */
export function imageOverCeiling(image: string, bytes: number, ceiling: number): RunCeilingError {
  return new RunCeilingError(
    `Stopped: ${image} is ${formatSize(bytes)}, more than the ${formatSize(ceiling)} this page ` +
      'links, so no further pass was linked. Make the image smaller, or run the scenario with ' +
      'the command-line tool (npx kallsyms-lab run --scenario FILE), which has no such limit.',
  );
}
