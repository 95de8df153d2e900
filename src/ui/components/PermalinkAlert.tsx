/** A link that could not be opened (or not all of it): the codec's words (which say what is shown instead), as text. */
import { selectPermalinkError, useActions, useApp } from '../store/index.ts';

export function PermalinkAlert() {
  const error = useApp(selectPermalinkError);
  const { dismissPermalinkError } = useActions();
  if (error === null) return null;
  return (
    <div className="permalink-alert" role="alert">
      <p>
        {/* The codec's words say themselves what was wrong ("This link's view could not be read …"). */}
        {/^This link/.test(error) ? null : <strong>The link could not be opened fully. </strong>}
        {error}
      </p>
      <button type="button" onClick={dismissPermalinkError}>
        Dismiss
      </button>
    </div>
  );
}
