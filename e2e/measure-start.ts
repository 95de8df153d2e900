/**
 * Measures delivery in headless Chromium against the built site served by
 * `vite preview` (the same server and headers as `npm run preview`):
 *
 * - bytes a first visit downloads (on the wire, compressed) and from where;
 * - cold start to ready (a new, empty profile) and warm start to ready (a
 *   new visit in a profile that has been there), from navigation start to
 *   the moment no progressbar is left and Run can be pressed;
 * - the default scenario's whole loop, Run pressed right at a warm ready to verdict.
 *
 *   node --import tsx e2e/measure-start.ts [--runs 5] [--dist DIR]
 *
 * Without --dist it builds the site into a temporary folder first. A thin
 * command over bench/browser.ts, which `npm run bench` uses as well.
 */
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { measureStart, median, withSite } from '../bench/browser.ts';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '5' }, dist: { type: 'string' } },
});
const runs = Number(values.runs);
const mb = (n: number) => `${(n / 1e6).toFixed(2)} MB`;
const list = (xs: number[]) =>
  `${xs.map(Math.round).join(', ')} ms (median ${Math.round(median(xs))})`;

const result = await withSite(values.dist, async (site) => {
  const { result, profile } = await measureStart(site, Math.max(1, Math.ceil(runs / 2)), runs);
  await profile.close();
  return result;
});

console.log(
  `machine: ${cpus().length} cores, load average ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')}`,
);
const { firstVisit } = result;
console.log(
  `first visit: ${mb(firstVisit.bytes)} on the wire in ${firstVisit.requests} requests (until idle)`,
);
for (const r of firstVisit.largeFiles) console.log(`  ${r.path}  ${mb(r.bytes)}  ${r.encoding}`);
console.log(`cold start to ready: ${list(result.cold)}`);
console.log(`warm start to ready: ${list(result.warm)}`);
console.log(`default scenario, Run at ready to verdict: ${list(result.defaultLoopAtReady)}`);
