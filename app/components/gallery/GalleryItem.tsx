import { memo } from 'react';
import type { TileStack } from '../../lib/cull/stackTiles.ts';
import { describeCull, type Cull } from '../../lib/cull/types.ts';
import { useCompare } from '../../state/compare.ts';
import type { Photo } from '../../state/photos.ts';
import { sameExceptCritiqueStream } from '../../state/critiqueStream.ts';
import { CullBadges, CullStars } from '../cull/CullBadges.tsx';
import { formatScore } from '../format.ts';
import { PhotoActions } from '../PhotoActions.tsx';
import { thumbnailUrl } from '../../state/thumbnails.ts';

/** What a click on a photo does: open it alone, toggle it among the chosen, or choose a range up to it. */
export type PickHow = 'only' | 'toggle' | 'range';

export interface GalleryItemProps {
  photo: Photo;
  cull: Cull;
  /** The status words shown (with the queue position). */
  status: string;
  /** The photo the studio shows (the loupe's): it holds the list's one tab stop. */
  current: boolean;
  /** 1-based place among the items shown, and how many are shown (most are not in the document). */
  position: number;
  setSize: number;
  /** The first item of each row is measured for the virtualised list, under its row index. */
  measure?: { row: number; ref: (el: HTMLElement | null) => void };
  /** The photo's place in a stack of near-duplicates, when it is in one. */
  stack?: TileStack;
  onPick(id: string, how: PickHow): void;
  onToggleStack(id: string): void;
  onOpen(): void;
}

// Memoised: a streamed critique changes its photo many times a second; the item does not show it.
export const GalleryItem = memo(function GalleryItem({
  photo,
  cull,
  status,
  current,
  position,
  setSize,
  measure,
  stack,
  onPick,
  onToggleStack,
  onOpen,
}: GalleryItemProps) {
  const busy = photo.status === 'analysing' || photo.status === 'critiquing';
  const chosen = useCompare((s) => s.chosen.includes(photo.id));
  // The listbox is multi-select: the chosen photos are its selected options, else the current one.
  const anyChosen = useCompare((s) => s.chosen.length > 0);
  const culled = describeCull(cull);
  const stacked = stack ? stackWords(stack) : '';
  return (
    <li
      role="option"
      aria-selected={anyChosen ? chosen : current}
      aria-posinset={position}
      aria-setsize={setSize}
      ref={measure?.ref}
      data-index={measure?.row}
      tabIndex={current ? 0 : -1}
      data-current={current || undefined}
      className={`gallery__item gallery__item--${photo.status}${cull.flag === 'reject' ? ' gallery__item--rejected' : ''}${stack?.expanded ? ' gallery__item--in-stack' : ''}`}
      data-testid="gallery-item"
      data-status={photo.status}
      data-photo-id={photo.id}
      // The visible words in their order, so speech input can name the item by what it shows.
      aria-label={`${photo.fileName}, ${status}${photo.score !== undefined ? `, ${formatScore(photo.score)} (score)` : ''}${stacked ? `, ${stacked}` : ''}${culled ? `, ${culled}` : ''}`}
      data-stack={stack ? (stack.lead ? 'lead' : 'member') : undefined}
      data-best={stack?.best || undefined}
      onClick={(e) => onPick(photo.id, e.shiftKey ? 'range' : e.ctrlKey || e.metaKey ? 'toggle' : 'only')}
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
        {photo.thumbnail ? (
          <img src={thumbnailUrl(photo.thumbnail)} alt="" draggable={false} />
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
    a.current === b.current &&
    a.position === b.position &&
    a.setSize === b.setSize &&
    a.measure?.row === b.measure?.row &&
    a.measure?.ref === b.measure?.ref &&
    a.cull === b.cull &&
    a.status === b.status &&
    a.onPick === b.onPick &&
    a.onOpen === b.onOpen &&
    sameExceptCritiqueStream(a.photo, b.photo)
  );
}
