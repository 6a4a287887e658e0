import { useCallback, useRef, useState } from 'react';
import { RefusalAlerts } from '../components/RefusalAlerts.tsx';
import { AddPhotos } from '../components/AddPhotos.tsx';
import { AnalysisPanel } from '../components/analysis/AnalysisPanel.tsx';
import { ShortcutSheet } from '../components/cull/ShortcutSheet.tsx';
import { useCullShortcuts } from '../components/cull/useCullShortcuts.ts';
import { CritiquePanel } from '../components/CritiquePanel.tsx';
import { ModelDownloadProgress } from '../components/ModelDownloadProgress.tsx';
import { Gallery } from '../components/Gallery.tsx';
import { PhotoView } from '../components/PhotoView.tsx';
import { CompareStage } from '../components/compare/CompareView.tsx';
import { useCompareKeys } from '../components/compare/useCompareKeys.ts';
import { ChoiceBar, ChooseToggle } from '../components/compare/ChoiceBar.tsx';
import { useCompare } from '../state/compare.ts';
import { UndoToast } from '../components/UndoToast.tsx';
import { ClearedToast, SessionBar } from '../components/session/SessionBar.tsx';
import { FolderAccessNotice } from '../components/session/FolderAccessNotice.tsx';
import { selectSelectedPhoto, usePhotos } from '../state/photos.ts';
import { useSession } from '../state/session/status.ts';

/** Gallery, the selected photo with its heatmap, and its critique. */
export function Studio() {
  // Narrow subscriptions: photos change many times a second while they are analysed and critiqued.
  const count = usePhotos((s) => s.photos.length);
  const selected = usePhotos((s) => selectSelectedPhoto(s) ?? s.photos[0]);
  const removed = usePhotos((s) => s.removed);
  const undoRemove = usePhotos((s) => s.undoRemove);
  const forgetRemoved = usePhotos((s) => s.forgetRemoved);
  const restoring = useSession((s) => s.restoring);
  const viewRef = useRef<HTMLDivElement>(null);
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const toggleShortcuts = useCallback(() => setShortcutsOpen((open) => !open), []);
  const closeShortcuts = useCallback(() => setShortcutsOpen(false), []);
  useCullShortcuts(toggleShortcuts);
  useCompareKeys();
  const layout = useCompare((s) => s.layout);

  const openSelected = useCallback(() => viewRef.current?.focus(), []);
  // Focus goes back to where the photo was removed from: its gallery item, or the photo view's Remove.
  const undo = useCallback(() => {
    const restored = undoRemove();
    if (!restored) return;
    requestAnimationFrame(() => {
      const selector =
        restored.from === 'view'
          ? '.photo-actions--view [data-action="remove"]'
          : `.gallery [data-photo-id="${restored.id}"]`;
      document.querySelector<HTMLElement>(selector)?.focus();
    });
  }, [undoRemove]);
  const lastRemoved = removed[removed.length - 1];

  return (
    <div className={`studio${count === 0 ? ' studio--empty' : ''}`}>
      <div className="studio__notices">
        <ModelDownloadProgress />
        <RefusalAlerts />
        <FolderAccessNotice />
      </div>

      {count === 0 ? (
        <div className="empty">
          <h1>Why does a photo work?</h1>
          <p>
            Drop photos anywhere on this page, paste one, or pick files or a folder. Each photo gets an aesthetic score,
            a heatmap of what drove it, and a written critique — computed on this device; photos never leave it.
          </p>
          <AddPhotos />
          {restoring && (
            <p className="muted" role="status">
              Restoring the last session…
            </p>
          )}
          <p className="muted">JPEG, PNG, WebP, AVIF, GIF (first frame) and BMP.</p>
        </div>
      ) : (
        <>
          <h1 className="visually-hidden">Studio</h1>
          <aside className="studio__gallery" aria-label="Gallery">
            <div className="studio__gallery-head">
              <div className="studio__gallery-count">
                <span>
                  {count} photo{count === 1 ? '' : 's'}
                </span>
                <button
                  type="button"
                  className="button button--ghost button--small"
                  aria-keyshortcuts="?"
                  title="Keyboard shortcuts (?)"
                  onClick={toggleShortcuts}
                >
                  Keys
                </button>
                <ChooseToggle />
              </div>
              <ChoiceBar />
              <AddPhotos compact />
              <SessionBar />
            </div>
            <Gallery onOpen={openSelected} />
          </aside>
          <div className="studio__main" ref={viewRef} tabIndex={-1}>
            {layout !== 'loupe' && count > 1 ? (
              <CompareStage layout={layout} />
            ) : (
              selected && <PhotoView photo={selected} />
            )}
          </div>
          <div className="studio__side">
            {selected && <CritiquePanel photo={selected} />}
            {selected && <AnalysisPanel photo={selected} />}
          </div>
        </>
      )}

      <ClearedToast />
      {shortcutsOpen && <ShortcutSheet onClose={closeShortcuts} />}

      {lastRemoved && (
        <UndoToast
          message={`Removed ${lastRemoved.photo.fileName}${removed.length > 1 ? ` (${removed.length - 1} more to undo)` : ''}`}
          onUndo={undo}
          onExpire={forgetRemoved}
        />
      )}
    </div>
  );
}
