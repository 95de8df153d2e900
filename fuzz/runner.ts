/**
 * The fuzz runner: feeds inputs to a worker thread (in-process CLI and
 * permalink decoder) or to real processes (the launcher, with standard input
 * and a reader that stops reading), one at a time with a timeout each, inside
 * a watched temporary tree:
 *
 *   root/secret/passwd   a canary that must never be read (its lines never printed)
 *   root/out/            a place that must never be written
 *   root/tmp/            TMPDIR: the toolchain's run directories; empty after each input
 *   root/cwd/            the working directory: relative paths land here
 *   root/inputs/<id>/    each input's own files ($IN), removed after it
 *   root/keep/<id>/      where --keep-files may write ($K), removed after it
 *
 * After every input the tree (but inputs/ and keep/) must be as it was.
 */
import { spawn } from 'node:child_process';
import {
  closeSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { classifyCli, Collected, type Outcome, type Verdict } from './classify.ts';
import type { FileContent, FuzzInput, InputKind } from './inputs.ts';

const LAUNCHER = fileURLToPath(new URL('../bin/kallsyms-lab.mjs', import.meta.url));
const MAX_RSS = fileURLToPath(new URL('./max-rss.mjs', import.meta.url));

export interface InputResult extends Verdict {
  id: number;
  kind: InputKind;
  label: string;
  ms: number;
  /** Paths that appeared or changed outside the input's own directories. */
  outside: string[];
  /** Peak RSS in KiB, for inputs run as a process. */
  rssKiB?: number;
  process: boolean;
}

export interface Tally {
  tried: number;
  refused: number;
  ran: number;
  crashed: number;
  hung: number;
  /** Wrote outside the run directory, or printed a line of the canary. */
  outside: number;
}

export class FuzzRunner {
  readonly root: string;
  readonly canary: string;
  private worker: Worker | null = null;
  private baseline: string[] = [];
  private readonly saved = { TMPDIR: process.env.TMPDIR, cwd: process.cwd() };

  constructor() {
    this.root = mkdtempSync(join(tmpdir(), 'kallsyms-lab-fuzz-'));
    this.canary = `CANARY-${process.pid}-${Date.now().toString(36)}`;
    for (const dir of ['secret', 'out', 'tmp', 'cwd', 'inputs', 'keep'])
      mkdirSync(join(this.root, dir));
    writeFileSync(
      join(this.root, 'secret', 'passwd'),
      `${this.canary}-1\n${this.canary}-2 = 1;\n-T${this.canary}-3\n`,
    );
    // Everything this process and its workers make goes to the watched tree.
    process.env.TMPDIR = join(this.root, 'tmp');
    process.chdir(join(this.root, 'cwd'));
    this.baseline = this.snapshot();
  }

  /** Puts the process back as it was and removes the tree. */
  async close(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
    process.chdir(this.saved.cwd);
    if (this.saved.TMPDIR === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = this.saved.TMPDIR;
    rmSync(this.root, { recursive: true, force: true });
  }

  /** Every file and directory of the watched tree (files with size and time). */
  private snapshot(): string[] {
    const entries: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir).sort()) {
        const path = join(dir, name);
        const rel = relative(this.root, path);
        // The inputs' own directories, and tsx's cache of compiled files (the
        // launcher's loader writes it to TMPDIR whatever the input).
        if (rel === 'inputs' || rel === 'keep' || /^tmp\/tsx-\d+$/.test(rel)) continue;
        const info = statSync(path, { throwIfNoEntry: false });
        if (!info) continue;
        entries.push(info.isDirectory() ? `${rel}/` : `${rel} ${info.size} ${info.mtimeMs}`);
        if (info.isDirectory()) walk(path);
      }
    };
    walk(this.root);
    return entries;
  }

  private fill(text: string, id: number): string {
    return text
      .replaceAll('$IN', join(this.root, 'inputs', String(id)))
      .replaceAll('$K', join(this.root, 'keep', String(id)))
      .replaceAll('$S', join(this.root, 'secret', 'passwd'))
      .replaceAll('$O', join(this.root, 'out'));
  }

  private writeInputFiles(input: FuzzInput): void {
    const dir = join(this.root, 'inputs', String(input.id));
    mkdirSync(dir, { recursive: true });
    for (const [name, content] of Object.entries(input.files ?? {})) {
      writeContent(join(dir, name), content, (text) => this.fill(text, input.id));
    }
  }

  private startWorker(): Worker {
    // execArgv: [] — the parent's `--import tsx` would be resolved from the
    // watched working directory, where there is no node_modules; the boot
    // script registers tsx itself.
    const worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: { canary: this.canary },
      execArgv: [],
    });
    worker.unref();
    return worker;
  }

  /** Runs one input in the worker thread, or terminates the worker when it takes too long. */
  private inWorker(input: FuzzInput): Promise<Verdict> {
    this.worker ??= this.startWorker();
    const worker = this.worker;
    return new Promise<Verdict>((resolve) => {
      const done = (verdict: Verdict) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        resolve(verdict);
      };
      const onMessage = (message: Verdict & { id: number }) => {
        if (message.id === input.id) done(message);
      };
      const onError = (error: Error) => {
        this.worker = null;
        done({ outcome: 'crashed', detail: `the worker died: ${error.stack ?? error.message}` });
      };
      const onExit = (code: number) => {
        this.worker = null;
        done({ outcome: 'crashed', detail: `the worker exited with ${code}` });
      };
      const timer = setTimeout(() => {
        this.worker = null;
        void worker.terminate();
        done({ outcome: 'hung', detail: `no answer in ${input.timeoutMs / 1000} s` });
      }, input.timeoutMs);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage({
        ...input,
        argv: input.argv?.map((a) => this.fill(a, input.id)),
      });
    });
  }

  /** Runs one input as a real process of the launcher, its peak memory measured. */
  private inProcess(input: FuzzInput): Promise<Verdict & { rssKiB?: number }> {
    const argv = input.argv!.map((a) => this.fill(a, input.id));
    const rssFile = join(this.root, 'inputs', String(input.id), '.rss');
    const child = spawn('node', ['--import', MAX_RSS, LAUNCHER, ...argv], {
      cwd: join(this.root, 'cwd'),
      env: { ...process.env, TMPDIR: join(this.root, 'tmp'), FUZZ_RSS_FILE: rssFile },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const stdout = new Collected(this.canary);
    const stderr = new Collected(this.canary);
    // Messages are UTF-8 text; the kallsyms command's output is the tool's bytes.
    const outText = new StringDecoder(argv[0] === 'kallsyms' ? 'latin1' : 'utf8');
    const errText = new StringDecoder('utf8');
    let read = 0;
    child.stdout.on('data', (chunk: Buffer) => {
      stdout.add(outText.write(chunk));
      read += chunk.length;
      // `| head -c N`: a reader that stops reading.
      if (input.pipeHead !== undefined && read >= input.pipeHead) child.stdout.destroy();
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.add(errText.write(chunk)));
    child.stdin.on('error', () => {}); // a command that stops reading its input
    child.stdin.end(input.stdin ?? undefined);
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill('SIGKILL'), input.timeoutMs);
      let timedOut = false;
      timer.unref();
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        timedOut = signal === 'SIGKILL';
        const rssKiB = Number(readFileSync(rssFile, { encoding: 'utf8', flag: 'a+' })) || undefined;
        if (timedOut) {
          resolve({ outcome: 'hung', detail: `no end in ${input.timeoutMs / 1000} s`, rssKiB });
          return;
        }
        resolve({
          ...classifyCli(argv, { code: code ?? -1, stdout, stderr }),
          rssKiB,
        });
      });
    });
  }

  /** Runs one input and checks the tree; the input's own files are removed afterwards. */
  async run(input: FuzzInput): Promise<InputResult> {
    this.writeInputFiles(input);
    const started = performance.now();
    const verdict =
      input.process || input.heavy ? await this.inProcess(input) : await this.inWorker(input);
    const ms = performance.now() - started;
    // A command that returned while still writing would make these fail: that is reported, not fatal.
    const leftovers: string[] = [];
    for (const dir of ['inputs', 'keep']) {
      try {
        rmSync(join(this.root, dir, String(input.id)), {
          recursive: true,
          force: true,
          maxRetries: 3,
        });
      } catch (error) {
        leftovers.push(`${dir}/${input.id} could not be removed (${(error as Error).message})`);
      }
    }
    // A hung worker's native tools may still be running: their directories go with them.
    if (verdict.outcome === 'hung') await new Promise((r) => setTimeout(r, 500));
    const now = this.snapshot();
    const outside = now.filter((e) => !this.baseline.includes(e));
    const gone = this.baseline.filter((e) => !now.includes(e));
    if (outside.length || gone.length) this.baseline = now; // report once, then carry on
    return {
      ...verdict,
      id: input.id,
      kind: input.kind,
      label: input.label,
      ms,
      outside: [...outside, ...gone.map((e) => `removed ${e}`), ...leftovers],
      process: input.process === true || input.heavy === true,
    };
  }
}

