import { useModels } from '../state/models.ts';

/**
 * Shown when downloaded models could not be stored for offline use; they keep working meanwhile.
 * Links to the Models view (where storage is managed) unless that view is already open.
 */
export function StorageNotice({ onModelsView }: { onModelsView: boolean }) {
  const notice = useModels((s) => s.storageNotice);
  const setNotice = useModels((s) => s.setStorageNotice);
  if (!notice) return null;
  return (
    <div className="storage-notice" role="status">
      <span>{notice}</span>
      {!onModelsView && (
        <a className="button button--small" href="#models">
          Models
        </a>
      )}
      <button
        type="button"
        className="button button--ghost button--small"
        aria-label="Dismiss the storage notice"
        onClick={() => setNotice(null)}
      >
        Dismiss
      </button>
    </div>
  );
}
