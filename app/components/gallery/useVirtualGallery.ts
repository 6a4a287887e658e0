// The gallery's rows, virtualised: only the rows near the scrolled-to place are in the document (a
// spacer stands for the rest: padding would not let the list shrink to its place), so
// a shoot of thousands of photos costs the same to lay out and paint as a few dozen. The grid's
// shape (columns, or the phone's sideways strip) is read from the list's own CSS.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useState, type CSSProperties } from 'react';
import type { GridShape } from './gridKeys.ts';

/** Items kept rendered beyond the visible ones on each side, so fast scrolling never shows holes. */
const OVERSCAN_ITEMS = 40;
/** The list's gap and paddings along the scroll axis (gallery.css, responsive.css). */
const GAP = 8;
const PADDING = { grid: [2, 12], strip: [10, 10] } as const;

export interface VirtualGallery {
  shape: GridShape;
  /** First and last index of the items rendered (end exclusive). */
  start: number;
  end: number;
  /** Styles of the spacers standing in for the rows not rendered before and after; none when nothing is left out. */
  before: CSSProperties | undefined;
  after: CSSProperties | undefined;
  /** Row index of item `i`, for `data-index` on the first item of each row (it is measured). */
  rowOf(i: number): number;
  measureRow(el: HTMLElement | null): void;
  scrollToItem(i: number): void;
}

export function useVirtualGallery(list: HTMLElement | null, count: number): VirtualGallery {
  const [layout, setLayout] = useState({ columns: 2, horizontal: false });
  useLayoutEffect(() => {
    if (!list) return;
    const read = (): void => {
      const style = getComputedStyle(list);
      const horizontal = style.display === 'flex';
      const columns = horizontal ? 1 : Math.max(1, style.gridTemplateColumns.split(' ').filter(Boolean).length);
      setLayout((s) => (s.columns === columns && s.horizontal === horizontal ? s : { columns, horizontal }));
    };
    read();
    const observer = new ResizeObserver(read);
    observer.observe(list);
    return () => observer.disconnect();
  }, [list]);

  const { columns, horizontal } = layout;
  const [paddingStart, paddingEnd] = horizontal ? PADDING.strip : PADDING.grid;
  const virtualizer = useVirtualizer({
    count: Math.ceil(count / columns),
    getScrollElement: () => list,
    estimateSize: () => (horizontal ? 96 : 150),
    horizontal,
    gap: GAP,
    paddingStart,
    paddingEnd,
    overscan: Math.ceil(OVERSCAN_ITEMS / columns),
  });
  // Row sizes measured in one layout do not hold in the other.
  useEffect(() => virtualizer.measure(), [virtualizer, columns, horizontal]);

  const rows = virtualizer.getVirtualItems();
  const first = rows[0];
  const last = rows[rows.length - 1];
  // Each spacer takes a row's place in the list, so one gap of the rows it stands for is its own.
  const before = first ? Math.max(0, first.start - paddingStart - GAP) : 0;
  const after = last ? Math.max(0, virtualizer.getTotalSize() - last.end - paddingEnd - GAP) : 0;
  const spacer = (size: number): CSSProperties | undefined =>
    size <= 0 ? undefined : horizontal ? { flex: `0 0 ${size}px` } : { gridColumn: '1 / -1', height: size };
  return {
    shape: { count, columns, horizontal },
    start: first ? first.index * columns : 0,
    end: last ? Math.min(count, (last.index + 1) * columns) : 0,
    before: spacer(before),
    after: spacer(after),
    rowOf: (i) => Math.floor(i / columns),
    measureRow: virtualizer.measureElement,
    scrollToItem: (i) => virtualizer.scrollToIndex(Math.floor(i / columns), { align: 'auto' }),
  };
}
