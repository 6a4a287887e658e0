import { useCallback, useRef } from 'react';
import { AddPhotos } from '../components/AddPhotos.tsx';
import { CritiquePanel } from '../components/CritiquePanel.tsx';
import { Gallery } from '../components/Gallery.tsx';
import { PhotoView } from '../components/PhotoView.tsx';
import { UndoToast } from '../components/UndoToast.tsx';
import { selectSelectedPhoto, usePhotos } from '../state/photos.ts';

/** Gallery, the selected photo with its heatmap, and its critique. */
export function Studio() {
  const photos = usePhotos((s) => s.photos);
  const selected = usePhotos(selectSelectedPhoto) ?? photos[0];
  const lastRemoved = usePhotos((s) => s.lastRemoved);
  const undoRemove = usePhotos((s) => s.undoRemove);
  const forgetRemoved = usePhotos((s) => s.forgetRemoved);
  const remove = usePhotos((s) => s.remove);
  const viewRef = useRef<HTMLDivElement>(null);
  const failed = photos.filter((p) => p.status === 'failed' && p.error);

  const openSelected = useCallback(() => viewRef.current?.focus(), []);

  return (
    <div className={`studio${photos.length === 0 ? ' studio--empty' : ''}`}>
      <div className="studio__notices">
        {failed.length > 0 && (
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
        )}
      </div>

      {photos.length === 0 ? (
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
                {photos.length} photo{photos.length === 1 ? '' : 's'}
              </span>
              <AddPhotos compact />
            </div>
            <Gallery onOpen={openSelected} />
          </aside>
          <div className="studio__main" ref={viewRef} tabIndex={-1}>
            {selected && <PhotoView photo={selected} />}
          </div>
          <div className="studio__side">{selected && <CritiquePanel photo={selected} />}</div>
        </>
      )}

      {lastRemoved && (
        <UndoToast message={`Removed ${lastRemoved.photo.fileName}`} onUndo={undoRemove} onExpire={forgetRemoved} />
      )}
    </div>
  );
}
