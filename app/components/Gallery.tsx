import {
  useCallback,
  useEffect,
  useLayoutEffect,
  useMemo,
  useRef,
  useState,
  type FocusEvent,
  type KeyboardEvent,
} from 'react';
import { cullOf, useCulling } from '../state/culling.ts';
import { arrangeGallery, useGalleryView } from '../state/galleryView.ts';
import { stackTiles } from '../lib/cull/stackTiles.ts';
import { rangeBetween } from '../lib/loupe/compareSet.ts';
import { useCompare } from '../state/compare.ts';
import { usePhotos } from '../state/photos.ts';
import { useStacks } from '../state/stacks.ts';
import { GalleryFilters } from './cull/GalleryFilters.tsx';
import { gridStep } from './gallery/gridKeys.ts';
import { GalleryItem, type PickHow } from './gallery/GalleryItem.tsx';
import { useVirtualGallery } from './gallery/useVirtualGallery.ts';
import { galleryStatusLabel } from './statusLabel.ts';

export interface GalleryProps {
  /** Enter on a photo: move focus to the photo view. */
  onOpen(): void;
}

/**
 * Thumbnails with status and score, virtualised (only the rows near view are rendered). A listbox
 * with one tab stop: arrows move the selection (up/down by the grid's rows), Home/End jump, Enter
 * opens, Delete removes (with undo). Photos are chosen for compare and survey as in Lightroom:
 * Ctrl/Cmd-click toggles one, Shift-click and Shift+arrows extend a range from the anchor (over
 * the tiles shown: a folded stack counts as its one tile), a plain click or arrow chooses none.
 */
