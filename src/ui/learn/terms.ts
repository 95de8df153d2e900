/**
 * Finds the glossary's terms in a text, so that the page can give each a
 * definition on hover and focus. Whole words only (".tmp_vmlinux" holds no
 * "vmlinux"), the longest spelling first ("trial link" before "trial"), and
 * each term once per `seen` set: a chapter marks a term where it first uses it.
 */
import { GLOSSARY, type GlossaryEntry } from './glossary.ts';

export type TextPart = string | { text: string; entry: GlossaryEntry };

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every spelling of every term, longest first, with its entry. */
const SPELLINGS: Array<{ spelling: string; entry: GlossaryEntry }> = GLOSSARY.flatMap((entry) =>
  [entry.term, ...(entry.also ?? [])].map((spelling) => ({ spelling, entry })),
).sort((a, b) => b.spelling.length - a.spelling.length);

const BY_SPELLING = new Map(
  SPELLINGS.map(({ spelling, entry }) => [spelling.toLowerCase(), entry]),
);
const PATTERN = new RegExp(SPELLINGS.map(({ spelling }) => escape(spelling)).join('|'), 'gi');
const WORD = /[A-Za-z0-9_]/;

/** The text cut into plain runs and terms (first use of each term not yet in `seen`). */
export function splitTerms(text: string, seen: Set<string> = new Set()): TextPart[] {
  const parts: TextPart[] = [];
  let at = 0;
  for (const match of text.matchAll(PATTERN)) {
    const start = match.index;
    const end = start + match[0].length;
    // A spelling inside a longer word is not the term.
    if (WORD.test(text[start - 1] ?? '') || WORD.test(text[end] ?? '')) continue;
    const entry = BY_SPELLING.get(match[0].toLowerCase());
    if (!entry || seen.has(entry.term)) continue;
    seen.add(entry.term);
    if (start > at) parts.push(text.slice(at, start));
    parts.push({ text: match[0], entry });
    at = end;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

/** Several texts read in order (a chapter's paragraphs): each term marked where first used. */
export function markTerms(texts: readonly string[]): TextPart[][] {
  const seen = new Set<string>();
  return texts.map((text) => splitTerms(text, seen));
}
