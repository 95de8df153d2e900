/**
 * The phase map section of `npm run bench`: `kallsyms-lab sweep` over a
 * 32 × 32 grid of the default preset (its corpus, its strategy), run as the
 * user would run it, in a process of its own, with its worker pool. Reports
 * the wall time, the cells by verdict, and the peak memory: the CLI's own
 * process (main thread and worker threads, which share it) and, summed with
 * it, every process it started (the native ld.lld and llvm-nm runs),
 * sampled from /proc every 100 ms.
 *
 *   BENCH_PHASE=0                     skip it
 *   BENCH_PHASE_TOOLCHAIN=native      the native ld.lld instead of the WebAssembly one
 *   BENCH_PHASE_STEPS=32              cells per side
 *
 * WebAssembly by default, as `sweep` and the page run: on this corpus the
 * 32 × 32 map took 347 CPU seconds in WebAssembly and 365 natively (the
 * native toolchain spawns a process and lays out its files for every link),
 * though each WebAssembly worker holds its own ld.lld (peak 0.98 GB against
 * 0.53 GB).
 */
import { spawn } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { sweepRecordSchema, type SweepRecord } from '../src/toolchain/sweep/result.ts';
import { DEFAULT_PRESET_ID, findPreset } from '../src/toolchain/scenario/presets.ts';

export interface PhaseMapBench {
  command: string[];
  toolchain: 'wasm' | 'native';
  cells: number;
  jobs: number;
  wallMs: number;
  /** The sweep's own clock (pool start to last cell). */
  sweepMs: number;
  verdicts: Record<string, number>;
  /** Peak VmRSS of the CLI's process (its worker threads included), bytes. */
  peakProcessRss: number;
  /** Peak of that plus every descendant process's VmRSS, summed at each sample, bytes. */
  peakTreeRss: number;
  /** The CLI process's VmHWM at its last sample (the kernel's own peak), bytes. */
  processHighWaterMark: number;
  /**
   * CPU seconds the map used: the CLI process and the processes it waited
   * for (its ld.lld and llvm-nm runs), at the last sample (≤ 100 ms before
   * it exited). Over the cores, what the wall time would be on an idle machine.
   */
  cpuSeconds: number;
  loadAverageBefore: number[];
  loadAverageAfter: number[];
}

const ROOT = fileURLToPath(new URL('../', import.meta.url));

/** utime + stime + cutime + cstime of a process, in seconds (clock ticks of 1/100 s). */
async function cpuSecondsOf(pid: number): Promise<number | null> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After "state": ppid … utime is field 14 of the whole line, i.e. index 11 here.
    const ticks = [11, 12, 13, 14].reduce((sum, i) => sum + Number(fields[i]), 0);
    return ticks / 100;
  } catch {
    return null;
  }
}

async function statusKb(pid: number, field: string): Promise<number> {
  try {
    const text = await readFile(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text);
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0; // gone
  }
}

/** Every process whose ancestry reaches `root`, from /proc/PID/stat's parent field. */
async function descendants(root: number): Promise<number[]> {
  const parent = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …: comm may hold spaces, so read after the last ')'.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parent.set(Number(name), ppid);
    } catch {
      // exited meanwhile
    }
  }
  const out: number[] = [];
  for (const pid of parent.keys()) {
    for (let p = parent.get(pid); p !== undefined && p > 1; p = parent.get(p)) {
      if (p === root) {
        out.push(pid);
        break;
      }
    }
  }
  return out;
}

