/** The toolchain's download/compile progress, its readiness, or why it failed. */
import { selectToolchain, useActions, useApp } from '../store/index.ts';
import { Icon } from './Icon.tsx';

const MB = 1_000_000;
const mb = (bytes: number) => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);

const PHASE_WORDS = {
  download: 'Downloading the toolchain',
  compile: 'Compiling the toolchain',
  corpus: 'Loading the corpus',
  ready: 'Starting the toolchain',
} as const;

/** Where the compiled toolchain came from this time (the worker says), in a few words. */
const FROM_WORDS = {
  network: ', downloaded',
  'cache-storage': ', from this browser’s cache',
  adopted: ', reusing compiled modules',
} as const;

export function ToolchainStatus() {
  const toolchain = useApp(selectToolchain);
  const { initToolchain } = useActions();
  const { status, progress, info, detail } = toolchain;

  if (status === 'failed') {
    return (
      <div className="toolchain toolchain-failed" role="alert">
        <Icon name="stop" />
        <span>{detail ?? 'The toolchain failed.'}</span>
        {info === null && (
          <button type="button" onClick={() => void initToolchain()}>
            Try again
          </button>
        )}
      </div>
    );
  }
  if (status === 'starting' || status === 'downloading') {
    if (info !== null) {
      // A new worker after Stop: quick, from the HTTP cache.
      return (
        <div className="toolchain">
          <Icon name="spinner" className="spin" />
          <span>Restarting the toolchain…</span>
        </div>
      );
    }
    const known = progress !== null && progress.totalBytes > 0;
    const words = progress
      ? progress.label || PHASE_WORDS[progress.phase]
      : 'Starting the toolchain';
    const label = known
      ? `${words}: ${mb(progress.doneBytes)} of ${mb(progress.totalBytes)} MB`
      : `${words}…`;
    return (
      <div className="toolchain">
        <div
          className="progress"
          role="progressbar"
          aria-label="Toolchain download"
          aria-valuemin={0}
          aria-valuemax={known ? progress.totalBytes : undefined}
          aria-valuenow={known ? progress.doneBytes : undefined}
          aria-valuetext={label}
        >
          <div
            className={known ? 'progress-fill' : 'progress-fill indeterminate'}
            style={
              known
                ? { width: `${Math.min(100, (100 * progress.doneBytes) / progress.totalBytes)}%` }
                : undefined
            }
          />
        </div>
        <span className="toolchain-label">{label}</span>
      </div>
    );
  }
  return (
    <div className="toolchain toolchain-ready">
      <Icon name="ok" />
      <span>
        {info ? info.toolchainVersion : 'Toolchain ready'}
        {info ? (
          <span className="muted">
            {' '}
            · ready in {(info.ms / 1000).toFixed(1)} s
            {info.toolchainFrom ? FROM_WORDS[info.toolchainFrom] : ''}
          </span>
        ) : null}
      </span>
    </div>
  );
}
