// Worker threads do not inherit the main thread's tsx loader (vitest and
// `node --import tsx` transform files their own way), so the fuzz worker
// registers tsx itself before loading the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
