import { clearSession, forgetCleared, undoClear, useCleared } from '../../state/session/clear.ts';
import { usePhotos } from '../../state/photos.ts';
import { useSession } from '../../state/session/status.ts';
import { CritiquePicks } from '../cull/CritiquePicks.tsx';
import { CullExport } from '../cull/CullExport.tsx';
import { formatBytes } from '../format.ts';
import { UndoToast } from '../UndoToast.tsx';
import './session.css';

/** How much of the session this device keeps (and how much room is left), with Clear session. */
export function SessionBar() {
  const keptBytes = useSession((s) => s.keptBytes);
  const usage = useSession((s) => s.usage);
  const quota = useSession((s) => s.quota);
  const unkept = useSession((s) => s.unkept.length);
  const unavailable = useSession((s) => s.unavailable);
  const referenced = usePhotos((s) => s.photos.filter((p) => p.source).length);
  const them = unkept === 1 ? 'it' : 'them';

  return (
    <div className="session-bar">
      {unavailable ? (
        <p className="session-bar__note" role="status">
          {unavailable}
        </p>
      ) : (
        <p
          className="session-bar__note"
          data-testid="session-storage"
          title="Photos added as files are copied into this browser's storage; once it is full, new photos stay only until the tab closes. Photos of a folder opened with Add folder (where the browser allows it) are read from the folder, not copied."
        >
          Kept on this device: {formatBytes(keptBytes)}
          {quota > 0 && <> · {formatBytes(Math.max(0, quota - usage))} free</>}
          {referenced > 0 && <> · {referenced} read from their folder</>}
        </p>
      )}
      {unkept > 0 && (
        <p className="session-bar__full" role="alert" data-testid="session-unkept">
          This device has no room to keep {unkept} photo{unkept === 1 ? '' : 's'}:{' '}
          {unkept === 1 ? 'it stays' : 'they stay'} only until this tab closes. Free space (remove photos, or models in
          the Models view) to keep {them}.
        </p>
      )}
      <CullExport />
      <CritiquePicks />
      <button type="button" className="button button--ghost button--small" onClick={clearSession}>
        Clear session
      </button>
    </div>
  );
}

/** Undo for Clear session; shown wherever the studio is, also once it is empty. */
export function ClearedToast() {
  const cleared = useCleared((s) => s.cleared);
  if (!cleared) return null;
  const n = cleared.photos.length + cleared.waiting.length;
  return (
    <UndoToast
      message={`Cleared the session (${n} photo${n === 1 ? '' : 's'})`}
      onUndo={undoClear}
      onExpire={forgetCleared}
      timeoutMs={12_000}
    />
  );
}
