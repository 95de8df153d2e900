/**
 * Schemas of everything the page receives from the toolchain worker. The
 * supervisor checks each message on arrival, so a worker from another build
 * (a stale cache) or a bug on either side is reported as a readable mismatch
 * instead of surfacing later as `undefined` deep inside a chart.
 */
import { z } from 'zod';
import {
  passRecordSchema,
  runRecordSchema,
  type PassRecord,
  type RunRecord,
} from '../toolchain/kbuild/records.ts';
import { WorkerProtocolError } from './errors.ts';

/** Download/compile progress of the toolchain, as fetchProgress reports it. */
export const initProgressSchema = z.object({
  phase: z.enum(['download', 'compile', 'corpus', 'ready']),
  /** Bytes fetched so far and in all (the wasm modules and resources tar together). */
  doneBytes: z.number().nonnegative(),
  totalBytes: z.number().nonnegative(),
  /** What is being fetched now, for the progress label. */
  label: z.string(),
  /**
   * The compressed bytes the downloads declared so far (Content-Length):
   * what crosses the wire, where `totalBytes` counts them decompressed.
   */
  wireBytes: z.number().nonnegative().optional(),
});
export type InitProgress = z.infer<typeof initProgressSchema>;

export const initInfoSchema = z.object({
  /**
   * e.g. "ld.lld (WebAssembly, from @yowasp/clang 22.0.0-git20542-10)"; the
   * linker's own version comes later, from `toolchainVersion()`.
   */
  toolchainVersion: z.string(),
  /** Time from the start of init to ready, in ms. */
  ms: z.number().nonnegative(),
  /**
   * Where the worker's compiled ld.lld came from this time: handed over by the
   * page, compiled from Cache Storage or from a download (the browser worker
   * says; Node does not).
   */
  toolchainFrom: z.enum(['adopted', 'cache-storage', 'network']).optional(),
  /**
   * What this start downloaded, measured (toolchain-assets.ts): bytes on the
   * wire and decompressed. Absent when nothing came from the network.
   */
  download: z
    .object({ wireBytes: z.number().nonnegative(), bytes: z.number().nonnegative() })
    .optional(),
});
export type InitInfo = z.infer<typeof initInfoSchema>;

/** At most this many mismatches are named in a message; more only add noise. */
const MAX_PROBLEMS = 3;

/**
 * Parses `value` with `schema`, or throws a WorkerProtocolError such as
 * "worker sent a pass record that does not match: stubs.total: expected number, received string".
 */
export function checkFromWorker<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const path = issue.path.length ? issue.path.map(String).join('.') : '(the whole value)';
    return `${path}: ${issue.message.replace(/^Invalid input: /, '')}`;
  });
  const shown = problems.slice(0, MAX_PROBLEMS);
  if (problems.length > MAX_PROBLEMS) shown.push(`and ${problems.length - MAX_PROBLEMS} more`);
  throw new WorkerProtocolError(what, shown);
}

export const checkInitProgress = (value: unknown): InitProgress =>
  checkFromWorker(initProgressSchema, value, 'an init progress report');
export const checkInitInfo = (value: unknown): InitInfo =>
  checkFromWorker(initInfoSchema, value, 'an init result');
export const checkToolchainVersion = (value: unknown): string =>
  checkFromWorker(z.string().min(1), value, 'a toolchain version');
/** The name of the Web Lock the worker lives by, or null (lifeline.ts). */
export const checkLifeline = (value: unknown): string | null =>
  checkFromWorker(z.string().min(1).max(200).nullable(), value, 'a lifeline');
/** Compiled modules travel as structured clones: anything else is a protocol error. */
export const compiledModulesSchema = z.record(z.string(), z.instanceof(WebAssembly.Module));

export const checkCompiledModules = (value: unknown): z.infer<typeof compiledModulesSchema> =>
  checkFromWorker(compiledModulesSchema, value, 'a set of compiled modules');
/** How far a generated corpus is made (obtain-corpus.ts), as the worker reports it. */
export const corpusProgressSchema = z.object({
  stage: z.enum(['plan', 'write', 'checksum']),
  done: z.number().int().nonnegative(),
  total: z.number().int().positive(),
});
export const checkCorpusProgress = (value: unknown) =>
  checkFromWorker(corpusProgressSchema, value, 'a corpus progress report');

export const checkPassRecord = (value: unknown): PassRecord =>
  checkFromWorker(passRecordSchema, value, 'a pass record');
export const checkRunRecord = (value: unknown): RunRecord =>
  checkFromWorker(runRecordSchema, value, 'a run record');
