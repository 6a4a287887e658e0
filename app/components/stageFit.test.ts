// Stage fitting against hand-computed boxes, including the 40000×20 and 1×30000 strips.
import { describe, expect, it } from 'vitest';
import { centredOnPixels, fitStage, MIN_STAGE_SIDE, stripNote } from './stageFit.ts';

describe('fitStage', () => {
  it('fits an ordinary photo by its limiting side, keeping the aspect ratio', () => {
    expect(fitStage(800, 600, 3 / 2)).toEqual({ width: 800, height: 533 });
    expect(fitStage(800, 600, 2 / 3)).toEqual({ width: 400, height: 600 });
  });
  it('keeps a 40000×20 strip and a 1×30000 strip visible', () => {
    expect(fitStage(800, 600, 40000 / 20)).toEqual({ width: 800, height: MIN_STAGE_SIDE });
    expect(fitStage(800, 600, 1 / 30000)).toEqual({ width: MIN_STAGE_SIDE, height: 600 });
  });
  it('never exceeds a frame smaller than the minimum', () => {
    expect(fitStage(10, 10, 2000)).toEqual({ width: 10, height: 10 });
  });
});

describe('stripNote', () => {
  it('says nothing for ordinary photos and panoramas under 8:1', () => {
    expect(stripNote(6000, 4000, 224)).toBeUndefined();
    expect(stripNote(7000, 1000, 224)).toBeUndefined();
  });
  it('says the map is coarse for a 2000:1 strip, with the spacing of its readings', () => {
    expect(stripNote(40000, 20, 224)).toMatch(/2000:1.*coarse.*one reading every 179 px.*24 px tall/);
    expect(stripNote(1, 30000, 224)).toMatch(/30000:1.*one reading every 134 px.*24 px wide/);
  });
});

describe('centredOnPixels', () => {
  it('centres the box and puts its edge on a whole screen pixel', () => {
    // A 741-px stage in an 800-px frame at x = 252: centred at 281.5, moved to 282 (30 px into the frame).
    expect(centredOnPixels(252, 800, 741, 1)).toBe(30);
    // A frame starting between pixels: 185.375 + 3 = 188.375, moved to 188.
    expect(centredOnPixels(185.375, 500, 494, 1)).toBeCloseTo(2.625, 12);
    // At 2 device pixels per CSS pixel the edge may sit on a half CSS pixel: 281.5 stays.
    expect(centredOnPixels(252, 800, 741, 2)).toBeCloseTo(29.5, 12);
  });
});
