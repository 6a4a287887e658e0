// Which photos compare and survey show.

/** Compare shows two photos; survey up to this many. */
export const SURVEY_MAX = 6;

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
