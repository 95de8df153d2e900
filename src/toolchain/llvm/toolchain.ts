/**
 * The interface every LLVM toolchain the engine can drive implements: the
 * WebAssembly build from @yowasp/clang (Node and browser), and later a native
 * one from PATH. Files go in and out as a flat name → bytes map.
 */
export type LlvmTool = 'ld.lld' | 'llvm-nm' | 'llvm-readelf' | 'llvm-objdump' | 'llvm-objcopy';

export type InputFiles = Record<string, Uint8Array | string>;

export interface ToolResult {
  /** Every regular file in the working directory after the run (inputs included). */
  files: Record<string, Uint8Array>;
  stdout: Uint8Array;
  stderr: string;
  /** Wall-clock time of the tool itself, in milliseconds. */
  ms: number;
}

export interface Toolchain {
  /** "wasm" or "native": shown in run records so a reader knows what linked. */
  readonly kind: 'wasm' | 'native';
  /** Runs one tool; rejects with ToolError when it exits non-zero. */
  run(tool: LlvmTool, args: string[], files: InputFiles): Promise<ToolResult>;
}
