/**
 * The diagnosis schema (what the page checks at the worker boundary) takes
 * every diagnosis the engine makes, one input or two that differ (stubs
 * appeared, symbols moved), unchanged; and refuses a result of another shape.
 */
import { describe, expect, it } from 'vitest';
import { readFixture } from '../kallsyms/testing/fixtures.ts';
import { bytesSource, diagnose, diagnosisSchema } from './index.ts';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));
const first = readFixture('medium.nm');
/** The same listing after a grown table: a stub appeared and everything from line 1001 moved up 0x40. */
const moved = first.split('\n').map((line, i) => {
  if (i < 1000 || line === '') return line;
  const address = BigInt(`0x${line.slice(0, 16)}`) + 0x40n;
  return address.toString(16).padStart(16, '0') + line.slice(16);
});
const second = [
  ...moved.slice(0, 1000),
  'c000000000100000 t __long_branch_subsys0_func_0_handler',
  ...moved.slice(1000),
].join('\n');

describe('the diagnosis schema', () => {
  it('takes one input’s and two inputs’ diagnoses unchanged', async () => {
    const one = await diagnose([bytesSource('a', bytes(first))]);
    expect(diagnosisSchema.parse(one)).toEqual(one);
    const two = await diagnose([bytesSource('a', bytes(first)), bytesSource('b', bytes(second))]);
    if (two.inputs !== 2) throw new Error('two inputs');
    expect(two.comparison.symbols.moved.count).toBeGreaterThan(0);
    expect(two.comparison.linkerSymbols.added.length).toBe(1);
    expect(diagnosisSchema.parse(two)).toEqual(two);
  });

  it('refuses another shape, naming where', async () => {
    const one = await diagnose([bytesSource('a', bytes(first))]);
    const broken = structuredClone(one) as unknown as {
      tables: Array<{ input: { bytes: unknown } }>;
    };
    broken.tables[0].input.bytes = '12';
    const checked = diagnosisSchema.safeParse(broken);
    expect(checked.success).toBe(false);
    expect(checked.error?.issues[0].path).toEqual(['tables', 0, 'input', 'bytes']);
    expect(diagnosisSchema.safeParse({ ...one, format: 2 }).success).toBe(false);
  });
});
