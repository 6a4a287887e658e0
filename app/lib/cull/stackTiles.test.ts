import { describe, expect, it } from 'vitest';
import { stackTiles, type StackRef } from './stackTiles.ts';

// Photos a…f; b, d, e are one burst (d best), the others alone.
const burst: StackRef = { id: 'b', members: ['b', 'd', 'e'], best: 'd', reason: 'sharper subject' };
const stackOf = (id: string): StackRef | undefined => (burst.members.includes(id) ? burst : undefined);
const photos = (ids: string): { id: string }[] => [...ids].map((id) => ({ id }));
const ids = (tiles: { photo: { id: string } }[]): string => tiles.map((t) => t.photo.id).join('');

describe('stackTiles', () => {
  it('folds a collapsed stack into its best, where its first photo stands', () => {
    const tiles = stackTiles(photos('abcdef'), stackOf, () => false, false);
    expect(ids(tiles)).toBe('adcf');
    expect(tiles[1]!.stack).toEqual({ shown: 3, lead: true, expanded: false, best: true, reason: 'sharper subject' });
    expect(tiles[0]!.stack).toBeUndefined();
  });

  it('shows an expanded stack together, the best first', () => {
    const tiles = stackTiles(photos('abcdef'), stackOf, (id) => id === 'b', false);
    expect(ids(tiles)).toBe('adbecf');
    expect(tiles.map((t) => t.stack?.lead ?? null)).toEqual([null, true, false, false, null, null]);
  });

  it('stands for a stack with the first photo shown when the filter hides the best', () => {
    const tiles = stackTiles(photos('abcef'), stackOf, () => false, false);
    expect(ids(tiles)).toBe('abcf');
    expect(tiles[1]!.stack).toMatchObject({ shown: 2, lead: true, best: false });
  });

  it('best of each stack: the bests and the photos alone, whether expanded or not', () => {
    expect(ids(stackTiles(photos('abcdef'), stackOf, () => true, true))).toBe('adcf');
    expect(ids(stackTiles(photos('abcef'), stackOf, () => false, true))).toBe('acf');
  });
});
