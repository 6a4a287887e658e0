// The gallery's order and filter: by score, rating, clipped highlights or date; by flag, stars and label.
import type { ColourLabel, Cull, Rating } from './types.ts';

export type SortKey = 'added' | 'score' | 'rating' | 'clipped' | 'date';
export type FlagFilter = 'all' | 'picks' | 'not-rejected' | 'rejects' | 'unflagged';

export interface GalleryView {
  sort: SortKey;
  flag: FlagFilter;
  /** Only photos with at least this many stars (0: any). */
  minRating: Rating;
  label: ColourLabel | 'any';
}

export const DEFAULT_VIEW: GalleryView = { sort: 'added', flag: 'all', minRating: 0, label: 'any' };

/** What arranging needs of a photo. */
export interface Arrangeable {
  id: string;
  score?: number;
  /** Fraction of the photo with clipped highlights, once measured. */
  clippedHighlights?: number;
  /** When it was taken (EXIF), else the file's date; ms since 1970. */
  takenAt?: number;
}

const NO_CULL: Cull = { rating: 0, flag: 'none', label: 'none' };

function passes(cull: Cull, view: GalleryView): boolean {
  if (cull.rating < view.minRating) return false;
  if (view.label !== 'any' && cull.label !== view.label) return false;
  switch (view.flag) {
    case 'picks':
      return cull.flag === 'pick';
    case 'rejects':
      return cull.flag === 'reject';
    case 'not-rejected':
      return cull.flag !== 'reject';
    case 'unflagged':
      return cull.flag === 'none';
    default:
      return true;
  }
}

/** Descending by a value that may be missing: photos without it go last. */
const byDesc = (value: (p: Arrangeable) => number | undefined) => (a: Arrangeable, b: Arrangeable) =>
  (value(b) ?? -Infinity) - (value(a) ?? -Infinity);

/**
 * The photos to show, in order: best score, most stars, most clipped highlights first, or the
 * shoot in time order; ties keep the order they were added in.
 */
export function arrangePhotos<T extends Arrangeable>(
  photos: readonly T[],
  culls: Readonly<Record<string, Cull>>,
  view: GalleryView,
): T[] {
  const cullOf = (p: Arrangeable): Cull => culls[p.id] ?? NO_CULL;
  const shown = photos.filter((p) => passes(cullOf(p), view));
  switch (view.sort) {
    case 'score':
      return shown.sort(byDesc((p) => p.score));
    case 'rating':
      return shown.sort(byDesc((p) => cullOf(p).rating));
    case 'clipped':
      return shown.sort(byDesc((p) => p.clippedHighlights));
    case 'date':
      return shown.sort((a, b) => (a.takenAt ?? Infinity) - (b.takenAt ?? Infinity));
    default:
      return shown;
  }
}
