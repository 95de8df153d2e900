/**
 * The keyboard shortcuts, listed (opened with `?` or its button): a modal
 * <dialog>, so the browser keeps focus inside it, Esc closes it and it is
 * announced as a dialog; focus goes back to where it was.
 */
import { useEffect, useId, useRef } from 'react';
import { isMacPlatform, SHORTCUTS } from '../shortcuts.ts';

const isMac = typeof navigator !== 'undefined' && isMacPlatform(navigator.platform);

export function ShortcutsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const element = dialog.current;
    if (!element || !open || element.open) return;
    const opener = document.activeElement as HTMLElement | null;
    element.showModal();
    return () => {
      if (element.open) element.close();
      // Back where the reader was (the browser may not, after a close by script).
      if (opener?.isConnected) opener.focus();
    };
  }, [open]);
  return (
    <dialog
      ref={dialog}
      className="shortcuts-dialog"
      aria-labelledby={titleId}
      onClose={onClose}
      // A click on the backdrop (outside the box) closes it, as Esc does.
      onClick={(e) => {
        if (e.target === e.currentTarget) e.currentTarget.close();
      }}
    >
      <div className="shortcuts-box">
        <h2 id={titleId}>Keyboard shortcuts</h2>
        <table className="shortcuts-table">
          <caption className="visually-hidden">Keys and what they do</caption>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.id}>
                <th scope="row">
                  {s.keys(isMac).map((key, i) => (
                    <span key={key}>
                      {i > 0 ? '+' : null}
                      <kbd>{key}</kbd>
                    </span>
                  ))}
                </th>
                <td>{s.description}</td>
              </tr>
            ))}
            <tr>
              <th scope="row">
                <kbd>Tab</kbd>
              </th>
              <td>
                From the top of the page: &ldquo;Skip to the run controls&rdquo;, then Run, Step,
                Stop and Pin, before the scenario. Focus stays on them while a run goes on.
              </td>
            </tr>
          </tbody>
        </table>
        <form method="dialog">
          <button type="submit" autoFocus>
            Close
          </button>
        </form>
      </div>
    </dialog>
  );
}
