/**
 * "Diagnose your build": the reader's own System.map, `nm -n` listing or ELF
 * image, one or two, read in a worker of its own (nothing leaves the
 * machine). What the reader gave stays whatever happens: a bad file gets the
 * engine's one-line message, and the inputs are still there to fix or replace.
 */
import { describeError } from './toolchain-slice.ts';
import type {
  AppActions,
  AppState,
  AppDeps,
  DiagnoseInputSpec,
  DiagnoseSlot,
  DiagnoseState,
} from './types.ts';

type Set = (partial: Partial<AppState> | ((state: AppState) => Partial<AppState>)) => void;
type Get = () => AppState;

export function initialDiagnose(): DiagnoseState {
  return {
    open: false,
    slots: [null, null],
    options: { filterLldStubs: false, allSymbols: false },
    status: 'idle',
    progress: null,
    result: null,
    resultFor: [],
    error: null,
  };
}

/** What a slot is called in messages and in the result's heading. */
export function slotName(slot: DiagnoseSlot, index: number): string {
  return slot.kind === 'file' ? slot.name : `pasted text ${index + 1}`;
}

export function diagnoseActions(
  set: Set,
  get: Get,
  deps: AppDeps,
): Pick<
  AppActions,
  | 'openDiagnose'
  | 'closeDiagnose'
  | 'setDiagnoseSlot'
  | 'setDiagnoseOption'
  | 'startDiagnose'
  | 'cancelDiagnose'
> {
  let controller: AbortController | null = null;
  let nextId = 1;
  let runningId = 0;
  const patch = (change: Partial<DiagnoseState>) =>
    set((s) => ({ diagnose: { ...s.diagnose, ...change } }));

  return {
    openDiagnose() {
      patch({ open: true });
    },
    closeDiagnose() {
      patch({ open: false });
    },
    setDiagnoseSlot(index, slot) {
      set((s) => {
        const slots: DiagnoseState['slots'] = [...s.diagnose.slots];
        slots[index] = slot;
        return { diagnose: { ...s.diagnose, slots } };
      });
    },
    setDiagnoseOption(option, value) {
      set((s) => ({
        diagnose: { ...s.diagnose, options: { ...s.diagnose.options, [option]: value } },
      }));
    },
    startDiagnose() {
      const { diagnose } = get();
      if (diagnose.status === 'running') return;
      const given = diagnose.slots
        .map((slot, index) => ({ slot, index }))
        .filter(
          (x): x is { slot: DiagnoseSlot; index: number } =>
            x.slot !== null && !(x.slot.kind === 'text' && x.slot.text.trim() === ''),
        );
      if (given.length === 0) {
        patch({
          status: 'failed',
          error:
            'Nothing to diagnose yet: drop or choose a file (a System.map, an nm -n listing or an ELF image), or paste a listing.',
        });
        return;
      }
      const inputs: DiagnoseInputSpec[] = given.map(({ slot, index }) =>
        slot.kind === 'file'
          ? { name: slotName(slot, index), blob: slot.file }
          : { name: slotName(slot, index), text: slot.text },
      );
      const id = nextId++;
      runningId = id;
      controller?.abort();
      const mine = new AbortController();
      controller = mine;
      const names = inputs.map((input) => input.name);
      patch({ status: 'running', progress: null, error: null });
      deps.diagnoser
        .diagnose(
          inputs,
          {
            filterLldStubs: diagnose.options.filterLldStubs,
            allSymbols: diagnose.options.allSymbols,
          },
          {
            signal: mine.signal,
            onProgress: (progress) => {
              if (runningId === id) patch({ progress });
            },
          },
        )
        .then(
          (result) => {
            if (runningId !== id) return;
            controller = null;
            patch({ status: 'done', result, resultFor: names, progress: null });
          },
          (error: unknown) => {
            if (runningId !== id) return;
            controller = null;
            if (mine.signal.aborted) patch({ status: 'cancelled', progress: null });
            // The result of an earlier diagnosis stays below the message: nothing is lost.
            else patch({ status: 'failed', error: describeError(error), progress: null });
          },
        );
    },
    cancelDiagnose() {
      if (get().diagnose.status !== 'running') return;
      controller?.abort();
    },
  };
}
