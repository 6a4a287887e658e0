import type { MouseEvent } from 'react';
import { canCancel, canRetry, usePhotos, type Photo, type RemovedFrom } from '../state/photos.ts';

export interface PhotoActionsProps {
  photo: Photo;
  /** Where the buttons are: the gallery's are compact icons; the photo view's are labelled. */
  place: RemovedFrom;
}

/**
 * Cancel, Retry and Remove for one photo. The photo view's are ordinary buttons. The gallery's are
 * pointer and touch targets only, hidden from assistive technology: a listbox option may not hold
 * controls, and the listbox already has keys for them (Delete) besides the photo view's buttons.
 */
export function PhotoActions({ photo, place }: PhotoActionsProps) {
  const cancel = usePhotos((s) => s.cancel);
  const retry = usePhotos((s) => s.retry);
  const remove = usePhotos((s) => s.remove);
  const compact = place === 'gallery';
  const action = (label: string, icon: string, text: string, onClick: () => void) => {
    const common = {
      'data-action': text.toLowerCase(),
      onClick: (e: MouseEvent) => {
        e.stopPropagation();
        onClick();
      },
    };
    return compact ? (
      <span key={text} className="photo-actions__icon" title={`${text} ${photo.fileName}`} {...common}>
        {icon}
      </span>
    ) : (
      <button
        key={text}
        type="button"
        className="button button--small"
        aria-label={`${label} ${photo.fileName}`}
        {...common}
      >
        {text}
      </button>
    );
  };
  return (
    <div className={`photo-actions photo-actions--${place}`} aria-hidden={compact || undefined}>
      {canCancel(photo) && action('Cancel the analysis of', '■', 'Cancel', () => cancel(photo.id))}
      {canRetry(photo) && action('Analyse again', '↻', 'Retry', () => retry(photo.id))}
      {action('Remove', '✕', 'Remove', () => remove(photo.id, place))}
    </div>
  );
}
