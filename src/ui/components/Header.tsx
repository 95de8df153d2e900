/** Title, toolchain status, Share and the theme toggle. */
import { useEffect, useId, useRef, useState } from 'react';
import { panelInView } from '../panels.ts';
import {
  selectCanShareView,
  selectEffectiveTheme,
  selectShare,
  selectThemePreference,
  useActions,
  useApp,
  type ShareKind,
} from '../store/index.ts';
import { ToolchainStatus } from './ToolchainStatus.tsx';

function ThemeToggle() {
  const effective = useApp(selectEffectiveTheme);
  const preference = useApp(selectThemePreference);
  const { toggleTheme, setTheme } = useActions();
  return (
    <div className="theme">
      <button
        type="button"
        aria-pressed={effective === 'dark'}
        onClick={toggleTheme}
        title={preference === 'system' ? 'Following the system' : `Chosen: ${preference}`}
      >
        Dark theme
      </button>
      {preference !== 'system' ? (
        <button type="button" className="link" onClick={() => setTheme('system')}>
          Follow system
        </button>
      ) : null}
    </div>
  );
}

const SHARED_WORDS = { scenario: 'Link to this scenario copied', view: 'Link to this view copied' };

/** Share: a link to the scenario, or to the scenario and what is on screen (the pass, the panel, the pin, the sweep). */
function ShareButton() {
  const share = useApp(selectShare);
  const canShareView = useApp(selectCanShareView);
  const actions = useActions();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const root = useRef<HTMLDivElement>(null);
  // The menu closes on Escape and on a click anywhere else, as menus do.
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);
  const copy = (kind: ShareKind) => {
    setOpen(false);
    void actions.share(kind, kind === 'view' ? panelInView() : null);
  };
  return (
    <div className="share" ref={root}>
      <button
        type="button"
        aria-expanded={open}
        aria-controls={menuId}
        onClick={() => setOpen((o) => !o)}
      >
        Share
      </button>
      {open ? (
        <div className="share-menu" id={menuId} role="group" aria-label="Share a link">
          <button type="button" onClick={() => copy('scenario')}>
            Link to this scenario
          </button>
          <button
            type="button"
            onClick={() => copy('view')}
            disabled={!canShareView}
            aria-describedby={canShareView ? undefined : `${menuId}-why`}
          >
            Link to this view
          </button>
          {canShareView ? (
            <p className="muted">
              The view: the link shown, the panel you last read, the pinned run, the sweep.
            </p>
          ) : (
            <p className="muted" id={`${menuId}-why`}>
              A link to the view needs a finished run of the scenario in the form.
            </p>
          )}
        </div>
      ) : null}
      <span aria-live="polite" className={`share-note share-${share.state}`}>
        {share.state === 'copied'
          ? SHARED_WORDS[share.kind]
          : share.state === 'failed'
            ? share.message
            : ''}
      </span>
      {share.state === 'manual' ? (
        <div className="share-manual">
          <label>
            {share.kind === 'view' ? 'Copy this link to the view' : 'Copy this link'}
            <input
              type="text"
              readOnly
              value={share.url}
              onFocus={(e) => e.currentTarget.select()}
              autoFocus
            />
          </label>
          <button type="button" className="link" onClick={actions.dismissShare}>
            Close
          </button>
        </div>
      ) : null}
    </div>
  );
}

export function Header() {
  return (
    <header className="app-header">
      <div className="title">
        <h1>kallsyms-lab</h1>
        <p className="muted">
          The kernel&rsquo;s multi-pass kallsyms link loop, with the real ld.lld in your browser.
        </p>
      </div>
      <ToolchainStatus />
      <div className="header-actions">
        <ShareButton />
        <ThemeToggle />
      </div>
    </header>
  );
}
