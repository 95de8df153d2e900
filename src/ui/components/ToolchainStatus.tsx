/**
 * The toolchain's download/compile progress, its readiness, or why it
 * failed; and, until dismissed, that a worker ended and was replaced.
 */
import { selectToolchain, useActions, useApp, type AppState } from '../store/index.ts';
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

type Info = NonNullable<AppState['toolchain']['info']>;

/**
 * ", downloaded 17.3 MB (76.0 MB unpacked)": both as measured by the
 * worker (the wire's bytes by the browser, the unpacked ones as compiled).
 */
function fromWords(info: Info): string {
  const from = info.toolchainFrom;
  if (!from) return '';
  const download = info.download;
  if (from !== 'network' || !download) return FROM_WORDS[from];
  if (download.wireBytes === 0) return ', from the HTTP cache';
  return `, downloaded ${mb(download.wireBytes)} MB (${mb(download.bytes)} MB unpacked)`;
}

export function ToolchainStatus() {
  const { workerLost } = useApp(selectToolchain);
  const { dismissWorkerLost } = useActions();
  return (
    <>
      <ToolchainState />
      {workerLost !== null && (
        <div className="toolchain-lost" role="alert">
          <Icon name="info" />
          <span>{workerLost}</span>
          <button type="button" className="link" onClick={dismissWorkerLost}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

function ToolchainState() {
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
    // The total counts the modules unpacked; the wire carries them brotli-compressed.
    const wire = progress?.wireBytes
      ? ` (${mb(progress.wireBytes)} MB compressed on the wire)`
      : '';
    const label = known
      ? `${words}: ${mb(progress.doneBytes)} of ${mb(progress.totalBytes)} MB${wire}`
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
            · ready in {(info.ms / 1000).toFixed(1)} s{fromWords(info)}
          </span>
        ) : null}
      </span>
    </div>
  );
}
