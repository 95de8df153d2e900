/** Exit statuses of every subcommand. */
export const EXIT = {
  /** The run converged, or the command did what it was asked. */
  ok: 0,
  /** The run ended with a failing verdict (inconsistent, not converged, oscillating, link failed). */
  failingVerdict: 1,
  /** Bad input: usage, a missing or unreadable file, an invalid scenario or listing. */
  badInput: 2,
  /** A bug in kallsyms-lab (sysexits' EX_SOFTWARE): never expected; one line says so. */
  internalError: 70,
} as const;

/** A problem with what the user gave: printed as is, exit status 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