function writeContent(path: string, content: FileContent, fill: (text: string) => string): void {
  if (typeof content === 'string') writeFileSync(path, fill(content), 'latin1');
  else if (content instanceof Uint8Array) writeFileSync(path, content);
  else if ('sparse' in content) {
    const fd = openSync(path, 'w');
    ftruncateSync(fd, content.sparse);
    closeSync(fd);
  } else writeFileSync(path, kernelLikeListing(content.listing));
}

/** A well-formed `nm -n` listing of about `bytes`: ascending text symbols between _stext and _etext. */
export function kernelLikeListing(bytes: number): Buffer {
  const words = [
    'sched',
    'rcu',
    'mm',
    'vfs',
    'net',
    'tcp',
    'ext4',
    'drm',
    'usb',
    'pci',
    'irq',
    'slab',
  ];
  const parts: string[] = ['c000000000000000 T _text\n', 'c000000000000000 T _stext\n'];
  let size = parts.join('').length;
  let address = 0xc000000000001000n;
  const tail = 40;
  for (let n = 0; size < bytes - tail; n++) {
    const name = `${words[n % 12]}_${words[(n >> 4) % 12]}_${words[(n >> 8) % 12]}_${n}`;
    const line = `${address.toString(16)} ${'TtTtDdBbR'[n % 9]} ${name}\n`;
    if (size + line.length > bytes - tail) break;
    parts.push(line);
    size += line.length;
    address += 16n;
  }
  parts.push(`${address.toString(16)} T _etext\n`);
  return Buffer.from(parts.join(''), 'latin1');
}

export function emptyTally(): Tally {
  return { tried: 0, refused: 0, ran: 0, crashed: 0, hung: 0, outside: 0 };
}

export function count(tally: Tally, result: InputResult): void {
  tally.tried++;
  const outcome: Outcome = result.outcome;
  if (outcome === 'leaked' || result.outside.length) tally.outside++;
  if (outcome === 'refused') tally.refused++;
  else if (outcome === 'ran') tally.ran++;
  else if (outcome === 'crashed') tally.crashed++;
  else if (outcome === 'hung') tally.hung++;
}
