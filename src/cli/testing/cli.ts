/**
 * Test support: the CLI run in-process with an injected IO (what it prints,
 * and the exit status), and as a real process through the launcher.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processIO, type CliIO } from '../io.ts';
import { main } from '../main.ts';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const LAUNCHER = fileURLToPath(new URL('../../../bin/kallsyms-lab.mjs', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `kallsyms-lab ...argv` in this process and collects what it prints. */
export async function cli(argv: string[], io: Partial<CliIO> = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, {
    stdout: (t) => {
      stdout += typeof t === 'string' ? t : Buffer.from(t).toString('latin1');
    },
    stderr: (t) => {
      stderr += t;
    },
    readInput: processIO.readInput,
    ...io,
  });
  return { code, stdout, stderr };
}

/** Runs the launcher as a process (a shell line when `shell` is given, with $CLI for the launcher). */
export function cliProcess(
  argvOrShell: string[] | { shell: string },
  options: { input?: string | Uint8Array; env?: NodeJS.ProcessEnv; timeout?: number } = {},
): SpawnSyncReturns<string> {
  const env = { ...process.env, ...options.env, CLI: `node ${LAUNCHER}` };
  const run =
    'shell' in argvOrShell
      ? spawnSync('bash', ['-c', argvOrShell.shell], {
          env,
          encoding: 'latin1',
          cwd: ROOT,
          input: options.input,
          timeout: options.timeout ?? 120_000,
        })
      : spawnSync('node', [LAUNCHER, ...argvOrShell], {
          env,
          encoding: 'latin1',
          cwd: ROOT,
          input: options.input,
          timeout: options.timeout ?? 120_000,
        });
  return run;
}

/** A failure as the CLI promises it: one line on stderr, never a stack trace. */
export function isOneLineFailure(stderr: string, command: string): boolean {
  return (
    new RegExp(`^kallsyms-lab ${command}: [^\\n]+\\n$`).test(stderr) &&
    !/\n\s+at /.test(stderr) &&
    !/Error:/.test(stderr.replace(/^kallsyms-lab [a-z]+: /, ''))
  );
}
