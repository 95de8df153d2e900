#!/usr/bin/env node
// Trims a run record printed by `npx kallsyms-lab run --preset ID --json` to
// what the view tests read, so each fixture stays under 200 KB:
//   node src/ui/views/__fixtures__/trim-run.mjs < run.json > src/ui/views/__fixtures__/ID.json
//   npx prettier --write src/ui/views/__fixtures__/ID.json
// - dropped: the linker script, the corpus objects' checksums, each link's
//   command line and input list, the table objects' commands and sha256
//   (counts of what was dropped are kept in `trimmed`);
// - reach.siteIndex: dropped after checking it is 0, 1, 2, … (load-run.ts
//   restores it);
// - reach.distances: kept whole for the first pass. In later passes every
//   distance differs from the same site's distance in the pass before by the
//   same amount (init text moved as a block; checked here), so they are
//   stored as that one `distanceShift` and load-run.ts adds it back;
// - callSites: stored column-wise (objects and targets as string tables,
//   one [object, offset, target, form] row of indices per site); load-run.ts
//   rebuilds the record's array of objects.
// Everything else (layouts, stubs, reach distances and counts, table sizes
// and counts, verdict) is the CLI's output unchanged.
/* global process */
import { readFileSync } from 'node:fs';

const run = JSON.parse(readFileSync(0, 'utf8'));
const uniformShift = (before, after, pass) => {
  const shift = after[0] - before[0];
  if (!after.every((d, i) => d - before[i] === shift))
    throw new Error(
      `pass ${pass}: distances did not all move by the same amount; store them whole`,
    );
  return shift;
};
const tableObject = (t) => t && { ...t, commands: undefined, sha256: undefined };
const passes = run.passes.map((p, n) => {
  if (!p.reach.siteIndex.every((v, i) => v === i))
    throw new Error(`pass ${p.pass}: siteIndex is not 0..n-1`);
  const before = run.passes[n - 1]?.reach.distances;
  if (before && before.length !== p.reach.distances.length) throw new Error('call counts differ');
  return {
    ...p,
    link: { ...p.link, command: { tool: p.link.command.tool, args: [] }, inputs: [] },
    reach: {
      ...p.reach,
      siteIndex: undefined,
      distances: before ? undefined : p.reach.distances,
      distanceShift: before ? uniformShift(before, p.reach.distances, p.pass) : undefined,
    },
    tableObject: tableObject(p.tableObject),
  };
});
const table = (values) => {
  const list = [...new Set(values)];
  const index = new Map(list.map((v, i) => [v, i]));
  return { list, index };
};
const objects = table(run.callSites.map((s) => s.object));
const targets = table(run.callSites.map((s) => s.target));
const forms = table(run.callSites.map((s) => s.form));
const out = {
  ...run,
  trimmed: {
    by: 'src/ui/views/__fixtures__/trim-run.mjs',
    corpusObjects: run.corpus.objects.length,
    linkerScriptBytes: run.linkerScript.length,
  },
  linkerScript: '',
  corpus: { ...run.corpus, objects: [] },
  emptyTableObject: tableObject(run.emptyTableObject),
  passes,
  callSites: undefined,
  callSiteColumns: {
    objects: objects.list,
    targets: targets.list,
    forms: forms.list,
    rows: run.callSites.flatMap((s) => [
      objects.index.get(s.object),
      s.offset,
      targets.index.get(s.target),
      forms.index.get(s.form),
    ]),
  },
};
process.stdout.write(JSON.stringify(out) + '\n');
