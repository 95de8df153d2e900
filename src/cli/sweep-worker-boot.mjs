// Worker threads do not inherit the main thread's tsx loader (bin/kallsyms-lab.mjs
// registers it there; vitest transforms files its own way), so each sweep
// worker registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./sweep-worker.ts');
