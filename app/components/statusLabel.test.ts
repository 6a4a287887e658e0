import { describe, expect, it } from 'vitest';
import type { Photo, PhotoStatus } from '../state/photos.ts';
import { galleryStatusLabel } from './statusLabel.ts';

const photo = (status: PhotoStatus): Photo => ({ status }) as Photo;

describe('galleryStatusLabel', () => {
  it('counts the photo being analysed and those queued before it, not the finished ones', () => {
    const photos = [photo('done'), photo('analysing'), photo('failed'), photo('queued'), photo('queued')];
    expect(galleryStatusLabel(photos, photos[3]!)).toBe('queued, 1 ahead');
    expect(galleryStatusLabel(photos, photos[4]!)).toBe('queued, 2 ahead');
    expect(galleryStatusLabel(photos, photos[1]!)).toBe('analysing');
    const waiting = [photo('done'), photo('queued')];
    expect(galleryStatusLabel(waiting, waiting[1]!)).toBe('queued, next');
  });
});
