/**
 * Test support: a layout must equal, field by field, the object clang made
 * from the printed text. (e_flags are left out: clang writes 0 for an
 * assembler-only object; the ELF writer takes them from the target.)
 */
import { expect } from 'vitest';
import type { RelocatableObjectSpec } from '../../elf/object-spec.ts';
import type { ReadObject } from './elf.ts';

/** Offset of the first differing byte, or -1: readable where a 300 kB diff is not. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

export function expectLayoutMatches(spec: RelocatableObjectSpec, object: ReadObject): void {
  expect(spec.elfClass).toBe(object.elfClass);
  expect(spec.endian).toBe(object.endian);
  expect(spec.machine).toBe(object.machine);
  expect(spec.section.name).toBe(object.section.name);
  expect(spec.section.align).toBe(object.section.align);
  expect(spec.section.data.length).toBe(object.section.data.length);
  expect(firstDifference(spec.section.data, object.section.data)).toBe(-1);
  expect(spec.labels).toEqual(object.labels);
  expect(spec.relocations).toEqual(object.relocations);
}
