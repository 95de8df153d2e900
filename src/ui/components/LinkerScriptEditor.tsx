/**
 * The linker script: the template for the current layout until edited;
 * an edit makes it the scenario's own script. ld.lld's complaints about it
 * appear right below.
 */
import { useId } from 'react';
import {
  selectFieldError,
  selectFieldText,
  selectIsCustomScript,
  selectLinkerScriptError,
  useActions,
  useApp,
} from '../store/index.ts';
import { Icon } from './Icon.tsx';

export function LinkerScriptEditor() {
  const id = useId();
  const text = useApp(selectFieldText('linkerScript'));
  const fieldError = useApp(selectFieldError('linkerScript'));
  const custom = useApp(selectIsCustomScript);
  const linkError = useApp(selectLinkerScriptError);
  const { editField, resetLinkerScript } = useActions();
  return (
    <fieldset className="linker-script">
      <legend>Linker script</legend>
      <div className="linker-script-head">
        <label htmlFor={id}>vmlinux.lds</label>
        <span className="muted" id={`${id}-state`}>
          {custom
            ? 'Your own script: the layout fields no longer change it.'
            : 'The template for this layout: edit it to make it your own.'}
        </span>
        <button type="button" onClick={resetLinkerScript} disabled={!custom}>
          Reset to template
        </button>
      </div>
      {linkError ? (
        <div className="lld-error" id={`${id}-lld`}>
          <p>
            <Icon name="stop" /> ld.lld refused this script in the last run:
          </p>
          <pre>{linkError}</pre>
        </div>
      ) : null}
      <textarea
        id={id}
        value={text}
        rows={14}
        spellCheck={false}
        autoCapitalize="off"
        autoCorrect="off"
        wrap="off"
        aria-invalid={fieldError || linkError ? true : undefined}
        aria-describedby={[
          `${id}-state`,
          fieldError ? `${id}-error` : '',
          linkError ? `${id}-lld` : '',
        ]
          .filter(Boolean)
          .join(' ')}
        onChange={(e) => editField('linkerScript', e.target.value)}
      />
      {fieldError ? (
        <p className="field-error" id={`${id}-error`}>
          {fieldError}
        </p>
      ) : null}
    </fieldset>
  );
}
