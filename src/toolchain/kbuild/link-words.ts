/**
 * One way to count and name the links of a run, for every place that shows
 * them (the CLI's pass table and verdict, the page's banner, table, chart and
 * step box): trial links are numbered 1, 2, 3…, the final link is named
 * `vmlinux`, and a run is counted in trial links ("after 3 trial links").
 * A record's `pass` numbers the final link `trials + 1`; that number is for
 * ordering only and is never shown.
 */
import type { PassRecord } from './records.ts';

type LinkStep = Pick<PassRecord, 'pass' | 'step'>;

/** The name of the final link, as the kernel's script names its image. */
export const FINAL_LINK = 'vmlinux';

/** A link's short label, for a table cell or a chart tick: "3" or "vmlinux". */
export function linkLabel(link: LinkStep): string {
  return link.step === 'vmlinux' ? FINAL_LINK : String(link.pass);
}

/** A link in a sentence: "trial link 3" or "vmlinux". */
export function linkName(link: LinkStep): string {
  return link.step === 'vmlinux' ? FINAL_LINK : `trial link ${link.pass}`;
}

/** A count of trial links: "1 trial link", "3 trial links". */
export function trialLinks(count: number): string {
  return `${count} trial link${count === 1 ? '' : 's'}`;
}

/** How far a run got, in the same words: "2 trial links", "3 trial links and vmlinux". */
export function linksSoFar(passes: readonly LinkStep[]): string {
  const trials = passes.filter((p) => p.step === 'trial').length;
  const final = passes.some((p) => p.step === 'vmlinux');
  return final ? `${trialLinks(trials)} and ${FINAL_LINK}` : trialLinks(trials);
}
