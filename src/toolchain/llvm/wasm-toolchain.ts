import { ToolError } from './tool-error.ts';
import type { InputFiles, LlvmTool, Toolchain, ToolResult } from './toolchain.ts';

export interface FetchProgress {
  /** Bytes fetched so far and in all, for the wasm modules and the resources tar together. */
  doneLength: number;
  totalLength: number;
}

export interface WasmToolchainOptions {
  /** Called while the 105 MB of modules and resources download (first use only). */
  onFetchProgress?: (progress: FetchProgress) => void;
}

type Tree = { [name: string]: Tree | string | Uint8Array };

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let length = 0;
  for (const c of chunks) length += c.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** "kernel/fork.o" → { kernel: { "fork.o": … } }: the runtime's file system is a tree. */
function treeFromFiles(files: InputFiles): Tree {
  const root: Tree = {};
  for (const [path, content] of Object.entries(files)) {
    const parts = path.split('/');
    let dir = root;
    for (const part of parts.slice(0, -1)) {
      const next = dir[part];
      if (next === undefined || next instanceof Uint8Array || typeof next === 'string') {
        dir = dir[part] = {};
      } else dir = next;
    }
    dir[parts[parts.length - 1]] = content;
  }
  return root;
}

function flattenFiles(tree: Tree, prefix = '', out: Record<string, Uint8Array> = {}) {
  for (const [name, entry] of Object.entries(tree)) {
    if (entry instanceof Uint8Array) out[prefix + name] = entry;
    else if (typeof entry === 'string') out[prefix + name] = new TextEncoder().encode(entry);
    else flattenFiles(entry, `${prefix}${name}/`, out);
  }
  return out;
}

/**
 * Creates a toolchain backed by @yowasp/clang. The package is imported lazily
 * so that merely loading the engine costs nothing; the first `run` (or
 * `prefetch`) downloads and compiles the modules.
 */
export function createWasmToolchain(options: WasmToolchainOptions = {}): Toolchain & {
  prefetch(): Promise<void>;
} {
  const clang = import('@yowasp/clang');
  const fetchProgress = ({ doneLength, totalLength }: FetchProgress): void =>
    options.onFetchProgress?.({ doneLength, totalLength });

  // The package fetches and compiles its modules on a run that finds them missing, and
  // each such run starts its own fetch: a run during a prefetch would compile the 75 MB
  // module twice. So every run and prefetch waits for one shared fetch.
  let fetched: Promise<void> | null = null;
  const fetchOnce = (): Promise<void> =>
    (fetched ??= clang.then(async (module) => {
      const { runLLVM } = module as unknown as {
        runLLVM: (argv: null, files: Tree, opts: Record<string, unknown>) => Promise<unknown>;
      };
      await runLLVM(null, {}, { fetchProgress });
    })).catch((error: unknown) => {
      fetched = null; // a failed fetch (the network) is tried again by the next run
      throw error;
    });

  async function run(tool: LlvmTool, args: string[], files: InputFiles): Promise<ToolResult> {
    await fetchOnce();
    const { runLLVM, Exit } = (await clang) as unknown as {
      runLLVM: (
        argv: string[] | null,
        files: Tree,
        opts: Record<string, unknown>,
      ) => Promise<Tree | undefined>;
      Exit: new () => Error & { code: number; files: Tree };
    };
    // Output arrives in chunks (ld.lld's `-o -` image: thousands of them),
    // each already a copy of its bytes made by the runtime
    // (`new Uint8Array(memory.buffer.slice(…))`), so they are kept as given
    // and copied once, by `concat`, into the result.
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    const started = performance.now();
    try {
      const tree = await runLLVM([tool, ...args], treeFromFiles(files), {
        stdout: (bytes: Uint8Array | null) => bytes && stdout.push(bytes),
        stderr: (bytes: Uint8Array | null) => bytes && stderr.push(bytes),
        decodeASCII: false,
        fetchProgress,
      });
      return {
        files: flattenFiles(tree ?? {}),
        stdout: concat(stdout),
        stderr: new TextDecoder().decode(concat(stderr)),
        ms: performance.now() - started,
      };
    } catch (error) {
      if (error instanceof Exit) {
        throw new ToolError(tool, args, error.code, new TextDecoder().decode(concat(stderr)));
      }
      throw error;
    }
  }

  return {
    kind: 'wasm',
    run,
    prefetch: fetchOnce,
  };
}
