// Letterboxing the critic's views: the padded box, the pixels in it, and the photo region it shows.
import { describe, expect, it } from 'vitest';
import { letterboxedRegion, letterboxFor, letterboxRgba, MAX_VIEW_ASPECT } from './image.ts';

/** An image whose every pixel says where it is: R = x, G = y, B = 7, A = 200. */
function coordinates(width: number, height: number) {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set([x, y, 7, 200], (y * width + x) * 4);
  return { data, width, height };
}

describe('letterbox', () => {
  it('pads strips on their short side to the aspect limit and leaves ordinary photos alone', () => {
    expect(letterboxFor(2048, 1)).toEqual({ width: 2048, height: 256, x: 0, y: 127 });
    expect(letterboxFor(1, 2048)).toEqual({ width: 256, height: 2048, x: 127, y: 0 });
    expect(letterboxFor(40000, 20)).toEqual({ width: 40000, height: 5000, x: 0, y: 2490 });
    expect(letterboxFor(3, 1000)).toEqual({ width: 125, height: 1000, x: 61, y: 0 });
    for (const [w, h] of [
      [6000, 4000],
      [512, 512],
      [800, 100],
      [100, 800],
    ])
      expect(letterboxFor(w!, h!)).toEqual({ width: w, height: h, x: 0, y: 0 });
    // What the critic's processor does: the long side scaled to 512, the short side rounded, never 0.
    for (const [w, h] of [
      [2048, 1],
      [1, 30000],
      [40000, 20],
      [9, 5000],
    ]) {
      const box = letterboxFor(w!, h!);
      expect(Math.max(box.width, box.height) / Math.min(box.width, box.height)).toBeLessThanOrEqual(MAX_VIEW_ASPECT);
      expect(Math.round((Math.min(box.width, box.height) * 512) / Math.max(box.width, box.height))).toBeGreaterThan(0);
    }
  });

  it('copies every pixel to its offset and fills the rest with opaque black', () => {
    const image = coordinates(20, 1);
    const padded = letterboxRgba(image);
    expect([padded.width, padded.height]).toEqual([20, 3]);
    for (let y = 0; y < 3; y++)
      for (let x = 0; x < 20; x++) {
        const px = [...padded.data.subarray((y * 20 + x) * 4, (y * 20 + x) * 4 + 4)];
        expect(px, `${x},${y}`).toEqual(y === 1 ? [x, 0, 7, 200] : [0, 0, 0, 255]);
      }
    const tall = letterboxRgba(coordinates(2, 33));
    expect([tall.width, tall.height]).toEqual([5, 33]);
    expect([...tall.data.subarray((10 * 5 + 1) * 4, (10 * 5 + 1) * 4 + 4)]).toEqual([0, 10, 7, 200]);
    expect([...tall.data.subarray((10 * 5 + 2) * 4, (10 * 5 + 2) * 4 + 4)]).toEqual([1, 10, 7, 200]);
    const photo = coordinates(30, 20);
    expect(letterboxRgba(photo)).toBe(photo);
  });

  it('says which photo region a padded view shows', () => {
    // The whole 2048×1 photo in a 2048×256 box, 127 rows above it: the frame spans 256 photo heights.
    expect(
      letterboxedRegion({ x: 0, y: 0, width: 1, height: 1 }, { width: 2048, height: 1 }, letterboxFor(2048, 1)),
    ).toEqual({
      x: 0,
      y: -127,
      width: 1,
      height: 256,
    });
    // A crop (a quarter of the photo across, all of it down) padded left and right.
    const crop = { x: 0.5, y: 0, width: 0.25, height: 1 };
    expect(letterboxedRegion(crop, { width: 4, height: 100 }, { width: 13, height: 100, x: 4, y: 0 })).toEqual({
      x: 0.5 - 4 * (0.25 / 4),
      y: 0,
      width: 13 * (0.25 / 4),
      height: 1,
    });
    const none = letterboxFor(400, 300);
    expect(letterboxedRegion(crop, { width: 400, height: 300 }, none)).toEqual({ ...crop });
  });
});
