import { describe, expect, it } from 'vitest';
import { choiceAnnouncement } from './choiceWords.ts';

describe('choiceAnnouncement', () => {
  it('counts the photos chosen in the single-photo view, with the keys that use them', () => {
    expect(choiceAnnouncement({ layout: 'loupe', chosen: 3, shown: [] })).toBe(
      '3 photos chosen — press C to compare, N to survey',
    );
    expect(choiceAnnouncement({ layout: 'loupe', chosen: 1, shown: [] })).toBe(
      '1 photo chosen — choose another to compare',
    );
    expect(choiceAnnouncement({ layout: 'loupe', chosen: 0, shown: [] })).toBe('');
  });
  it('names the two photos compared and counts those surveyed', () => {
    expect(choiceAnnouncement({ layout: 'compare', chosen: 0, shown: ['a.jpg', 'b.jpg'] })).toBe(
      'Comparing a.jpg and b.jpg, zoom and pan locked — Esc returns to the single photo',
    );
    expect(choiceAnnouncement({ layout: 'survey', chosen: 4, shown: ['a', 'b', 'c', 'd'] })).toBe(
      'Surveying 4 photos — Esc returns to the single photo',
    );
  });
  it('says what is chosen while compare has fewer than two photos to show (the studio then shows one)', () => {
    expect(choiceAnnouncement({ layout: 'compare', chosen: 2, shown: ['a'] })).toBe(
      '2 photos chosen — press C to compare, N to survey',
    );
  });
});
