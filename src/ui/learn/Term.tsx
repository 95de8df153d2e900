/**
 * A term with its short definition from the one glossary (glossary.ts):
 * shown on hover, on keyboard focus and on a tap, as a tooltip the term's
 * button is described by (so a screen reader reads it on focus). Escape, a
 * click elsewhere or moving away closes it. The tip is placed in the window
 * (fixed, clamped to its edges), so it never widens a 390 px page.
 */
import {
  useCallback,
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  useState,
  type ReactNode,
} from 'react';
import { lookUpTerm, type GlossaryEntry } from './glossary.ts';
import { splitTerms, type TextPart } from './terms.ts';

/** Pixels kept free between the tip and the window's edges. */
const EDGE = 8;
/** A tap focuses and clicks at once: a click this soon after opening keeps the tip open. */
const SAME_GESTURE_MS = 400;
/** Time to move the pointer from the term onto its tip. */
const LEAVE_DELAY_MS = 150;

export function Term({
  entry,
  term,
  children,
}: {
  /** The entry, or the term as the glossary spells it. */
  entry?: GlossaryEntry;
  term?: string;
  children: ReactNode;
}) {
  const found = entry ?? (term !== undefined ? lookUpTerm(term) : undefined);
  const tipId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const tip = useRef<HTMLSpanElement>(null);
  const [open, setOpen] = useState(false);
  const openedAt = useRef(0);
  const leaveTimer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const show = useCallback(() => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current);
    leaveTimer.current = null;
    setOpen((was) => {
      if (!was) openedAt.current = performance.now();
      return true;
    });
  }, []);
  const hide = useCallback(() => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current);
    leaveTimer.current = null;
    setOpen(false);
  }, []);
  const hideSoon = () => {
    if (leaveTimer.current) clearTimeout(leaveTimer.current);
    leaveTimer.current = setTimeout(hide, LEAVE_DELAY_MS);
  };

  // Below the term (above it when there is no room), within the window.
  const measure = useCallback(() => {
    const anchor = button.current?.getBoundingClientRect();
    const box = tip.current?.getBoundingClientRect();
    if (!anchor || !box) return;
    const width = document.documentElement.clientWidth;
    const height = window.innerHeight;
    const left = Math.max(EDGE, Math.min(anchor.left, width - box.width - EDGE));
    const below = anchor.bottom + 4;
    const top =
      below + box.height > height - EDGE ? Math.max(EDGE, anchor.top - box.height - 4) : below;
    // Written to the element (not state): placed before the browser paints it.
    tip.current!.style.left = `${left}px`;
    tip.current!.style.top = `${top}px`;
  }, []);

  useLayoutEffect(() => {
    if (open) measure();
  }, [open, measure]);

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        // Escape closes the tip, not a run (App's shortcut): it is the tip's this time.
        event.preventDefault();
        hide();
      }
    };
    const onPointer = (event: PointerEvent) => {
      const target = event.target as Node;
      if (!button.current?.contains(target) && !tip.current?.contains(target)) hide();
    };
    const onMove = () => measure();
    document.addEventListener('keydown', onKey, true);
    document.addEventListener('pointerdown', onPointer);
    window.addEventListener('scroll', onMove, true);
    window.addEventListener('resize', onMove);
    return () => {
      document.removeEventListener('keydown', onKey, true);
      document.removeEventListener('pointerdown', onPointer);
      window.removeEventListener('scroll', onMove, true);
      window.removeEventListener('resize', onMove);
    };
  }, [open, hide, measure]);

  useEffect(
    () => () => {
      if (leaveTimer.current) clearTimeout(leaveTimer.current);
    },
    [],
  );

  if (!found) return <>{children}</>;
  return (
    <span className="term-wrap">
      <button
        ref={button}
        type="button"
        className="term"
        // A tooltip's trigger is described by it; it expands nothing (no aria-expanded).
        aria-describedby={tipId}
        data-term={found.term}
        onFocus={show}
        onBlur={hide}
        onPointerEnter={(e) => (e.pointerType === 'mouse' ? show() : undefined)}
        onPointerLeave={(e) => (e.pointerType === 'mouse' ? hideSoon() : undefined)}
        onClick={() => {
          if (open && performance.now() - openedAt.current > SAME_GESTURE_MS) hide();
          else show();
        }}
      >
        {children}
      </button>
      <span
        ref={tip}
        id={tipId}
        role="tooltip"
        className="term-tip"
        hidden={!open}
        onPointerEnter={show}
        onPointerLeave={(e) => (e.pointerType === 'mouse' ? hideSoon() : undefined)}
      >
        <strong>{found.term}</strong>: {found.definition}
      </span>
    </span>
  );
}

/** Parts of a text from `splitTerms`/`markTerms`, with each term given its definition. */
export function TermParts({ parts }: { parts: readonly TextPart[] }) {
  return (
    <>
      {parts.map((part, i) =>
        typeof part === 'string' ? (
          part
        ) : (
          <Term key={i} entry={part.entry}>
            {part.text}
          </Term>
        ),
      )}
    </>
  );
}

/** A text with the glossary's terms marked (each term once in it). */
export function TermText({ text }: { text: string }) {
  return <TermParts parts={splitTerms(text)} />;
}
