/**
 * The command-line tool as a user starts it (issue 12): `npx kallsyms-lab run
 * --preset small-converges` on the WebAssembly toolchain, as whole processes,
 * wall time from spawn to exit, `runs` of them (the median is the target's);
 * and the same through `node bin/kallsyms-lab.mjs` (what npx runs), which
 * leaves out npm's own start. Beside them, the floors the machine sets: a
 * Node process that does nothing and `npx -c true` (npm's start alone).
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { median } from './browser.ts';

const root = resolve(import.meta.dirname, '..');

/** Whether dist-cli/ is there and newer than every source it was built from (what the launcher checks). */
export function prebuiltIsCurrent(): boolean {
  try {
    const { builtAt, inputs } = JSON.parse(
      readFileSync(resolve(root, 'dist-cli/inputs.json'), 'utf8'),
    ) as { builtAt: number; inputs: string[] };
    return inputs.every((input) => statSync(resolve(root, input)).mtimeMs <= builtAt);
  } catch {
    return false;
  }
}

export interface CliStart {
  /** Wall ms per process. */
  wall: number[];
  median: number;
  /** Whether the prebuilt bundle ran (else tsx and the sources). */
  prebuilt: boolean;
  exitCodes: number[];
}

const ARGS = ['run', '--preset', 'small-converges'];

export function measureCliStart(runs: number, via: 'npx' | 'node'): CliStart {
  const prebuilt = prebuiltIsCurrent();
  const wall: number[] = [];
  const exitCodes: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const result =
      via === 'npx'
        ? spawnSync('npx', ['kallsyms-lab', ...ARGS], { cwd: root, encoding: 'utf8' })
        : spawnSync(process.execPath, [resolve(root, 'bin/kallsyms-lab.mjs'), ...ARGS], {
            cwd: root,
            encoding: 'utf8',
          });
    wall.push(performance.now() - t0);
    exitCodes.push(result.status ?? -1);
  }
  return { wall, median: median(wall), prebuilt, exitCodes };
}

export interface CliFloors {
  /** Wall ms of `node -e 0`: a process that starts and ends. */
  node: number[];
  /** Wall ms of `npx -c true`: npm's own start, no package code. */
  npx: number[];
}

/** What any command pays before its first line runs, on this machine. */
export function measureCliFloors(runs: number): CliFloors {
  const timed = (command: string, args: string[]) => {
    const wall: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      spawnSync(command, args, { cwd: root });
      wall.push(performance.now() - t0);
    }
    return wall;
  };
  return { node: timed(process.execPath, ['-e', '0']), npx: timed('npx', ['-c', 'true']) };
}
