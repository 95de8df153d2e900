// A worker thread that makes a generated corpus through the page worker's
// entry point (src/worker/engine.ts, what toolchain-service.ts loads), the
// way the browser's toolchain worker does, and sends back each object's
// name and bytes. Worker threads do not inherit vitest's loader: tsx first.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { obtainCorpus } = await import('../worker/engine.ts');
// The worker's corpus source fetches the committed corpus; a generated one never reads it.
const unreadable = {
  readFile: (path) => Promise.reject(new Error(`a generated corpus read ${path}`)),
};
const corpus = await obtainCorpus(workerData.scenario, unreadable);
parentPort.postMessage(corpus.objects.map((o) => ({ name: o.name, bytes: o.bytes })));
