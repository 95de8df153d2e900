/** Title, toolchain status, Share and the theme toggle. */
import {
  selectEffectiveTheme,
  selectShare,
  selectThemePreference,
  useActions,
  useApp,
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

function ShareButton() {
  const share = useApp(selectShare);
  const actions = useActions();
  return (
    <div className="share">
      <button type="button" onClick={() => void actions.share()}>
        Share
      </button>
      <span aria-live="polite" className={`share-note share-${share.state}`}>
        {share.state === 'copied' ? 'Link copied' : share.state === 'failed' ? share.message : ''}
      </span>
      {share.state === 'manual' ? (
        <div className="share-manual">
          <label>
            Copy this link
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
