/**
 * "Your own build": one or two inputs (a System.map, an `nm -n` listing or an
 * ELF image), dropped, chosen or pasted, diagnosed in a worker of their own
 * on this machine (nothing is uploaded). A bad input gets the engine's
 * message and keeps what the reader gave; a large image shows its progress
 * and can be cancelled.
 */
import { useId, useState, type DragEvent } from 'react';
import { describeBytes } from '../../toolchain/diagnose/index.ts';
import { selectDiagnose, slotName, useActions, useApp, type DiagnoseSlot } from '../store/index.ts';
import { DiagnosisView } from './DiagnosisView.tsx';

const SLOT_WORDS = [
  {
    title: 'First input',
    hint: 'The earlier image when comparing: the last trial (.tmp_vmlinux.kallsyms3, or its System.map).',
  },
  {
    title: 'Second input (optional)',
    hint: 'The later one: vmlinux (or its System.map). With two, the page says what differs and why.',
  },
] as const;

function Slot({ index }: { index: 0 | 1 }) {
  const { slots } = useApp(selectDiagnose);
  const { setDiagnoseSlot } = useActions();
  const slot = slots[index];
  const [dragging, setDragging] = useState(false);
  const id = useId();
  const words = SLOT_WORDS[index];
  const fromFile = (file: File): DiagnoseSlot => ({
    kind: 'file',
    name: file.name,
    size: file.size,
    file,
  });
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length === 0) {
      const text = event.dataTransfer.getData('text/plain');
      if (text) setDiagnoseSlot(index, { kind: 'text', text });
      return;
    }
    // Two files dropped at once fill both inputs, in the order given.
    setDiagnoseSlot(index, fromFile(files[0]));
    if (files.length > 1 && index === 0) setDiagnoseSlot(1, fromFile(files[1]));
  };
  return (
    <fieldset
      className={`diag-slot${dragging ? ' diag-slot-drag' : ''}`}
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
      data-slot={index}
    >
      <legend>{words.title}</legend>
      <p className="muted">{words.hint}</p>
      {slot?.kind === 'file' ? (
        <p className="diag-file">
          <code>{slot.name}</code> ({describeBytes(slot.size)}){' '}
          <button type="button" className="link" onClick={() => setDiagnoseSlot(index, null)}>
            Remove
          </button>
        </p>
      ) : (
        <>
          <p>
            Drop a file here, or{' '}
            <label className="file-pick">
              choose one
              <input
                type="file"
                aria-label={`Choose the ${index === 0 ? 'first' : 'second'} file`}
                onChange={(e) => {
                  const file = e.currentTarget.files?.[0];
                  if (file) setDiagnoseSlot(index, fromFile(file));
                  e.currentTarget.value = '';
                }}
              />
            </label>
            , or paste a listing:
          </p>
          <label htmlFor={id} className="visually-hidden">
            {`Paste the ${index === 0 ? 'first' : 'second'} listing`}
          </label>
          <textarea
            id={id}
            rows={4}
            spellCheck={false}
            placeholder="c000000000000000 T _stext"
            value={slot?.kind === 'text' ? slot.text : ''}
            onChange={(e) =>
              setDiagnoseSlot(
                index,
                e.currentTarget.value === '' ? null : { kind: 'text', text: e.currentTarget.value },
              )
            }
          />
        </>
      )}
    </fieldset>
  );
}

export function DiagnosePage() {
  const state = useApp(selectDiagnose);
  const { startDiagnose, cancelDiagnose, setDiagnoseOption, closeDiagnose } = useActions();
  const running = state.status === 'running';
  const given = state.slots.flatMap((slot, i) => (slot ? [slotName(slot, i)] : []));
  const changedSince =
    state.result !== null && given.join('\u0000') !== state.resultFor.join('\u0000');
  const percent = Math.round((state.progress?.fraction ?? 0) * 100);
  return (
    <main className="diagnose-page" aria-labelledby="diagnose-heading">
      <div className="section-head">
        <h2 id="diagnose-heading">Your own build</h2>
        <button type="button" className="link" onClick={closeDiagnose}>
          Back to the playground
        </button>
      </div>
      <p>
        Hit &ldquo;Inconsistent kallsyms data&rdquo;? Give the last trial image and vmlinux (or
        their System.maps, or <code>nm -n</code> listings): the page reads them here, in a worker on
        this machine; nothing is uploaded. One input shows the table each kallsyms generation would
        build from it and the linker-made symbols in it. The command line does the same:{' '}
        <code>npx kallsyms-lab diagnose FILE [FILE]</code>.
      </p>
      <form
        className="diag-form"
        onSubmit={(e) => {
          e.preventDefault();
          startDiagnose();
        }}
      >
        <div className="diag-slots">
          <Slot index={0} />
          <Slot index={1} />
        </div>
        <div className="diag-options">
          <label>
            <input
              type="checkbox"
              checked={state.options.filterLldStubs}
              onChange={(e) => setDiagnoseOption('filterLldStubs', e.currentTarget.checked)}
            />{' '}
            Also drop ld.lld&rsquo;s PPC64 stub names (the filter the kernel lacks)
          </label>
          <label>
            <input
              type="checkbox"
              checked={state.options.allSymbols}
              onChange={(e) => setDiagnoseOption('allSymbols', e.currentTarget.checked)}
            />{' '}
            CONFIG_KALLSYMS_ALL (every kept symbol in the table)
          </label>
        </div>
        <div className="buttons">
          <button type="submit" className="primary" disabled={running}>
            Diagnose
          </button>
          {running ? (
            <button type="button" onClick={cancelDiagnose}>
              Cancel
            </button>
          ) : null}
        </div>
      </form>
      <div role="status" className="diag-status">
        {running ? (
          <>
            <span>{state.progress?.step ?? 'Starting the diagnose worker…'}</span>
            <div
              className="progress"
              role="progressbar"
              aria-label="Diagnosis"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
            >
              <div className="progress-fill" style={{ width: `${percent}%` }} />
            </div>
          </>
        ) : state.status === 'cancelled' ? (
          'Cancelled. Your inputs are still here.'
        ) : state.status === 'failed' ? (
          <span className="diag-error">{state.error}</span>
        ) : null}
      </div>
      {state.result ? (
        <section
          className={`diag-result${changedSince ? ' run-results-stale' : ''}`}
          aria-labelledby="diag-result-heading"
        >
          <h3 id="diag-result-heading">Diagnosis of {state.resultFor.join(' and ')}</h3>
          {changedSince ? (
            <p className="stale-note">
              <strong>Out of date:</strong> the inputs have changed since; press Diagnose.
            </p>
          ) : null}
          <DiagnosisView diagnosis={state.result} />
        </section>
      ) : null}
    </main>
  );
}
