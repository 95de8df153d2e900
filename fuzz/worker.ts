/**
 * One fuzz worker: runs inputs one at a time, in-process (the CLI's `main()`
 * with an injected IO, or the permalink decoder), and says how each ended.
 * A worker that stops answering is terminated by the runner (a hang).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_INPUT_LIMIT, processIO, readBounded, type CliIO } from '../src/cli/io.ts';
import { main } from '../src/cli/main.ts';
import { decodeScenarioHash } from '../src/toolchain/scenario/permalink.ts';
import { scenarioSchema } from '../src/toolchain/scenario/schema.ts';
import { classifyCli, classifyLink, Collected, type Verdict } from './classify.ts';
import type { FuzzInput } from './inputs.ts';

const port = parentPort!;
const { canary } = workerData as { canary: string };

async function runCli(input: FuzzInput): Promise<Verdict> {
  const stdout = new Collected(canary);
  const stderr = new Collected(canary);
  const io: CliIO = {
    stdout: (t) => stdout.add(typeof t === 'string' ? t : Buffer.from(t).toString('latin1')),
    stderr: (t) => stderr.add(t),
    readInput: (path, limit) =>
      path === '-'
        ? readBounded(
            chunks(input.stdin ?? new Uint8Array()),
            path,
            limit ?? DEFAULT_INPUT_LIMIT,
            () => {},
          )
        : processIO.readInput(path, limit),
  };
  let code: number;
  try {
    code = await main(input.argv!, io);
  } catch (error) {
    return { outcome: 'crashed', detail: `main() threw: ${(error as Error)?.stack ?? error}` };
  }
  return classifyCli(input.argv!, { code, stdout, stderr });
}

async function* chunks(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
}

function runLink(input: FuzzInput): Verdict {
  let result;
  try {
    result = decodeScenarioHash(input.hash!);
  } catch (error) {
    return { outcome: 'crashed', detail: `the decoder threw: ${(error as Error)?.stack ?? error}` };
  }
  return classifyLink(result, (s) => scenarioSchema.safeParse(s).success);
}

port.on('message', async (input: FuzzInput) => {
  const verdict = input.hash !== undefined ? runLink(input) : await runCli(input);
  port.postMessage({ id: input.id, ...verdict });
});
