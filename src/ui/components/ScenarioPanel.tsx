/** Everything that makes a scenario: preset, target, corpus, strategy, filters, layout, linker script. */
import { useId } from 'react';
import { describeDifferences, listFields } from '../../toolchain/scenario/differences.ts';
import { PRESETS } from '../../toolchain/scenario/presets.ts';
import { formatBytes } from '../format.ts';
import {
  selectPreset,
  selectPresetNote,
  selectScenario,
  useActions,
  useApp,
  type ScenarioFlag,
} from '../store/index.ts';
import { CorpusFields } from './CorpusFields.tsx';
import { LinkerScriptEditor } from './LinkerScriptEditor.tsx';
import { TextField } from './TextField.tsx';

const MIB = 1024 * 1024;

const ARCHES = [
  { id: 'ppc64le', label: 'ppc64le (64-bit, little-endian, ELFv2)' },
  { id: 'ppc64', label: 'ppc64 (64-bit, big-endian, ELFv2)' },
  { id: 'ppc32', label: 'ppc32 (32-bit, big-endian)' },
] as const;

const STRATEGIES = [
  { id: 'v5.9', label: 'v5.9: two trials, a third if sizes differ' },
  { id: 'eight-passes', label: 'eight-passes: the 2020 patch, up to 8 trials' },
  { id: 'latest', label: 'latest (v6.11+): empty table first, then as v5.9' },
  { id: 'fixpoint', label: 'fixpoint: until two objects are byte-identical' },
] as const;

const GENERATIONS = [
  { id: 'v5.8', label: 'v5.8' },
  { id: 'v5.9', label: 'v5.9' },
  { id: 'latest', label: 'latest' },
] as const;

/**
 * Beside the preset's explanation: how a link's scenario differs from the
 * preset (never called the reader's change), and what the reader changed.
 */
function PresetNote() {
  const note = useApp(selectPresetNote);
  if (!note) return null;
  return (
    <>
      {note.linked && note.fromLink.length > 0 ? (
        <p className="muted">
          This scenario came from a link: this preset with {describeDifferences(note.fromLink)}.
        </p>
      ) : null}
      {note.edited.length > 0 ? (
        <p className="note">
          You have changed {listFields(note.edited)}
          {note.linked ? ' since the link opened' : ''}; choose the preset again to start over.
        </p>
      ) : null}
    </>
  );
}

function PresetPicker() {
  const id = useId();
  const preset = useApp(selectPreset);
  const { choosePreset } = useActions();
  return (
    <div className="field preset">
      <label htmlFor={id}>Preset</label>
      <select
        id={id}
        value={preset?.id ?? ''}
        onChange={(e) => choosePreset(e.target.value)}
        aria-describedby={`${id}-explanation`}
      >
        {preset === null ? <option value="">Custom scenario (from a link)</option> : null}
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.title}
          </option>
        ))}
      </select>
      <div className="preset-explanation" id={`${id}-explanation`}>
        {preset ? (
          <>
            <p>{preset.explanation}</p>
            <PresetNote />
          </>
        ) : (
          <p>This scenario came from a link and matches no preset.</p>
        )}
      </div>
    </div>
  );
}

