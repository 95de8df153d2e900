/**
 * The page's keyboard shortcuts, in one place: what App binds and what the
 * shortcut list (`?`) shows. Run and Step take a modifier, so they work
 * from inside the scenario's fields; `?` does not, so it is ignored while
 * typing.
 */

export type ShortcutId = 'run' | 'step' | 'stop' | 'help';

export interface Shortcut {
  id: ShortcutId;
  /** Each key of the combination, as shown (Ctrl or ⌘ by platform). */
  keys(mac: boolean): string[];
  /** For `aria-keyshortcuts` (both platforms' forms). */
  aria: string;
  description: string;
}

const mod = (mac: boolean) => (mac ? '⌘' : 'Ctrl');

export const SHORTCUTS: readonly Shortcut[] = [
  {
    id: 'run',
    keys: (mac) => [mod(mac), 'Enter'],
    aria: 'Control+Enter Meta+Enter',
    description: 'Run the whole loop (while stepping: the remaining passes)',
  },
  {
    id: 'step',
    keys: (mac) => [mod(mac), 'Shift', 'Enter'],
    aria: 'Control+Shift+Enter Meta+Shift+Enter',
    description: 'Step: link one pass, then wait',
  },
  {
    id: 'stop',
    keys: () => ['Esc'],
    aria: 'Escape',
    description: 'Stop the run (or the sweep)',
  },
  {
    id: 'help',
    keys: () => ['?'],
    aria: 'Shift+?',
    description: 'Show this list (not while typing in a field)',
  },
];

export const shortcut = (id: ShortcutId): Shortcut => SHORTCUTS.find((s) => s.id === id)!;

export function isMacPlatform(platform: string | undefined): boolean {
  return /Mac|iPhone|iPad/.test(platform ?? '');
}

/** What of a KeyboardEvent the matching reads (tests give plain objects). */
export interface KeyPress {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  repeat: boolean;
  /** Where the key was pressed: typing in a field keeps `?` for the field. */
  target: EventTarget | null;
}

function isTyping(target: EventTarget | null): boolean {
  const el = target as { tagName?: string; isContentEditable?: boolean; type?: string } | null;
  if (!el?.tagName) return false;
  if (el.isContentEditable) return true;
  const tag = el.tagName.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag !== 'INPUT') return false;
  return !['checkbox', 'radio', 'range', 'button', 'submit', 'reset'].includes(el.type ?? 'text');
}

/** The shortcut a key press is, or null. Held keys (auto-repeat) start nothing twice. */
export function shortcutOf(press: KeyPress): ShortcutId | null {
  if (press.repeat) return null;
  const primary = press.ctrlKey || press.metaKey;
  if (press.key === 'Enter' && primary && !press.altKey) return press.shiftKey ? 'step' : 'run';
  if (press.key === 'Escape' && !primary && !press.altKey && !press.shiftKey) return 'stop';
  if (press.key === '?' && !primary && !press.altKey && !isTyping(press.target)) return 'help';
  return null;
}