export async function benchPhaseMap(log: (line: string) => void): Promise<PhaseMapBench> {
  const toolchain = process.env.BENCH_PHASE_TOOLCHAIN === 'native' ? 'native' : 'wasm';
  const steps = Number(process.env.BENCH_PHASE_STEPS ?? 32);
  const preset = findPreset(DEFAULT_PRESET_ID)!;
  // Across: the gap over the reach limit (the page's sweep range). Down: KERNELBASE moved in
  // 512 KiB steps through one 16 MiB alignment of init text, which moves where init text lands.
  const base = BigInt(preset.scenario.layout.base);
  const command = [
    'bin/kallsyms-lab.mjs',
    'sweep',
    ...['--preset', DEFAULT_PRESET_ID, '--param', 'gap', '--from', '28', '--to', '36'],
    ...['--steps', String(steps), '--param2', 'base'],
    ...['--from2', `0x${base.toString(16)}`, '--to2', `0x${(base + 0xf80000n).toString(16)}`],
    ...['--steps2', String(steps), '--toolchain', toolchain, '--json'],
  ];
  log(`  phase map: node ${command.join(' ')}`);
  const loadAverageBefore = loadavg().map((l) => Number(l.toFixed(2)));
  const started = performance.now();
  const child = spawn(process.execPath, command, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? -1)));

  let peakProcessRss = 0;
  let peakTreeRss = 0;
  let processHighWaterMark = 0;
  let cpuSeconds = 0;
  let running = true;
  void exited.then(() => (running = false));
  while (running) {
    const pid = child.pid!;
    const own = await statusKb(pid, 'VmRSS');
    const hwm = await statusKb(pid, 'VmHWM');
    if (hwm > 0) processHighWaterMark = hwm;
    cpuSeconds = (await cpuSecondsOf(pid)) ?? cpuSeconds;
    let tree = own;
    for (const d of await descendants(pid)) tree += await statusKb(d, 'VmRSS');
    peakProcessRss = Math.max(peakProcessRss, own);
    peakTreeRss = Math.max(peakTreeRss, tree);
    await new Promise((r) => setTimeout(r, 100));
  }
  const code = await exited;
  const wallMs = performance.now() - started;
  // 0: all converged, 1: some cell did not; anything else is a failure of the sweep itself.
  if (code !== 0 && code !== 1) throw new Error(`the sweep exited with ${code}: ${stderr.trim()}`);
  const record: SweepRecord = sweepRecordSchema.parse(JSON.parse(stdout));
  const verdicts: Record<string, number> = {};
  for (const s of record.steps) verdicts[s.verdict] = (verdicts[s.verdict] ?? 0) + 1;
  return {
    command: ['node', ...command],
    toolchain,
    cells: record.steps.length,
    jobs: record.jobs,
    wallMs,
    sweepMs: record.totalMs,
    verdicts,
    peakProcessRss,
    peakTreeRss,
    processHighWaterMark,
    cpuSeconds,
    loadAverageBefore,
    loadAverageAfter: loadavg().map((l) => Number(l.toFixed(2))),
  };
}

export function phaseMapLines(r: PhaseMapBench): string[] {
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  return [
    `${r.cells} cells (${Math.round(Math.sqrt(r.cells))} × ${Math.round(Math.sqrt(r.cells))}) on ${r.jobs} ${r.toolchain} workers, ${availableParallelism()} cores: ` +
      `${(r.wallMs / 1000).toFixed(1)} s wall (sweep clock ${(r.sweepMs / 1000).toFixed(1)} s)`,
    `  CPU: ${r.cpuSeconds.toFixed(0)} s (CLI process and its ld.lld/llvm-nm runs): ` +
      `${(r.cpuSeconds / availableParallelism()).toFixed(0)} s over ${availableParallelism()} cores, the wall time on an idle machine`,
    `  ${r.command.join(' ')}`,
    `  cells: ${Object.entries(r.verdicts)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
    `  peak memory: CLI process ${mb(r.peakProcessRss)} (VmHWM ${mb(r.processHighWaterMark)}), ` +
      `with the ld.lld/llvm-nm processes it started ${mb(r.peakTreeRss)} (VmRSS sampled every 100 ms)`,
    `  load average before ${r.loadAverageBefore.join(' ')}, after ${r.loadAverageAfter.join(' ')}`,
  ];
}
