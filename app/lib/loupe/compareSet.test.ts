import { describe, expect, it } from 'vitest';
import { photosAfter, photosToCompare, rangeBetween } from './compareSet.ts';

describe('photosAfter', () => {
  const ids = ['a', 'b', 'c', 'd'];
  it('takes the selected photo and the next', () => {
    expect(photosAfter(ids, 'b', 2)).toEqual(['b', 'c']);
  });
  it('goes on from the start after the last photo', () => {
    expect(photosAfter(ids, 'd', 2)).toEqual(['d', 'a']);
    expect(photosAfter(ids, 'c', 3)).toEqual(['c', 'd', 'a']);
  });
  it('never repeats a photo when asked for more than there are', () => {
    expect(photosAfter(ids, 'c', 6)).toEqual(['c', 'd', 'a', 'b']);
  });
  it('starts at the first photo when none (or one not shown) is selected', () => {
    expect(photosAfter(ids, null, 2)).toEqual(['a', 'b']);
    expect(photosAfter(ids, 'gone', 2)).toEqual(['a', 'b']);
    expect(photosAfter([], 'a', 2)).toEqual([]);
  });
});

describe('photosToCompare', () => {
  const ids = ['a', 'b', 'c', 'd'];
  it('shows the chosen photos in the order chosen', () => {
    expect(photosToCompare(ids, ['d', 'b'], 'a', 2)).toEqual(['d', 'b']);
    expect(photosToCompare(ids, ['d', 'b', 'a'], 'a', 2)).toEqual(['d', 'b']);
  });
  it('leaves out chosen photos the gallery does not show, and falls back under two', () => {
    expect(photosToCompare(ids, ['d', 'gone'], 'a', 2)).toEqual(['a', 'b']);
    expect(photosToCompare(ids, ['c'], 'a', 2)).toEqual(['a', 'b']);
  });
});

describe('rangeBetween', () => {
  const ids = ['a', 'b', 'c', 'd', 'e'];
  it('takes every photo from the anchor to the target, in the gallery order, either way', () => {
    expect(rangeBetween(ids, 'b', 'd')).toEqual(['b', 'c', 'd']);
    expect(rangeBetween(ids, 'd', 'a')).toEqual(['a', 'b', 'c', 'd']);
    expect(rangeBetween(ids, 'c', 'c')).toEqual(['c']);
  });
  it('takes the target alone when the anchor is not shown (folded into a stack, filtered out, none)', () => {
    expect(rangeBetween(ids, 'hidden', 'c')).toEqual(['c']);
    expect(rangeBetween(ids, null, 'e')).toEqual(['e']);
  });
  it('takes nothing when the target is not shown', () => {
    expect(rangeBetween(ids, 'a', 'gone')).toEqual([]);
  });
});
