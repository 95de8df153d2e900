/**
 * How two scenarios differ, in the form's words: a generated corpus is
 * compared knob by knob (what the reader changed in the corpus section),
 * never as two ids side by side.
 */
import { describe, expect, it } from 'vitest';
import { describeDifferences, listFields, scenarioDifferences } from './differences.ts';
import { findPreset, PINNED_CYCLE_CORPUS } from './presets.ts';

const pinned = findPreset('pinned-oscillates')!.scenario;

describe('scenario differences', () => {
  it('names each corpus knob that differs, with both values', () => {
    const other = {
      ...pinned,
      corpus:
        PINNED_CYCLE_CORPUS.replace('pinnedSpacing=60', 'pinnedSpacing=64') + '&nameLength=20',
    };
    const differences = scenarioDifferences(pinned, other);
    expect(differences).toEqual([
      { field: 'corpus', label: 'corpus nameLength', from: '0', to: '20' },
      { field: 'corpus', label: 'corpus pinnedSpacing', from: '60', to: '64' },
    ]);
    expect(describeDifferences(differences)).toBe(
      'corpus nameLength 0 → 20; corpus pinnedSpacing 60 → 64',
    );
    expect(listFields(differences)).toBe('corpus nameLength and corpus pinnedSpacing');
  });

  it('says kernel-like → generated when the kind of corpus changes, and ignores what it is told to', () => {
    const kernel = findPreset('never-converges')!.scenario;
    const generated = { ...kernel, corpus: 'generated-v1' };
    expect(scenarioDifferences(kernel, generated)).toEqual([
      { field: 'corpus', label: 'corpus', from: 'kernel-like', to: 'generated' },
    ]);
    expect(scenarioDifferences(kernel, generated, ['corpus'])).toEqual([]);
    expect(scenarioDifferences(pinned, pinned)).toEqual([]);
  });
});
