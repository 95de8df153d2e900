/**
 * One line saying whether the page works without the network, and which
 * build the browser keeps (see src/offline/offline-status.ts).
 */
import { useSyncExternalStore } from 'react';
import {
  offlineStatus,
  subscribeOfflineStatus,
  type OfflineStatus as Status,
} from '../../offline/offline-status.ts';
import './offline-status.css';

export function useOfflineStatus(): Status {
  return useSyncExternalStore(subscribeOfflineStatus, offlineStatus);
}

function describe({ state, build, detail }: Status): string | null {
  const kept = build ? ` (build ${build})` : '';
  switch (state) {
    case 'saving':
      return 'Saving this page for offline use…';
    case 'ready':
      return `Works offline: this browser keeps a copy${kept}.`;
    case 'updated':
      return `Updated to the new version${kept}; it works offline too.`;
    case 'offline':
      return `Offline: running from this browser’s copy${kept}.`;
    case 'unavailable':
      // Said only when keeping the page failed; not in a dev server or a browser without it.
      return detail === null ? null : `Not kept for offline use: ${detail}`;
  }
}

export function OfflineStatus() {
  const status = useOfflineStatus();
  const text = describe(status);
  if (text === null) return null;
  return (
    <p className={`offline-status offline-${status.state}`} aria-live="polite">
      {text}
    </p>
  );
}
