/**
 * How a fuzz input ended, judged by the CLI's promises: exit 0 or 1 (a run
 * with its verdict), or exit 2 with one line on stderr saying what was wrong;
 * never a stack trace, an internal error (exit 70), a raw control character
 * on the terminal, or a line of the canary file in any output. A permalink
 * either opens as a valid scenario or gives a short, printable message.
 */
import type { DecodeResult } from '../src/toolchain/scenario/permalink.ts';

export type Outcome = 'refused' | 'ran' | 'crashed' | 'hung' | 'leaked';

export interface Verdict {
  outcome: Outcome;
  code?: number;
  /** For crashes and leaks: what broke the promise; for the rest, the first line of stderr. */
  detail?: string;
}

/** Output as collected (bounded): its head, and whether the canary or a control character went by. */
export interface OutputSummary {
  head: string;
  bytes: number;
  canary: boolean;
  controls: boolean;
}

/** Output as the checks need it: its head, its size, and whether anything alarming went by. */
export class Collected implements OutputSummary {
  head = '';
  bytes = 0;
  canary = false;
  controls = false;
  constructor(private readonly marker: string) {}
  add(text: string): void {
    this.bytes += text.length;
    if (this.head.length < 16384) this.head += text.slice(0, 16384 - this.head.length);
    if (!this.canary && text.includes(this.marker)) this.canary = true;
    // A control character a terminal acts on: C0 but tab and newline, DEL, C1.
    // eslint-disable-next-line no-control-regex
    if (!this.controls && /[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(text)) this.controls = true;
  }
}

/** Lines a command may print on stderr and still succeed (or before its one failure line). */
const NOTES = [/^kallsyms: /, /^kallsyms-lab sweep: --jobs \d+ lowered to \d+ /];

export function classifyCli(
  argv: readonly string[],
  out: { code: number; stdout: OutputSummary; stderr: OutputSummary },
): Verdict {
  const { code, stdout, stderr } = out;
  const first = stderr.head.split('\n')[0];
  if (stdout.canary || stderr.canary)
    return { outcome: 'leaked', code, detail: 'a line of the canary file was printed' };
  const broken: string[] = [];
  if (![0, 1, 2].includes(code)) broken.push(`exit status ${code}`);
  if (/^\s+at \S/m.test(stderr.head)) broken.push('a stack trace on stderr');
  if (stderr.controls) broken.push('a raw control character on stderr');
  // The kallsyms command prints the kernel tool's text byte for byte, names and all.
  if (argv[0] !== 'kallsyms' && stdout.controls) broken.push('a raw control character on stdout');
  const lines = stderr.head.split('\n').filter((l) => l !== '');
  if (code === 2) {
    const last = lines.at(-1) ?? '';
    if (!/^kallsyms-lab( [a-z]+)?: \S/.test(last)) broken.push('exit 2 without a message');
    if (last.length > 20000) broken.push('a message of more than 20,000 characters');
    if (lines.slice(0, -1).some((l) => !NOTES.some((n) => n.test(l))))
      broken.push('more than one line of message');
  } else if (lines.some((l) => !NOTES.some((n) => n.test(l)))) {
    broken.push(`exit ${code} with an unexpected line on stderr`);
  }
  if (broken.length) return { outcome: 'crashed', code, detail: `${broken.join(', ')}: ${first}` };
  return { outcome: code === 2 ? 'refused' : 'ran', code, detail: first };
}

export function classifyLink(result: DecodeResult, valid: (scenario: unknown) => boolean): Verdict {
  if (result.ok) {
    return valid(result.scenario)
      ? { outcome: 'ran', detail: 'opened' }
      : { outcome: 'crashed', detail: 'opened a scenario the schema refuses' };
  }
  const message = result.error;
  if (typeof message !== 'string' || message === '' || message.length > 600)
    return { outcome: 'crashed', detail: `a message of ${String(message).length} characters` };
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f-\x9f\u2028-\u202e]/.test(message))
    return { outcome: 'crashed', detail: 'an unprintable character in the message' };
  return { outcome: 'refused', detail: message.slice(0, 120) };
}
