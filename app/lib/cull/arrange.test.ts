import { describe, expect, it } from 'vitest';
import { arrangePhotos, DEFAULT_VIEW, type Arrangeable } from './arrange.ts';
import type { Cull } from './types.ts';

const photos: Arrangeable[] = [
  { id: 'a', score: 5.1, clippedHighlights: 0.02, takenAt: 3000 },
  { id: 'b', score: 6.4, clippedHighlights: 0.3, takenAt: 1000 },
  { id: 'c' },
  { id: 'd', score: 4.2, clippedHighlights: 0, takenAt: 2000 },
];
const culls: Record<string, Cull> = {
  a: { rating: 3, flag: 'pick', label: 'red' },
  b: { rating: 1, flag: 'reject', label: 'none' },
  d: { rating: 5, flag: 'none', label: 'red' },
};
const ids = (view: Partial<typeof DEFAULT_VIEW>) =>
  arrangePhotos(photos, culls, { ...DEFAULT_VIEW, ...view }).map((p) => p.id);

describe('arrangePhotos', () => {
  it('keeps the added order by default and does not reorder its input', () => {
    expect(ids({})).toEqual(['a', 'b', 'c', 'd']);
    arrangePhotos(photos, culls, { ...DEFAULT_VIEW, sort: 'score' });
    expect(photos.map((p) => p.id)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('sorts by score, stars and clipped highlights (most first, missing last) and by date (oldest first)', () => {
    expect(ids({ sort: 'score' })).toEqual(['b', 'a', 'd', 'c']);
    expect(ids({ sort: 'rating' })).toEqual(['d', 'a', 'b', 'c']);
    expect(ids({ sort: 'clipped' })).toEqual(['b', 'a', 'd', 'c']);
    expect(ids({ sort: 'date' })).toEqual(['b', 'd', 'a', 'c']);
  });

  it('filters by flag, stars and label', () => {
    expect(ids({ flag: 'picks' })).toEqual(['a']);
    expect(ids({ flag: 'rejects' })).toEqual(['b']);
    expect(ids({ flag: 'not-rejected' })).toEqual(['a', 'c', 'd']);
    expect(ids({ flag: 'unflagged' })).toEqual(['c', 'd']);
    expect(ids({ minRating: 3 })).toEqual(['a', 'd']);
    expect(ids({ label: 'red', sort: 'score' })).toEqual(['a', 'd']);
    expect(ids({ label: 'blue' })).toEqual([]);
  });
});
