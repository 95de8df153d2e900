/** A link that could not be opened: the codec's words (which say what is shown instead), as text. */
import { selectPermalinkError, useActions, useApp } from '../store/index.ts';

export function PermalinkAlert() {
  const error = useApp(selectPermalinkError);
  const { dismissPermalinkError } = useActions();
  if (error === null) return null;
  return (
    <div className="permalink-alert" role="alert">
      <p>
        <strong>The link could not be opened.</strong> {error}
      </p>
      <button type="button" onClick={dismissPermalinkError}>
        Dismiss
      </button>
    </div>
  );
}
