/**
 * What the page shows at the moments the browser tests and the bench wait
 * for, in one place (no vitest here: bench/ imports it too).
 */

/** The verdict banner's text once a run has ended (the words). */
export const VERDICT_PATTERN =
  /^\s*(Converged|Inconsistent kallsyms data|Not converged|Oscillating|Link failed)/;

/**
 * Evaluated in the page: its clock's `performance.now()` once the toolchain
 * is ready (no progressbar left, Run enabled), else false. A string, not a
 * function: tsx would wrap named inner functions in a helper the page lacks.
 */
export const READY_EXPRESSION = `(() => {
  if (document.querySelector('[role="progressbar"]')) return false;
  const run = [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Run');
  return run && !run.disabled ? performance.now() : false;
})()`;

/** Evaluated in the page: whether the verdict banner shows a verdict. */
export const VERDICT_SHOWN_EXPRESSION = `new RegExp(${JSON.stringify(VERDICT_PATTERN.source)}).test(document.querySelector('[role="status"]')?.textContent ?? '')`;
