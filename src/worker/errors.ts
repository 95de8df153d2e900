/**
 * The errors the supervisor rejects calls with, by cause, so that the store
 * can tell a user's Stop (nothing to report) from a crash (say what happened).
 * Names are set explicitly: they survive minification and comlink's error
 * serialisation, which keeps only name and message.
 */

/** The run was stopped (Stop, or a newer request superseding it): not a failure. */
export class RunCancelledError extends Error {
  constructor(message = 'The run was cancelled.') {
    super(message);
    this.name = 'RunCancelledError';
  }
}

/** The worker died (failed to load, crashed, ran out of memory) or could not start the toolchain. */
export class WorkerFailedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WorkerFailedError';
  }
}

/** The worker sent something that does not match the schema of what it promised. */
export class WorkerProtocolError extends Error {
  /** Each mismatch as "path: what is wrong". */
  readonly problems: string[];
  constructor(what: string, problems: string[]) {
    super(`worker sent ${what} that does not match: ${problems.join('; ')}`);
    this.name = 'WorkerProtocolError';
    this.problems = problems;
  }
}

/** The message of anything thrown, for a page that shows it as text. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}
