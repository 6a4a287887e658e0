import { memo, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import { describeCull, type Cull } from '../lib/cull/types.ts';
import { cullOf, useCulling } from '../state/culling.ts';
import { arrangeGallery, useGalleryView } from '../state/galleryView.ts';
import { sameExceptCritiqueStream, usePhotos, type Photo } from '../state/photos.ts';
import { CullBadges, CullStars } from './cull/CullBadges.tsx';
import { GalleryFilters } from './cull/GalleryFilters.tsx';
import { formatScore } from './format.ts';
import { PhotoActions } from './PhotoActions.tsx';
import { galleryStatusLabel } from './statusLabel.ts';

export interface GalleryProps {
  /** Enter on a photo: move focus to the photo view. */
  onOpen(): void;
}

/** Index of the item visually above/below `index` in a wrapped grid, from the items' positions. */
function verticalNeighbour(items: HTMLElement[], index: number, direction: 1 | -1): number {
  const current = items[index];
  if (!current) return index;
  const top = current.offsetTop;
  const left = current.offsetLeft;
  let best = index;
  let bestScore = Infinity;
  items.forEach((el, i) => {
    const dy = (el.offsetTop - top) * direction;
    if (dy <= 0) return;
    // Nearest row first, then nearest column.
    const score = dy * 10_000 + Math.abs(el.offsetLeft - left);
    if (score < bestScore) {
      bestScore = score;
      best = i;
    }
  });
  return best;
}

/**
 * Thumbnails with status and score. A listbox with one tab stop: arrows move the selection
 * (up/down follow the wrapped grid), Home/End jump, Enter opens, Delete removes (with undo).
 */
export function Gallery({ onOpen }: GalleryProps) {
  const all = usePhotos((s) => s.photos);
  const selectedId = usePhotos((s) => s.selectedId);
  const select = usePhotos((s) => s.select);
  const remove = usePhotos((s) => s.remove);
  const culls = useCulling((s) => s.byId);
  const sort = useGalleryView((s) => s.sort);
  const flag = useGalleryView((s) => s.flag);
  const minRating = useGalleryView((s) => s.minRating);
  const label = useGalleryView((s) => s.label);
  // The photos shown, in the chosen order: keyboard moves follow it.
  const photos = useMemo(
    () => arrangeGallery(all, culls, { sort, flag, minRating, label }),
    [all, culls, sort, flag, minRating, label],
  );
  const listRef = useRef<HTMLUListElement>(null);
  const focusAfterChange = useRef(false);

  // A filter that hides the selected photo moves the selection to the first one shown.
  useEffect(() => {
    if (photos.length > 0 && !photos.some((p) => p.id === selectedId)) select(photos[0]!.id);
  }, [photos, selectedId, select]);

  useEffect(() => {
    if (!focusAfterChange.current) return;
    focusAfterChange.current = false;
    const el = listRef.current?.querySelector<HTMLElement>('[aria-selected="true"]');
    el?.focus();
    el?.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [selectedId, photos.length]);

  if (all.length === 0) return null;

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    const items = [...(listRef.current?.querySelectorAll<HTMLElement>('[role="option"]') ?? [])];
    const index = Math.max(
      0,
      photos.findIndex((p) => p.id === selectedId),
    );
    let next = index;
    switch (e.key) {
      case 'ArrowRight':
        next = Math.min(photos.length - 1, index + 1);
        break;
      case 'ArrowLeft':
        next = Math.max(0, index - 1);
        break;
      case 'ArrowDown':
        next = verticalNeighbour(items, index, 1);
        break;
      case 'ArrowUp':
        next = verticalNeighbour(items, index, -1);
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = photos.length - 1;
        break;
      case 'Enter':
      case ' ':
        e.preventDefault();
        onOpen();
        return;
      case 'Delete':
      case 'Backspace': {
        e.preventDefault();
        const current = photos[index];
        if (current) {
          focusAfterChange.current = true;
          remove(current.id);
        }
        return;
      }
      default:
        return;
    }
    e.preventDefault();
    const target = photos[next];
    if (target && target.id !== selectedId) {
      focusAfterChange.current = true;
      select(target.id);
    }
  };

  return (
    <>
      <GalleryFilters shown={photos.length} total={all.length} />
      <ul
        ref={listRef}
        className="gallery"
        role="listbox"
        aria-label="Photos"
        aria-orientation="horizontal"
        onKeyDown={onKeyDown}
      >
        {photos.map((photo, i) => (
          <GalleryItem
            key={photo.id}
            photo={photo}
            cull={cullOf(culls, photo.id)}
            selected={photo.id === selectedId || (selectedId === null && i === 0)}
            status={galleryStatusLabel(all, photo)}
            onSelect={select}
            onOpen={onOpen}
          />
        ))}
      </ul>
    </>
  );
}

interface GalleryItemProps {
  photo: Photo;
  cull: Cull;
  /** The status words shown (with the queue position). */
  status: string;
  selected: boolean;
  onSelect(id: string): void;
  onOpen(): void;
}

// Memoised: a streamed critique changes its photo many times a second; the item does not show it.
const GalleryItem = memo(function GalleryItem({ photo, cull, status, selected, onSelect, onOpen }: GalleryItemProps) {
  const busy = photo.status === 'analysing' || photo.status === 'critiquing';
  const culled = describeCull(cull);
  return (
    <li
      role="option"
      aria-selected={selected}
      tabIndex={selected ? 0 : -1}
      className={`gallery__item gallery__item--${photo.status}${cull.flag === 'reject' ? ' gallery__item--rejected' : ''}`}
      data-testid="gallery-item"
      data-status={photo.status}
      data-photo-id={photo.id}
      // The visible words in their order, so speech input can name the item by what it shows.
      aria-label={`${photo.fileName}, ${status}${photo.score !== undefined ? `, ${formatScore(photo.score)} (score)` : ''}${culled ? `, ${culled}` : ''}`}
      onClick={() => onSelect(photo.id)}
      onDoubleClick={onOpen}
      title={photo.fileName}
    >
      {/* The spaces between the parts keep the words apart for tools that read the text as a whole. */}
      <div className="gallery__meta">
        <span className="gallery__name">{photo.fileName}</span>{' '}
        <span className={`gallery__status${busy ? ' gallery__status--busy' : ''}`} data-testid="photo-status">
          {status}
        </span>
        <CullStars rating={cull.rating} />
      </div>{' '}
      {/* After the name in the document, shown above it. */}
      <div className="gallery__thumb">
        {photo.thumbnailUrl ? (
          <img src={photo.thumbnailUrl} alt="" draggable={false} />
        ) : (
          <div className="gallery__placeholder" aria-hidden="true" />
        )}
        <CullBadges cull={cull} />
        {photo.score !== undefined && <span className="gallery__score">{formatScore(photo.score)}</span>}
        <PhotoActions photo={photo} place="gallery" />
      </div>
    </li>
  );
}, sameItem);

function sameItem(a: GalleryItemProps, b: GalleryItemProps): boolean {
  return (
    a.selected === b.selected &&
    a.cull === b.cull &&
    a.status === b.status &&
    a.onSelect === b.onSelect &&
    a.onOpen === b.onOpen &&
    sameExceptCritiqueStream(a.photo, b.photo)
  );
}
