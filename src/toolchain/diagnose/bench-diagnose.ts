/**
 * How long `kallsyms-lab diagnose` takes on a kernel-sized image, and how
 * much memory it holds: a benchmark to run and quote, not a test.
 *
 *   node --import tsx src/toolchain/diagnose/bench-diagnose.ts
 *
 * It links two generated kernel-sized images with ld.lld-16 (66 MB, about
 * 170,000 symbols each; the second's init text 4 KiB further up, as after a
 * grown table), then runs the CLI in a fresh Node process per run (BENCH_RUNS,
 * default 3) on one image and on the pair, and prints the median wall time,
 * the median CPU time (user + system, which a loaded machine inflates less)
 * and the peak resident memory of the process (getrusage's maxRSS).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KERNEL_GAP, makeKernelSizedImage } from './testing/kernel-image.ts';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Sample {
  wall: number;
  cpu: number;
  maxRssMb: number;
  bytesRead: number;
}

/** One CLI run in a fresh process; the child reports its own rusage. */
function runOnce(args: string[]): Sample {
  const script = `
    const { main } = await import('./src/cli/main.ts');
    let out = '';
    const code = await main(${JSON.stringify(args)}, {
      stdout: (t) => { out += typeof t === 'string' ? t : Buffer.from(t).toString('latin1'); },
      stderr: () => {},
      readInput: async () => new Uint8Array(0),
    });
    const u = process.resourceUsage();
    const d = JSON.parse(out);
    process.stderr.write(JSON.stringify({ code, cpu: (u.userCPUTime + u.systemCPUTime) / 1000,
      maxRSS: u.maxRSS, bytesRead: d.tables.reduce((n, t) => n + t.input.bytesRead, 0) }));
  `;
  const t0 = performance.now();
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script],
    {
      cwd: ROOT,
      encoding: 'utf8',
    },
  );
  const wall = performance.now() - t0;
  const report = JSON.parse(child.stderr.trim().split('\n').at(-1)!);
  if (report.code > 1) throw new Error(`diagnose exited ${report.code}`);
  return { wall, cpu: report.cpu, maxRssMb: report.maxRSS / 1024, bytesRead: report.bytesRead };
}

const dir = mkdtempSync(join(tmpdir(), 'kallsyms-bench-diagnose-'));
try {
  console.log(
    `node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ` +
      loadavg()
        .map((l) => l.toFixed(1))
        .join(' '),
  );
  const a = await makeKernelSizedImage(dir);
  const b = await makeKernelSizedImage(dir, { gap: KERNEL_GAP + 0x1000, name: 'vmlinux.moved' });
  console.log(
    `images: ${a.bytes.toLocaleString('en-US')} and ${b.bytes.toLocaleString('en-US')} bytes`,
  );
  for (const [label, args, bytes] of [
    ['one image', ['diagnose', a.path, '--json'], a.bytes],
    ['two images', ['diagnose', a.path, b.path, '--json'], a.bytes + b.bytes],
  ] as const) {
    const samples = Array.from({ length: RUNS }, () => runOnce([...args]));
    console.log(
      `${label.padEnd(11)} wall ${(median(samples.map((s) => s.wall)) / 1000).toFixed(2)} s, ` +
        `CPU ${(median(samples.map((s) => s.cpu)) / 1000).toFixed(2)} s, ` +
        `peak RSS ${median(samples.map((s) => s.maxRssMb)).toFixed(0)} MB, ` +
        `read ${samples[0].bytesRead.toLocaleString('en-US')} of ${bytes.toLocaleString('en-US')} bytes ` +
        `(median of ${RUNS})`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
