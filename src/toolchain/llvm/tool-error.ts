/**
 * A tool of the LLVM toolchain refused: the exit code and stderr are kept so
 * that the page and the CLI can show the linker's own words.
 */
export class ToolError extends Error {
  readonly tool: string;
  readonly args: readonly string[];
  readonly exitCode: number;
  readonly stderr: string;

  constructor(tool: string, args: readonly string[], exitCode: number, stderr: string) {
    const firstLines = stderr.trim().split('\n').slice(0, 8).join('\n');
    super(`${tool} exited with code ${exitCode}${firstLines ? `:\n${firstLines}` : ''}`);
    this.name = 'ToolError';
    this.tool = tool;
    this.args = args;
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}
