/**
 * A field the user types a value into. What they type is kept as typed,
 * valid or not; an invalid value shows its message below and changes nothing.
 */
import { useId, type ReactNode } from 'react';
import {
  selectFieldError,
  selectFieldText,
  useActions,
  useApp,
  type DraftField,
} from '../store/index.ts';

export function TextField({
  field,
  label,
  hint,
  disabled,
  inputMode = 'decimal',
  children,
}: {
  field: DraftField;
  label: string;
  hint?: ReactNode;
  disabled?: boolean;
  inputMode?: 'decimal' | 'numeric' | 'text';
  /** A slider or other control shown beside the input. */
  children?: ReactNode;
}) {
  const id = useId();
  const text = useApp(selectFieldText(field));
  const error = useApp(selectFieldError(field));
  const { editField } = useActions();
  const described = [hint ? `${id}-hint` : null, error ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  return (
    <div className={`field${error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{label}</label>
      <div className="field-controls">
        {children}
        <input
          id={id}
          type="text"
          inputMode={inputMode}
          spellCheck={false}
          autoComplete="off"
          value={text}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={described || undefined}
          onChange={(e) => editField(field, e.target.value)}
        />
      </div>
      {error ? (
        <p className="field-error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
      {hint ? (
        <p className="field-hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}
