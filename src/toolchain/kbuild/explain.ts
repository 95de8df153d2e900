import type { TrialReason } from './strategy.ts';

/**
 * Why each step happens, in the spirit of the comments in the kernel's
 * link-vmlinux.sh: shown by the CLI's run record and the page's Step button.
 */
export function explainStep(
  reason: TrialReason | 'final',
  image: string,
  startsWithEmptyTable: boolean,
): string {
  switch (reason) {
    case 'first':
      return startsWithEmptyTable
        ? `Link ${image} with a table object built from no symbols at all, so that the image already ` +
            'has every section the real tables will live in; its symbols are the first guess.'
        : `Link ${image} without any symbol table: the code that reads the tables refers to them ` +
            'weakly, so they resolve to 0. Its symbols are all the build can know so far.';
    case 'with-first-table':
      return (
        `Link ${image} with the table built from the first trial. The table lies in .rodata, between ` +
        'core text and init text, so init text moves up by the table\u2019s size: calls from init code ' +
        'to core code get longer, and those beyond \u00b132 MiB need linker stubs.'
      );
    case 'sizes-differ':
      return (
        `The last two table objects differ in size, so the addresses the newest table describes are ` +
        `already stale: link ${image} once more with it.`
      );
    case 'extra-pass':
      return `KALLSYMS_EXTRA_PASS is set: link ${image} one more time even though the sizes matched.`;
    case 'not-identical':
      return `fixpoint: the last two table objects are not byte-identical yet; link ${image} again.`;
    case 'final':
      return (
        'Link vmlinux with the last table object, then compare its System.map with the last ' +
        'trial\u2019s: any difference means the table describes an image that no longer exists.'
      );
  }
}
