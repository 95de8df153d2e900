/**
 * Where a Run's time goes in Chromium, thread by thread: a trace of one Run
 * of a preset (after a warm-up run) with V8's sampling profiler, summed by
 * function per thread. A tool for finding what to speed up, not a bench.
 *
 *   node --import tsx bench/trace-run.ts [preset] [runs]
 */
import { writeFileSync } from 'node:fs';
import { launchProfile, runToVerdict, waitForReady, withSite } from './browser.ts';

const preset = process.argv[2] ?? 'small-converges';
const runs = Number(process.argv[3] ?? 1);

interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  parent?: number;
}

await withSite(process.env.BENCH_DIST, async (site) => {
  const profile = await launchProfile();
  try {
    const page = await profile.context.newPage();
    await page.goto(site.url);
    await waitForReady(page);
    await page.waitForTimeout(3000);
    await page.getByLabel('Preset', { exact: true }).selectOption(preset);
    await runToVerdict(page, 600_000);
    await page.waitForTimeout(500);
    const cdp = await profile.context.newCDPSession(page);
    const events: Record<string, unknown>[] = [];
    cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as Record<string, unknown>[])));
    const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
    await cdp.send('Tracing.start', {
      traceConfig: {
        includedCategories: [
          'disabled-by-default-v8.cpu_profiler',
          'v8',
          'devtools.timeline',
          'disabled-by-default-devtools.timeline',
        ],
      },
      transferMode: 'ReportEvents',
    });
    const times: number[] = [];
    for (let i = 0; i < runs; i++) times.push((await runToVerdict(page, 600_000)).pageMs);
    await cdp.send('Tracing.end');
    await done;
    writeFileSync('/tmp/prof/trace.json', JSON.stringify(events));
    console.log(`Run→verdict: ${times.map((t) => t.toFixed(0)).join(', ')} ms`);
    summarise(events);
  } finally {
    await profile.close();
  }
});

function summarise(events: Record<string, unknown>[]): void {
  const threadName = new Map<string, string>();
  for (const e of events)
    if (e.name === 'thread_name')
      threadName.set(`${e.pid}:${e.tid}`, (e.args as { name: string }).name);
  // Profile chunks, per profile id (one per thread).
  const nodes = new Map<string, Map<number, Node>>();
  const self = new Map<string, Map<string, number>>();
  const thread = new Map<string, string>();
  for (const e of events) {
    if (e.name === 'Profile') thread.set(String(e.id), `${e.pid}:${e.tid}`);
    if (e.name !== 'ProfileChunk') continue;
    const id = String(e.id);
    thread.set(id, thread.get(id) ?? `${e.pid}:${e.tid}`);
    const data = (
      e.args as {
        data: { cpuProfile?: { nodes?: Node[]; samples?: number[] }; timeDeltas?: number[] };
      }
    ).data;
    let byId = nodes.get(id);
    if (!byId) nodes.set(id, (byId = new Map()));
    for (const n of data.cpuProfile?.nodes ?? []) byId.set(n.id, n);
    const samples = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    let sums = self.get(id);
    if (!sums) self.set(id, (sums = new Map()));
    for (let i = 0; i < samples.length; i++) {
      const key = String(samples[i]);
      sums.set(key, (sums.get(key) ?? 0) + (deltas[i + 1] ?? deltas[i] ?? 0));
    }
  }
  for (const [id, sums] of self) {
    const byId = nodes.get(id)!;
    const byName = new Map<string, number>();
    let total = 0;
    for (const [nodeId, us] of sums) {
      const n = byId.get(Number(nodeId));
      const f = n?.callFrame;
      const name = f
        ? `${f.functionName || '(anon)'} ${(f.url ?? '').split('/').pop()}:${f.lineNumber}`
        : '?';
      if (name.startsWith('(idle)')) continue;
      byName.set(name, (byName.get(name) ?? 0) + us);
      total += us;
    }
    const t = thread.get(id)!;
    console.log(`\n== ${threadName.get(t) ?? t}: ${(total / 1000).toFixed(0)} ms busy`);
    for (const [name, us] of [...byName].sort((a, b) => b[1] - a[1]).slice(0, 25))
      console.log(`  ${(us / 1000).toFixed(1).padStart(8)} ms  ${name}`);
  }
}
