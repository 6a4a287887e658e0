import { useShallow } from 'zustand/react/shallow';
import { usePhotos } from '../state/photos.ts';

/**
 * Files that could not be used, each named with the reason. One file: one alert. More: one
 * summary with a scrolling list and "Dismiss all", so any number of refusals takes a few lines
 * of the studio and never its photo. Dismissing is not undoable (the files were never usable).
 */
export function RefusalAlerts() {
  const failed = usePhotos(useShallow((s) => s.photos.filter((p) => p.status === 'failed' && p.error)));
  const dismiss = usePhotos((s) => s.dismiss);
  if (failed.length === 0) return null;
  const dismissButton = (id: string, fileName: string) => (
    <button
      type="button"
      className="button button--ghost button--small"
      aria-label={`Dismiss the message about ${fileName}`}
      onClick={() => dismiss([id])}
    >
      Dismiss
    </button>
  );
  if (failed.length === 1) {
    const { id, fileName, error } = failed[0]!;
    return (
      <div className="alerts">
        <div className="alert" role="alert">
          <span>
            <strong>{fileName}</strong>: {error}
          </span>
          {dismissButton(id, fileName)}
        </div>
      </div>
    );
  }
  return (
    <div className="alerts">
      <div className="alert alert--summary" role="alert">
        <div className="alert__head">
          <span>
            <strong>{failed.length} files</strong> could not be used
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            onClick={() => dismiss(failed.map((p) => p.id))}
          >
            Dismiss all
          </button>
        </div>
        <ul className="alert__list" aria-label="Files that could not be used" tabIndex={0}>
          {failed.map(({ id, fileName, error }) => (
            <li key={id}>
              <span>
                <strong>{fileName}</strong>: {error}
              </span>
              {dismissButton(id, fileName)}
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
