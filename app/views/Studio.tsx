import { useCallback, useRef } from 'react';
import { AddPhotos } from '../components/AddPhotos.tsx';
import { AnalysisPanel } from '../components/analysis/AnalysisPanel.tsx';
import { CritiquePanel } from '../components/CritiquePanel.tsx';
import { Gallery } from '../components/Gallery.tsx';
import { PhotoView } from '../components/PhotoView.tsx';
import { UndoToast } from '../components/UndoToast.tsx';
import { useShallow } from 'zustand/react/shallow';
import { selectSelectedPhoto, usePhotos } from '../state/photos.ts';

/** Gallery, the selected photo with its heatmap, and its critique. */
export function Studio() {
  // Narrow subscriptions: photos change many times a second while they are analysed and critiqued.
  const count = usePhotos((s) => s.photos.length);
  const selected = usePhotos((s) => selectSelectedPhoto(s) ?? s.photos[0]);
  const lastRemoved = usePhotos((s) => s.lastRemoved);
  const undoRemove = usePhotos((s) => s.undoRemove);
  const forgetRemoved = usePhotos((s) => s.forgetRemoved);
  const viewRef = useRef<HTMLDivElement>(null);

  const openSelected = useCallback(() => viewRef.current?.focus(), []);

  return (
    <div className={`studio${count === 0 ? ' studio--empty' : ''}`}>
      <div className="studio__notices">
        <FailedPhotoAlerts />
      </div>

      {count === 0 ? (
        <div className="empty">
          <h2>Why does a photo work?</h2>
          <p>
            Drop photos anywhere on this page, paste one, or pick files or a folder. Each photo gets an aesthetic score,
            a heatmap of what drove it, and a written critique — computed on this device; photos never leave it.
          </p>
          <AddPhotos />
          <p className="muted">JPEG, PNG, WebP, AVIF, GIF (first frame) and BMP.</p>
        </div>
      ) : (
        <>
          <aside className="studio__gallery" aria-label="Gallery">
            <div className="studio__gallery-head">
              <span>
                {count} photo{count === 1 ? '' : 's'}
              </span>
              <AddPhotos compact />
            </div>
            <Gallery onOpen={openSelected} />
          </aside>
          <div className="studio__main" ref={viewRef} tabIndex={-1}>
            {selected && <PhotoView photo={selected} />}
          </div>
          <div className="studio__side">
            {selected && <CritiquePanel photo={selected} />}
            {selected && <AnalysisPanel photo={selected} />}
          </div>
        </>
      )}

      {lastRemoved && (
        <UndoToast message={`Removed ${lastRemoved.photo.fileName}`} onUndo={undoRemove} onExpire={forgetRemoved} />
      )}
    </div>
  );
}

/** One alert per photo that failed, naming the file and the reason, until dismissed. */
function FailedPhotoAlerts() {
  const failed = usePhotos(useShallow((s) => s.photos.filter((p) => p.status === 'failed' && p.error)));
  const remove = usePhotos((s) => s.remove);
  if (failed.length === 0) return null;
  return (
    <div className="alerts">
      {failed.map((p) => (
        <div key={p.id} className="alert" role="alert">
          <span>
            <strong>{p.fileName}</strong>: {p.error}
          </span>
          <button
            type="button"
            className="button button--ghost button--small"
            aria-label={`Dismiss the message about ${p.fileName}`}
            onClick={() => remove(p.id)}
          >
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
