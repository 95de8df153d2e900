/**
 * Learn mode: the story's chapter being read (learn/chapters.ts), beside the
 * playground it drives. Each chapter opens its own link (its scenario, at its
 * pass, with its panel), so the pictures on the right are the chapter's;
 * its text marks the glossary's terms, and its sources are plain links that
 * leave the page (the address bar holds the chapter, so Back returns to it).
 */
import { useEffect, useId, useRef } from 'react';
import { CHAPTERS } from '../learn/chapters.ts';
import { TermParts } from '../learn/Term.tsx';
import { markTerms } from '../learn/terms.ts';
import { selectStory, useActions, useApp } from '../store/index.ts';

export function StoryPanel() {
  const story = useApp(selectStory);
  const { openChapter, leaveStory } = useActions();
  const listId = useId();
  const root = useRef<HTMLElement>(null);
  const at = story?.chapter ?? -1;
  const shownAt = useRef(at);
  // A new chapter starts at its title: on a phone the reader was at the bottom of the last one.
  useEffect(() => {
    if (shownAt.current === at) return;
    const was = shownAt.current;
    shownAt.current = at;
    const box = root.current?.getBoundingClientRect();
    if (was >= 0 && box && box.top < 0) root.current!.scrollIntoView({ block: 'start' });
  }, [at]);
  if (story === null) return null;
  const chapter = CHAPTERS[at];
  const texts = markTerms([...chapter.paragraphs, chapter.tryThis]);
  const tryParts = texts.pop()!;
  const last = at === CHAPTERS.length - 1;
  return (
    <section
      ref={root}
      className="story"
      id="story"
      aria-labelledby="story-heading"
      data-chapter={chapter.id}
    >
      <p className="story-count muted">
        Learn · chapter {at + 1} of {CHAPTERS.length}
      </p>
      <h2 id="story-heading">{chapter.title}</h2>
      {texts.map((parts, i) => (
        <p key={`${chapter.id}-${i}`}>
          <TermParts parts={parts} />
        </p>
      ))}
      <p className="story-try">
        <strong>Try this:</strong> <TermParts parts={tryParts} />
      </p>
      <div className="story-sources">
        <span className="muted">Read the source:</span>
        <ul>
          {chapter.links.map((link) => (
            <li key={link.href}>
              <a href={link.href} rel="noopener noreferrer">
                {link.label}
              </a>
            </li>
          ))}
        </ul>
      </div>
      <nav className="story-nav" aria-label="Chapters">
        <button type="button" disabled={at === 0} onClick={() => openChapter(at - 1)}>
          ← Previous
        </button>
        {last ? (
          <button type="button" onClick={leaveStory}>
            To the free playground
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => openChapter(at + 1)}>
            Next: {CHAPTERS[at + 1].title}
          </button>
        )}
      </nav>
      <details className="story-toc">
        <summary>All chapters</summary>
        <ol id={listId}>
          {CHAPTERS.map((c, i) => (
            <li key={c.id}>
              <button
                type="button"
                className="link"
                aria-current={i === at ? 'step' : undefined}
                onClick={() => openChapter(i)}
              >
                {c.title}
              </button>
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}
