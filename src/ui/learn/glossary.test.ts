/** The glossary is one source: every term and spelling names one entry. */
import { describe, expect, it } from 'vitest';
import { GLOSSARY, lookUpTerm } from './glossary.ts';

describe('the glossary', () => {
  it('gives each spelling to exactly one entry', () => {
    const spellings = GLOSSARY.flatMap((e) =>
      [e.term, ...(e.also ?? [])].map((s) => s.toLowerCase()),
    );
    expect(new Set(spellings).size).toBe(spellings.length);
  });

  it('finds a term by any of its spellings, whatever the case', () => {
    expect(lookUpTerm('Stubs')?.term).toBe('stub');
    expect(lookUpTerm(' system.map ')?.term).toBe('System.map');
    expect(lookUpTerm('.init.text')?.term).toBe('init text');
    expect(lookUpTerm('no such term')).toBeUndefined();
  });
});
