import { parseArgs } from 'node:util';
import {
  DEFAULT_GENERATED_PARAMS,
  GENERATED_PARAM_INFO,
  MAX_CORE_TEXT_BYTES,
  MAX_GENERATED_CALLS,
  MAX_GENERATED_FUNCTIONS,
} from '../toolchain/corpus/generated/params.ts';
import { PRESETS } from '../toolchain/scenario/presets.ts';
import { EXIT } from './exit-codes.ts';
import type { CliIO } from './io.ts';

export const PRESETS_USAGE = `Usage: kallsyms-lab presets [--params]

Lists the preset scenarios, one line each; --params lists instead the
parameters of a generated corpus (run and sweep take them as
--corpus-param NAME=VALUE, and sweep can vary them with --param NAME).`;

export async function presetsCommand(args: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      params: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    io.stdout(PRESETS_USAGE + '\n');
    return EXIT.ok;
  }
  if (values.params) {
    io.stdout(paramsTable());
    return EXIT.ok;
  }
  const width = Math.max(...PRESETS.map((p) => p.id.length));
  for (const preset of PRESETS) io.stdout(`${preset.id.padEnd(width)}  ${preset.summary}\n`);
  return EXIT.ok;
}

/** The generated corpus's parameters: name, range, default, what it does. */
function paramsTable(): string {
  const rows = GENERATED_PARAM_INFO.map((info) => {
    const value = DEFAULT_GENERATED_PARAMS[info.key];
    return {
      name: info.key,
      range: `${info.min}..${info.max}`,
      default: info.defaultMeaning ? `${value} (${info.defaultMeaning})` : String(value),
      what: info.description + (info.rule ? `; ${info.rule}` : ''),
    };
  });
  const w = {
    name: Math.max(4, ...rows.map((r) => r.name.length)),
    range: Math.max(5, ...rows.map((r) => r.range.length)),
  };
  const lines = [
    'Parameters of a generated corpus (generated-v1?NAME=VALUE&…; run/sweep --corpus-param NAME=VALUE).',
    `Caps: ${MAX_GENERATED_FUNCTIONS} functions, ${MAX_GENERATED_CALLS} calls, ${MAX_CORE_TEXT_BYTES / 1048576} MiB of core text.`,
    '',
    `${'name'.padEnd(w.name)}  ${'range'.padEnd(w.range)}  default; what it sets`,
  ];
  for (const r of rows) {
    lines.push(`${r.name.padEnd(w.name)}  ${r.range.padEnd(w.range)}  ${r.default}`);
    lines.push(`${''.padEnd(w.name + w.range + 4)}${r.what}`);
  }
  return lines.join('\n') + '\n';
}
