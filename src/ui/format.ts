/**
 * Pure conversions between scenario values and the text a user reads and
 * types: the gap in MiB (KiB precision), the alignment as a power of two,
 * the base in hex, and a short label for a run.
 */
import type { CorpusProgress } from '../toolchain/corpus/obtain-corpus.ts';
import { findPreset } from '../toolchain/scenario/presets.ts';
import {
  layoutSchema,
  MAX_GAP_BYTES,
  scenarioSchema,
  type Scenario,
} from '../toolchain/scenario/schema.ts';

const KIB = 1024;
const MIB = 1024 * 1024;

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

/** The gap in MiB, exact for any whole number of KiB (e.g. 31.6875). */
export function formatGapMiB(bytes: number): string {
  const mib = bytes / MIB;
  const exact = String(mib);
  if (!exact.includes('e')) return exact;
  return mib.toFixed(10).replace(/\.?0+$/, '');
}

const GAP_RANGE = `from 0 to ${MAX_GAP_BYTES / MIB} MiB`;

/** "31.6875" (MiB) or "0x1fb0000" (bytes); rounded to whole KiB. */
export function parseGapMiB(text: string): Parsed<number> {
  const t = text.trim();
  let bytes: number;
  if (/^0x[0-9a-f]+$/i.test(t)) {
    bytes = Number.parseInt(t.slice(2), 16);
  } else if (/^(\d+(\.\d*)?|\.\d+)$/.test(t)) {
    bytes = Math.round(Number(t) * KIB) * KIB;
  } else {
    // Say what is wrong with what was typed, and the range.
    const what =
      t === ''
        ? 'The gap is empty'
        : /^-\s*(\d+(\.\d*)?|\.\d+|0x[0-9a-f]+)$/i.test(t)
          ? `The gap cannot be negative (${t})`
          : /^[+-]?\d*\.?\d+e[+-]?\d+$/i.test(t)
            ? `Write the gap without an exponent (${t})`
            : `"${t.length > 12 ? `${t.slice(0, 12)}…` : t}" is not a number of MiB`;
    return {
      ok: false,
      error: `${what}: enter the gap in MiB ${GAP_RANGE}, such as 31.6875 (or bytes in hex, 0x1fb0000).`,
    };
  }
  if (!Number.isSafeInteger(bytes) || bytes > MAX_GAP_BYTES) {
    return {
      ok: false,
      error: `The gap must be at most ${MAX_GAP_BYTES / MIB} MiB (1 GiB): enter the gap in MiB ${GAP_RANGE}.`,
    };
  }
  return { ok: true, value: bytes };
}

export function formatBytes(bytes: number): string {
  if (bytes >= MIB && bytes % MIB === 0) return `${bytes / MIB} MiB`;
  if (bytes >= KIB && bytes % KIB === 0) return `${bytes / KIB} KiB`;
  return `${bytes} bytes`;
}

/** Alignment in bytes: decimal, hex, or with a K/M suffix; a power of two from 4 to 256 MiB. */
export function parseAlign(text: string): Parsed<number> {
  const t = text.trim();
  let value: number;
  const suffixed = /^(\d+)\s*([kKmM])(i?B)?$/.exec(t);
  if (/^0x[0-9a-f]+$/i.test(t)) value = Number.parseInt(t.slice(2), 16);
  else if (/^\d+$/.test(t)) value = Number(t);
  else if (suffixed) value = Number(suffixed[1]) * (/[kK]/.test(suffixed[2]) ? KIB : MIB);
  else return { ok: false, error: 'Enter the alignment in bytes, such as 16, 0x1000 or 16M.' };
  const checked = layoutSchema.shape.align.safeParse(value);
  if (!checked.success) {
    return {
      ok: false,
      error: `The alignment ${checked.error.issues[0]?.message ?? 'is invalid'}.`,
    };
  }
  return { ok: true, value };
}

export function parseBase(text: string): Parsed<string> {
  const t = text.trim();
  const checked = layoutSchema.shape.base.safeParse(t);
  if (!checked.success) {
    return { ok: false, error: `The base ${checked.error.issues[0]?.message ?? 'is invalid'}.` };
  }
  return { ok: true, value: t.toLowerCase() };
}

export function parseMaxPasses(text: string): Parsed<number> {
  const t = text.trim();
  if (!/^\d+$/.test(t)) return { ok: false, error: 'Enter a whole number of passes from 2 to 64.' };
  const n = Number(t);
  if (n < 2 || n > 64) return { ok: false, error: 'The cap must be from 2 to 64 passes.' };
  return { ok: true, value: n };
}

/** Extra ld.lld flags, separated by spaces; the loop's own (-o, -T, -Map, -m) are refused. */
export function parseLinkerFlags(text: string): Parsed<string[]> {
  const flags = text.trim() === '' ? [] : text.trim().split(/\s+/);
  const checked = scenarioSchema.shape.extraLinkerFlags.safeParse(flags);
  if (checked.success) return { ok: true, value: flags };
  const issue = checked.error.issues[0];
  const index = issue?.path[0];
  const flag = typeof index === 'number' ? flags[index] : undefined;
  return {
    ok: false,
    error:
      flag !== undefined
        ? `The flag ${flag} ${issue.message}.`
        : `Flags: ${issue?.message ?? 'invalid'}.`,
  };
}

/** A short name for a run, for the pinned comparison and the chart legend. */
export function describeScenario(scenario: Scenario, presetId: string | null): string {
  const preset = presetId ? findPreset(presetId) : undefined;
  const parts = [
    preset ? preset.id : 'custom',
    scenario.arch,
    scenario.strategy === scenario.generation
      ? scenario.strategy
      : `${scenario.strategy}/${scenario.generation}`,
    `gap ${formatGapMiB(scenario.layout.gap)} MiB`,
  ];
  if (scenario.filterLldStubs) parts.push('lld stubs filtered');
  if (scenario.extraPass) parts.push('extra pass');
  if (scenario.linkerScript !== null) parts.push('own script');
  return parts.join(' · ');
}

/** Deep equality for plain JSON-like values (scenarios). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) =>
    sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
  );
}

const n = (value: number) => value.toLocaleString('en');

/** "making the generated corpus in the worker: object 120 of 400 written…", as the worker reports it. */
export function describeCorpusProgress(progress: CorpusProgress): string {
  if (progress.stage === 'plan') return 'making the generated corpus in the worker: planning…';
  if (progress.stage === 'write')
    return `making the generated corpus in the worker: object ${n(progress.done)} of ${n(progress.total)} written…`;
  if (progress.done < progress.total)
    return `making the generated corpus in the worker: checking object ${n(progress.done)} of ${n(progress.total)}…`;
  return `made the generated corpus in the worker (${n(progress.total)} objects): linking the first image…`;
}
