import { memo } from 'react';
import type { TileStack } from '../../lib/cull/stackTiles.ts';
import { describeCull, type Cull } from '../../lib/cull/types.ts';
import { useCompare } from '../../state/compare.ts';
import { sameExceptCritiqueStream, type Photo } from '../../state/photos.ts';
import { CullBadges, CullStars } from '../cull/CullBadges.tsx';
import { formatScore } from '../format.ts';
import { PhotoActions } from '../PhotoActions.tsx';

export interface GalleryItemProps {
  photo: Photo;
  cull: Cull;
  /** The status words shown (with the queue position). */
  status: string;
  selected: boolean;
  /** 1-based place among the items shown, and how many are shown (most are not in the document). */
  position: number;
  setSize: number;
  /** The first item of each row is measured for the virtualised list, under its row index. */
  measure?: { row: number; ref: (el: HTMLElement | null) => void };
  /** The photo's place in a stack of near-duplicates, when it is in one. */
  stack?: TileStack;
  onSelect(id: string): void;
  onToggleStack(id: string): void;
  onOpen(): void;
}

// Memoised: a streamed critique changes its photo many times a second; the item does not show it.
export const GalleryItem = memo(function GalleryItem({
  photo,
  cull,
  status,
  selected,
  position,
  setSize,
  measure,
  stack,
  onSelect,
  onToggleStack,
  onOpen,
}: GalleryItemProps) {
  const busy = photo.status === 'analysing' || photo.status === 'critiquing';
  const chosen = useCompare((s) => s.chosen.includes(photo.id));
  const toggleChosen = useCompare((s) => s.toggleChosen);
  const culled = describeCull(cull);
  const stacked = stack ? stackWords(stack) : '';
  return (
    <li
      role="option"
      aria-selected={selected}
      aria-posinset={position}
      aria-setsize={setSize}
      ref={measure?.ref}
      data-index={measure?.row}
      tabIndex={selected ? 0 : -1}
      className={`gallery__item gallery__item--${photo.status}${cull.flag === 'reject' ? ' gallery__item--rejected' : ''}${stack?.expanded ? ' gallery__item--in-stack' : ''}`}
      data-testid="gallery-item"
      data-status={photo.status}
      data-photo-id={photo.id}
      // The visible words in their order, so speech input can name the item by what it shows.
      aria-label={`${photo.fileName}, ${status}${photo.score !== undefined ? `, ${formatScore(photo.score)} (score)` : ''}${stacked ? `, ${stacked}` : ''}${culled ? `, ${culled}` : ''}`}
      data-stack={stack ? (stack.lead ? 'lead' : 'member') : undefined}
      data-best={stack?.best || undefined}
      onClick={(e) => (e.ctrlKey || e.metaKey ? toggleChosen(photo.id) : onSelect(photo.id))}
      data-chosen={chosen || undefined}
      onDoubleClick={onOpen}
      title={stacked ? `${photo.fileName}\n${stacked}` : photo.fileName}
    >
      {/* The spaces between the parts keep the words apart for tools that read the text as a whole. */}
      <div className="gallery__meta">
        <span className="gallery__name">{photo.fileName}</span>{' '}
        <span className={`gallery__status${busy ? ' gallery__status--busy' : ''}`} data-testid="photo-status">
          {status}
        </span>
        <CullStars rating={cull.rating} />
        {stack?.best && (
          <span className="gallery__best" aria-hidden="true">
            Best of {stack.shown}
          </span>
        )}
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
        {stack && <StackBadge stack={stack} onToggle={() => onToggleStack(photo.id)} />}
        <PhotoActions photo={photo} place="gallery" />
      </div>
    </li>
  );
}, sameItem);

/** What the stack badge says, for the accessible name and the tooltip. */
function stackWords(stack: TileStack): string {
  if (stack.best) return `best of a stack of ${stack.shown}: ${stack.reason}`;
  return stack.lead ? `stack of ${stack.shown}` : `in a stack of ${stack.shown}`;
}

/**
 * The stack's count on its lead tile: a pointer target that expands or collapses it, like S.
 * Hidden from assistive technology: the item's name says it.
 */
function StackBadge({ stack, onToggle }: { stack: TileStack; onToggle(): void }) {
  if (!stack.lead || stack.shown < 2) return null;
  return (
    <span
      className="gallery__stack-count"
      data-testid="stack-count"
      aria-hidden="true"
      title={stack.expanded ? 'Collapse the stack (S)' : 'Expand the stack (S)'}
      onClick={(e) => {
        e.stopPropagation();
        onToggle();
      }}
    >
      {stack.expanded ? '▾' : '❐'} {stack.shown}
    </span>
  );
}

const sameStack = (a: TileStack | undefined, b: TileStack | undefined): boolean =>
  a === b ||
  (!!a &&
    !!b &&
    a.shown === b.shown &&
    a.lead === b.lead &&
    a.expanded === b.expanded &&
    a.best === b.best &&
    a.reason === b.reason);

function sameItem(a: GalleryItemProps, b: GalleryItemProps): boolean {
  return (
    sameStack(a.stack, b.stack) &&
    a.onToggleStack === b.onToggleStack &&
    a.selected === b.selected &&
    a.position === b.position &&
    a.setSize === b.setSize &&
    a.measure?.row === b.measure?.row &&
    a.measure?.ref === b.measure?.ref &&
    a.cull === b.cull &&
    a.status === b.status &&
    a.onSelect === b.onSelect &&
    a.onOpen === b.onOpen &&
    sameExceptCritiqueStream(a.photo, b.photo)
  );
}
