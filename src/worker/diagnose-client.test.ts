/**
 * The page's diagnose client against the real diagnose service behind a real
 * MessageChannel and comlink (what a Web Worker does): a dropped file goes by
 * handle, pasted text as text, the result is the engine's own and passes the
 * schema; a bad file's one-line message comes through as written; Cancel
 * ends the worker; a malformed answer is a protocol error.
 */
import { describe, expect, it } from 'vitest';
import { bytesSource, diagnose, diagnosisSchema } from '../toolchain/diagnose/index.ts';
import { readFixture } from '../toolchain/kallsyms/testing/fixtures.ts';
import { createDiagnoser } from './diagnose-client.ts';
import { createDiagnoseService } from './diagnose-service.ts';
import { FakeWorker } from './testing/fake-worker.ts';

const text = readFixture('medium.nm');
const bytes = new Uint8Array(Buffer.from(text, 'latin1'));

function client(api: object = createDiagnoseService()) {
  const workers: FakeWorker[] = [];
  const diagnoser = createDiagnoser({
    createWorker: () => {
      const worker = new FakeWorker(api);
      workers.push(worker);
      return worker;
    },
  });
  return { diagnoser, workers };
}

describe('the diagnose client', () => {
  it('diagnoses a file and pasted text in its worker, as the engine does, then ends the worker', async () => {
    const { diagnoser, workers } = client();
    const fractions: number[] = [];
    const result = await diagnoser.diagnose(
      [
        { name: 'medium.nm', blob: new Blob([bytes]) },
        { name: 'pasted text 2', text },
      ],
      {},
      { signal: new AbortController().signal, onProgress: (p) => fractions.push(p.fraction) },
    );
    const expected = await diagnose([
      bytesSource('medium.nm', bytes),
      bytesSource('pasted text 2', bytes),
    ]);
    expect(result).toEqual(expected);
    expect(diagnosisSchema.parse(result)).toEqual(result);
    expect(fractions.length).toBeGreaterThan(0);
    expect(fractions.at(-1)).toBe(1);
    expect(workers[0].terminated).toBe(true);
  });

  it('passes a bad file’s message on as the engine wrote it', async () => {
    const { diagnoser, workers } = client();
    await expect(
      diagnoser.diagnose(
        [{ name: 'vmlinux', blob: new Blob([new Uint8Array([0x7f, 0x45, 0x4c, 0x46, 2, 1])]) }],
        {},
        { signal: new AbortController().signal, onProgress: () => {} },
      ),
    ).rejects.toThrow(/^vmlinux: .*ELF/);
    expect(workers[0].terminated).toBe(true);
  });

  it('Cancel ends the worker at once', async () => {
    const never = { diagnose: () => new Promise(() => {}) };
    const { diagnoser, workers } = client(never);
    const controller = new AbortController();
    const running = diagnoser.diagnose(
      [{ name: 'a', text }],
      {},
      {
        signal: controller.signal,
        onProgress: () => {},
      },
    );
    controller.abort();
    await expect(running).rejects.toMatchObject({ name: 'AbortError' });
    expect(workers[0].terminated).toBe(true);
  });

  it('refuses an answer that is not a diagnosis', async () => {
    const { diagnoser } = client({ diagnose: async () => ({ format: 2, inputs: 1, tables: [] }) });
    await expect(
      diagnoser.diagnose(
        [{ name: 'a', text }],
        {},
        {
          signal: new AbortController().signal,
          onProgress: () => {},
        },
      ),
    ).rejects.toMatchObject({ name: 'WorkerProtocolError' });
  });
});