function Choice<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: ReadonlyArray<{ id: T; label: string }>;
  onChange: (value: T) => void;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as T)}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function Flag({
  flag,
  label,
  hint,
  disabled,
  checked,
}: {
  flag: ScenarioFlag;
  label: string;
  hint?: string;
  disabled?: boolean;
  checked?: boolean;
}) {
  const scenario = useApp(selectScenario);
  const { setFlag } = useActions();
  const id = useId();
  return (
    <div className="flag">
      <input
        id={id}
        type="checkbox"
        checked={checked ?? scenario[flag]}
        disabled={disabled}
        onChange={(e) => setFlag(flag, e.target.checked)}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

function LayoutFields() {
  const scenario = useApp(selectScenario);
  const { setGapBytes, setAlignExponent } = useActions();
  const { gap, align } = scenario.layout;
  const gapMax = Math.max(64 * MIB, gap);
  const exponent = Math.log2(align);
  return (
    <fieldset>
      <legend>Layout</legend>
      <TextField
        field="gapMiB"
        label="Gap (MiB)"
        hint={
          <>
            {`0x${gap.toString(16)} bytes (${(gap / 1024).toLocaleString('en')} KiB) of the rest of a big kernel between .rodata and init text; a branch reaches ±32 MiB.`}
          </>
        }
      >
        <input
          type="range"
          aria-label="Gap slider"
          min={0}
          max={gapMax}
          step={1024}
          value={gap}
          aria-valuetext={`${formatBytes(gap)}`}
          onChange={(e) => setGapBytes(Number(e.target.value))}
        />
      </TextField>
      <TextField
        field="align"
        label="Alignment of init text (bytes)"
        hint={`2^${Number.isInteger(exponent) ? exponent : exponent.toFixed(2)} = ${formatBytes(align)}; a large alignment absorbs the table's growth.`}
      >
        <input
          type="range"
          aria-label="Alignment slider"
          min={2}
          max={28}
          step={1}
          value={Number.isInteger(exponent) ? exponent : 4}
          aria-valuetext={formatBytes(align)}
          onChange={(e) => setAlignExponent(Number(e.target.value))}
        />
      </TextField>
      <TextField
        field="base"
        label="Base address (hex)"
        inputMode="text"
        hint="KERNELBASE: where _text is linked."
      />
      <TextField
        field="extraLinkerFlags"
        label="Extra ld.lld flags"
        inputMode="text"
        hint="Separated by spaces, added to every link (e.g. --no-relax). The loop sets -o, -T, -Map and -m itself."
      />
    </fieldset>
  );
}

function LoopFields() {
  const scenario = useApp(selectScenario);
  const { setStrategy, setGeneration, setMaxPasses } = useActions();
  const fixpoint = scenario.strategy === 'fixpoint';
  return (
    <fieldset>
      <legend>Link loop</legend>
      <Choice
        label="Strategy"
        value={scenario.strategy}
        options={STRATEGIES}
        onChange={setStrategy}
      />
      <Choice
        label="kallsyms generation"
        value={scenario.generation}
        options={GENERATIONS}
        onChange={setGeneration}
      />
      <Flag
        flag="extraPass"
        label="KALLSYMS_EXTRA_PASS=1"
        hint="One more trial link even when the last two sizes matched."
      />
      <TextField
        field="maxPasses"
        label="Max passes (fixpoint)"
        inputMode="numeric"
        disabled={!fixpoint}
        hint={
          fixpoint
            ? 'The fixpoint strategy stops here if the table never settles.'
            : 'Only the fixpoint strategy uses this cap (eight-passes always stops at 8).'
        }
      >
        <input
          type="range"
          aria-label="Max passes slider"
          min={2}
          max={64}
          step={1}
          value={scenario.maxPasses}
          disabled={!fixpoint}
          onChange={(e) => setMaxPasses(Number(e.target.value))}
        />
      </TextField>
    </fieldset>
  );
}

function SymbolFields() {
  const scenario = useApp(selectScenario);
  const latest = scenario.generation === 'latest';
  return (
    <fieldset>
      <legend>Symbols</legend>
      <Flag
        flag="filterLldStubs"
        label="Ignore ld.lld's PPC64 stub symbols"
        hint="Drops __long_branch_*, __plt_*, __toc_save_*, __gep_setup_* from the table: the fix the kernel lacks."
      />
      <Flag
        flag="baseRelative"
        label="Base-relative offsets (--base-relative)"
        disabled={latest}
        checked={latest ? true : undefined}
        hint={
          latest
            ? 'latest is always base-relative.'
            : 'v5.x: offsets from _text instead of absolute addresses.'
        }
      />
      <Flag
        flag="allSymbols"
        label="All symbols (--all-symbols, CONFIG_KALLSYMS_ALL)"
        hint="Data symbols too, not only text."
      />
    </fieldset>
  );
}

export function ScenarioPanel() {
  const scenario = useApp(selectScenario);
  const { setArch } = useActions();
  return (
    <section className="scenario-panel" aria-labelledby="scenario-heading">
      <h2 id="scenario-heading">Scenario</h2>
      <PresetPicker />
      <fieldset>
        <legend>Target</legend>
        <Choice label="Architecture" value={scenario.arch} options={ARCHES} onChange={setArch} />
      </fieldset>
      <CorpusFields />
      <LayoutFields />
      <LoopFields />
      <SymbolFields />
      <LinkerScriptEditor />
    </section>
  );
}
