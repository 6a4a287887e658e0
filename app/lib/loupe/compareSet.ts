// Which photos compare and survey show.

/** Compare shows two photos; survey up to this many. */
export const SURVEY_MAX = 6;

/**
 * The photos chosen with Ctrl/Cmd-click that the gallery shows, when two or more are (in the order
 * chosen, `count` at most); else the selected photo and the ones after it.
 */
export function photosToCompare(
  ordered: readonly string[],
  chosen: readonly string[],
  selectedId: string | null,
  count: number,
): string[] {
  const shown = chosen.filter((id) => ordered.includes(id));
  return shown.length >= 2 ? shown.slice(0, count) : photosAfter(ordered, selectedId, count);
}

/**
 * The selected photo and the ones after it in the gallery's order (from the start again after the
 * last), `count` at most; the first photo when none is selected.
 */
export function photosAfter(ordered: readonly string[], selectedId: string | null, count: number): string[] {
  if (ordered.length === 0) return [];
  const start = Math.max(0, selectedId === null ? 0 : ordered.indexOf(selectedId));
  const n = Math.min(count, ordered.length);
  return Array.from({ length: n }, (_, i) => ordered[(start + i) % ordered.length]!);
}

/**
 * The photos from `anchor` to `target` in the gallery's order, both included (a Shift-click or
 * Shift+arrow range); only `target` when the anchor is not shown.
 */
export function rangeBetween(shown: readonly string[], anchor: string | null, target: string): string[] {
  const to = shown.indexOf(target);
  if (to < 0) return [];
  const from = anchor === null ? -1 : shown.indexOf(anchor);
  if (from < 0) return [target];
  return shown.slice(Math.min(from, to), Math.max(from, to) + 1);
}