export function Gallery({ onOpen }: GalleryProps) {
  const all = usePhotos((s) => s.photos);
  const selectedId = usePhotos((s) => s.selectedId);
  const selectedByUser = usePhotos((s) => s.selectedByUser);
  const select = usePhotos((s) => s.select);
  const remove = usePhotos((s) => s.remove);
  const culls = useCulling((s) => s.byId);
  const sort = useGalleryView((s) => s.sort);
  const flag = useGalleryView((s) => s.flag);
  const minRating = useGalleryView((s) => s.minRating);
  const label = useGalleryView((s) => s.label);
  const bestOnly = useGalleryView((s) => s.bestOnly);
  const stacks = useStacks((s) => s.byPhoto);
  const expanded = useStacks((s) => s.expanded);
  const toggleStack = useStacks((s) => s.toggle);
  const expandStack = useStacks((s) => s.expand);
  const collapsedByUser = useStacks((s) => s.collapsedByUser);
  const choosing = useCompare((s) => s.choosing);
  const arranged = useMemo(
    () => arrangeGallery(all, culls, { sort, flag, minRating, label }),
    [all, culls, sort, flag, minRating, label],
  );
  // The tiles shown, in the chosen order, stacks folded: keyboard moves follow them.
  const tiles = useMemo(
    () =>
      stackTiles(
        arranged,
        (id) => stacks[id],
        (id) => expanded[id] === true,
        bestOnly,
      ),
    [arranged, stacks, expanded, bestOnly],
  );
  const photos = useMemo(() => tiles.map((t) => t.photo), [tiles]);
  const [list, setList] = useState<HTMLUListElement | null>(null);
  const virtual = useVirtualGallery(list, photos.length);
  const focusAfterChange = useRef(false);
  // Whether keyboard focus is in the list; a tile that disappears under it (a stack folding) takes
  // focus with it, without a blur, so this stays set and focus moves on to the photo selected instead.
  const listFocused = useRef(false);
  const selectedIndex = Math.max(
    0,
    photos.findIndex((p) => p.id === selectedId),
  );
  const selectedRendered = selectedIndex >= virtual.start && selectedIndex < virtual.end;
  // What a pick reads, kept out of the pick handler so the memoised items keep one handler.
  const shownIds = useRef<{ ids: string[]; current: string | null }>({ ids: [], current: null });
  useLayoutEffect(() => {
    shownIds.current = { ids: photos.map((p) => p.id), current: photos[selectedIndex]?.id ?? null };
  }, [photos, selectedIndex]);

  const pick = useCallback(
    (id: string, how: PickHow): void => {
      const compare = useCompare.getState();
      if (how === 'range') {
        const { ids, current } = shownIds.current;
        const anchor = compare.anchor !== null && ids.includes(compare.anchor) ? compare.anchor : current;
        compare.chooseRange(rangeBetween(ids, anchor, id), anchor);
        select(id);
      } else if (how === 'toggle' || compare.choosing) {
        compare.toggleChosen(id);
        // A photo chosen becomes the current one, as in Lightroom; one unchosen leaves it be.
        if (useCompare.getState().chosen.includes(id)) select(id);
      } else {
        compare.chooseNone(id);
        select(id);
      }
    },
    [select],
  );

  // A stack that forms around the photo the user opened opens, so the photo being rated stays put;
  // a stack the user collapses (or one over the photo shown by default) selects its tile; a filter
  // that hides the selected photo, the first one shown.
  useEffect(() => {
    if (photos.length === 0 || photos.some((p) => p.id === selectedId)) return;
    const stack = selectedId ? stacks[selectedId] : undefined;
    const foldedAway = selectedByUser && !bestOnly && arranged.some((p) => p.id === selectedId);
    if (listFocused.current) focusAfterChange.current = true;
    if (stack && foldedAway && !expanded[stack.id] && collapsedByUser !== stack.id) {
      expandStack(stack.id);
      return;
    }
    const lead = stack && photos.find((p) => stack.members.includes(p.id));
    select((lead ?? photos[0]!).id);
  }, [photos, selectedId, selectedByUser, select, stacks, arranged, bestOnly, expanded, collapsedByUser, expandStack]);

  // Focus follows a keyboard move once the selected item is rendered (a far jump renders it a frame later).
  useEffect(() => {
    if (!focusAfterChange.current) return;
    const el = list?.querySelector<HTMLElement>('[data-current]');
    if (!el) return;
    focusAfterChange.current = false;
    el.focus();
    el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }, [list, selectedId, photos.length, virtual.start, virtual.end]);

  if (all.length === 0) return null;

  const onKeyDown = (e: KeyboardEvent<HTMLUListElement>): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      onOpen();
      return;
    }
    if (e.key === 'Delete' || e.key === 'Backspace') {
      e.preventDefault();
      const current = photos[selectedIndex];
      if (current) {
        focusAfterChange.current = true;
        remove(current.id);
      }
      return;
    }
    const next = gridStep(e.key, selectedIndex, virtual.shape);
    if (next === undefined) return;
    e.preventDefault();
    const target = photos[next];
    if (!target) return;
    if (e.shiftKey) pick(target.id, 'range');
    else if (!useCompare.getState().choosing) useCompare.getState().chooseNone(target.id);
    if (target.id !== selectedId) {
      focusAfterChange.current = true;
      virtual.scrollToItem(next);
      select(target.id);
    }
  };

  // The list is the tab stop only while the selected item is scrolled out of the document: it hands focus on.
  const onFocus = (e: FocusEvent<HTMLUListElement>): void => {
    listFocused.current = true;
    if (e.target !== e.currentTarget || selectedRendered) return;
    focusAfterChange.current = true;
    virtual.scrollToItem(selectedIndex);
  };

  const shown = photos.slice(virtual.start, virtual.end);
  return (
    <>
      <GalleryFilters shown={bestOnly ? photos.length : arranged.length} total={all.length} />
      <ul
        ref={setList}
        className={`gallery${choosing ? ' gallery--choosing' : ''}`}
        role="listbox"
        aria-label="Photos"
        aria-orientation="horizontal"
        aria-multiselectable="true"
        tabIndex={selectedRendered ? -1 : 0}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onBlur={(e) => {
          if (!e.currentTarget.contains(e.relatedTarget)) listFocused.current = false;
        }}
      >
        {virtual.before && <li role="none" aria-hidden="true" style={virtual.before} />}
        {shown.map((photo, k) => {
          const i = virtual.start + k;
          const stack = tiles[i]!.stack;
          const row = virtual.rowOf(i);
          return (
            <GalleryItem
              key={photo.id}
              photo={photo}
              cull={cullOf(culls, photo.id)}
              current={photo.id === selectedId || (selectedId === null && i === 0)}
              position={i + 1}
              setSize={photos.length}
              {...(i % virtual.shape.columns === 0 ? { measure: { row, ref: virtual.measureRow } } : {})}
              {...(stack ? { stack } : {})}
              status={galleryStatusLabel(all, photo)}
              onPick={pick}
              onToggleStack={toggleStack}
              onOpen={onOpen}
            />
          );
        })}
        {virtual.after && <li role="none" aria-hidden="true" style={virtual.after} />}
      </ul>
    </>
  );
}
