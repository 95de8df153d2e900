import { PRESETS } from '../toolchain/scenario/presets.ts';
import { EXIT } from './exit-codes.ts';
import type { CliIO } from './io.ts';

export async function presetsCommand(_args: string[], io: CliIO): Promise<number> {
  const width = Math.max(...PRESETS.map((p) => p.id.length));
  for (const preset of PRESETS) io.stdout(`${preset.id.padEnd(width)}  ${preset.summary}\n`);
  return EXIT.ok;
}
