import { describe, expect, it } from 'vitest';
import { exposureOf } from './exposure.ts';
import { scanPixels } from './scan.ts';
import { paint, randomImage } from './testing/synthetic.ts';
import { referenceExposure } from './testing/reference.ts';

describe('exposure', () => {
  it('clipping fractions are exact on an image with known counts', () => {
    // 100×100: the first 1234 pixels have one channel at 250, the last 567 are all at or below 5.
    const image = paint(100, 100, (x, y) => {
      const p = y * 100 + x;
      if (p < 1234) return p % 3 === 0 ? [250, 10, 10] : p % 3 === 1 ? [0, 255, 0] : [120, 120, 251];
      if (p >= 10_000 - 567) return [5, p % 6, 0];
      return [249, 6, 128];
    });
    const e = exposureOf(scanPixels(image));
    expect(e.clippedHighlights).toBe(0.1234);
    expect(e.clippedShadows).toBe(0.0567);
  });

  it('mean luma, contrast and histograms match the float64 formulas', () => {
    const image = randomImage(301, 203, 7);
    const got = exposureOf(scanPixels(image));
    const want = referenceExposure(image);
    expect(got.meanLuma).toBeCloseTo(want.meanLuma, 12);
    expect(got.contrast).toBeCloseTo(want.contrast, 10);
    expect(got.clippedHighlights).toBe(want.clippedHighlights);
    expect(got.clippedShadows).toBe(want.clippedShadows);
    for (const k of ['luma', 'red', 'green', 'blue'] as const)
      got.histogram[k].forEach((v, i) => expect(v).toBeCloseTo(want.histogram[k][i]!, 12));
  });

  it('a flat grey photo has mean luma 128/255, no contrast and one luma bin', () => {
    const e = exposureOf(scanPixels(paint(40, 30, () => [128, 128, 128])));
    expect(e.meanLuma).toBeCloseTo(128 / 255, 12);
    expect(e.contrast).toBeCloseTo(0, 6);
    expect(e.histogram.luma[128]).toBe(1);
  });
});
