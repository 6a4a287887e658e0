import { canCancel, canRetry, usePhotos, type Photo, type RemovedFrom } from '../state/photos.ts';

export interface PhotoActionsProps {
  photo: Photo;
  /** Where the buttons are: the gallery's are compact icons; the photo view's are labelled. */
  place: RemovedFrom;
}

/**
 * Cancel, Retry and Remove for one photo, for pointer and touch. The gallery's buttons stay out of
 * the tab order (the listbox has one tab stop and its own keys); the photo view's are ordinary buttons.
 */
export function PhotoActions({ photo, place }: PhotoActionsProps) {
  const cancel = usePhotos((s) => s.cancel);
  const retry = usePhotos((s) => s.retry);
  const remove = usePhotos((s) => s.remove);
  const compact = place === 'gallery';
  const button = (label: string, icon: string, text: string, onClick: () => void) => (
    <button
      type="button"
      className={compact ? 'photo-actions__icon' : 'button button--small'}
      aria-label={`${label} ${photo.fileName}`}
      title={compact ? `${text} ${photo.fileName}` : undefined}
      tabIndex={compact ? -1 : undefined}
      data-action={text.toLowerCase()}
      onClick={(e) => {
        e.stopPropagation();
        onClick();
      }}
    >
      {compact ? <span aria-hidden="true">{icon}</span> : text}
    </button>
  );
  return (
    <div className={`photo-actions photo-actions--${place}`}>
      {canCancel(photo) && button('Cancel the analysis of', '■', 'Cancel', () => cancel(photo.id))}
      {canRetry(photo) && button('Analyse again', '↻', 'Retry', () => retry(photo.id))}
      {button('Remove', '✕', 'Remove', () => remove(photo.id, place))}
    </div>
  );
}
