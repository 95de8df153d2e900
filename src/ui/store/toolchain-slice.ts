/** The toolchain slice: the supervisor's status and init progress; at start, the link in the URL. */
import type { LinkInternals } from './links-slice.ts';
import type { AppActions, AppDeps, AppState, ToolchainSlice } from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export function initialToolchainSlice(deps: Pick<AppDeps, 'supervisor'>): ToolchainSlice {
  return {
    status: deps.supervisor.status,
    detail: null,
    progress: null,
    info: null,
    workerLost: null,
  };
}

export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name;
  if (typeof error === 'string') return error;
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

export function toolchainActions(
  set: Set,
  get: Get,
  deps: AppDeps,
  links: Pick<LinkInternals, 'openUrl'>,
): Pick<AppActions, 'start' | 'initToolchain' | 'dismissWorkerLost'> {
  let started = false;
  let initializing: Promise<void> | null = null;

  async function initToolchain(): Promise<void> {
    if (get().toolchain.info) return;
    if (initializing) return initializing;
    set((s) => ({ toolchain: { ...s.toolchain, status: deps.supervisor.status, detail: null } }));
    initializing = (async () => {
      try {
        const info = await deps.supervisor.init((progress) =>
          set((s) => ({ toolchain: { ...s.toolchain, progress } })),
        );
        set((s) => ({
          toolchain: {
            ...s.toolchain,
            info,
            status: s.toolchain.status === 'running' ? 'running' : 'ready',
            detail: null,
          },
        }));
      } catch (error) {
        set((s) => ({
          toolchain: {
            ...s.toolchain,
            status: 'failed',
            detail: `The toolchain could not be loaded: ${describeError(error)}`,
          },
        }));
        return;
      } finally {
        initializing = null;
      }
      const pending = get().pendingRun;
      if (pending) {
        set({ pendingRun: null });
        if (pending === 'run') get().actions.run();
        else get().actions.step();
      } else if (get().held === null) {
        // While the user reads the page, the worker links the scenario's first
        // pass once, so that the first Run is as fast as the ones after it
        // (not a link's scenario held for its cost; the worker checks that too).
        deps.supervisor.prepare(get().scenario);
      }
      // The linker's own version line, for the label (after ready: it runs a tool).
      deps.supervisor.toolchainVersion().then(
        (toolchainVersion) =>
          set((s) =>
            s.toolchain.info
              ? { toolchain: { ...s.toolchain, info: { ...s.toolchain.info, toolchainVersion } } }
              : {},
          ),
        () => {}, // the label keeps the package's version; a broken worker shows up elsewhere
      );
    })();
    return initializing;
  }

  return {
    initToolchain,
    dismissWorkerLost() {
      set((s) => ({ toolchain: { ...s.toolchain, workerLost: null } }));
    },
    async start() {
      if (started) return;
      started = true;
      links.openUrl('start');
      deps.env.watchHash(() => links.openUrl('navigate'));
      deps.env.watchPrefersDark((dark) => get().actions.setSystemDark(dark));
      deps.supervisor.subscribe((status, detail) => {
        set((s) => ({
          toolchain: {
            ...s.toolchain,
            status,
            detail:
              status === 'failed'
                ? (detail ?? s.toolchain.detail ?? 'The toolchain stopped working.')
                : null,
          },
        }));
      });
      deps.supervisor.onWorkerLost((message) =>
        set((s) => ({ toolchain: { ...s.toolchain, workerLost: message } })),
      );
      await initToolchain();
    },
  };
}
