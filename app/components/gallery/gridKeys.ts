// Where a key moves the selection in the gallery's grid, from its shape alone (the items far from
// view are not in the document, so their positions cannot be read from it).

export interface GridShape {
  /** Items shown. */
  count: number;
  /** Items per row (1 for the phone's strip). */
  columns: number;
  /** The strip scrolls sideways: up and down have nowhere to go. */
  horizontal: boolean;
}

/** The index a navigation key selects, or undefined for other keys. */
export function gridStep(key: string, index: number, { count, columns, horizontal }: GridShape): number | undefined {
  const last = count - 1;
  switch (key) {
    case 'ArrowRight':
      return Math.min(last, index + 1);
    case 'ArrowLeft':
      return Math.max(0, index - 1);
    case 'ArrowDown':
      if (horizontal) return index;
      // The row below may be short: its last item is the nearest.
      if (index + columns <= last) return index + columns;
      return Math.floor(index / columns) < Math.floor(last / columns) ? last : index;
    case 'ArrowUp':
      if (horizontal) return index;
      return index - columns >= 0 ? index - columns : index;
    case 'Home':
      return 0;
    case 'End':
      return last;
    default:
      return undefined;
  }
}
