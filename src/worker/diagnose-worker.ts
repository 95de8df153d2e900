/**
 * The diagnose worker (a module worker of its own, made per diagnosis and
 * ended after it): reads the reader's files here, not on the page's thread,
 * so a kernel-sized vmlinux never freezes the page, and Cancel ends it at once.
 */
import { expose, releaseProxy } from 'comlink';
import { createDiagnoseService, type DiagnoseWorkerApi } from './diagnose-service.ts';

const service = createDiagnoseService();

const api: DiagnoseWorkerApi = {
  async diagnose(inputs, options, onProgress) {
    try {
      return await service.diagnose(inputs, options, onProgress);
    } finally {
      (onProgress as { [releaseProxy]?: () => void })[releaseProxy]?.();
    }
  },
};

expose(api);
