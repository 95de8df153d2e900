/** Terms are found as whole words, longest spelling first, once per set. */
import { describe, expect, it } from 'vitest';
import { splitTerms } from './terms.ts';

const shown = (text: string, seen?: Set<string>) =>
  splitTerms(text, seen).map((p) => (typeof p === 'string' ? p : `[${p.text}|${p.entry.term}]`));

describe('splitTerms', () => {
  it('marks whole words only, with the longest spelling', () => {
    expect(shown('A trial link of .tmp_vmlinux, then vmlinux.')).toEqual([
      'A ',
      '[trial link|trial link]',
      ' of .tmp_vmlinux, then ',
      '[vmlinux|vmlinux]',
      '.',
    ]);
    expect(shown('substubs and stubs')).toEqual(['substubs and ', '[stubs|stub]']);
  });

  it('marks each term once per set, whatever its spelling', () => {
    const seen = new Set<string>();
    expect(shown('Stubs, a stub, the System.map', seen)).toEqual([
      '[Stubs|stub]',
      ', a stub, the ',
      '[System.map|System.map]',
    ]);
    expect(shown('another stub', seen)).toEqual(['another stub']);
  });

  it('leaves a text without terms whole', () => {
    expect(shown('nothing here')).toEqual(['nothing here']);
    expect(shown('')).toEqual([]);
  });
});
