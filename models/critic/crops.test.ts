import { describe, expect, it } from 'vitest';
import { groundingLine, regionName, salientCrops, type SaliencyMap } from './crops.ts';

/** A map of Gaussian blobs {cx, cy (0..1), sigma (px), amplitude}. */
function blobs(
  width: number,
  height: number,
  spots: { cx: number; cy: number; sigma: number; a: number }[],
): SaliencyMap {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (const s of spots) {
        const dx = x - s.cx * width;
        const dy = y - s.cy * height;
        data[y * width + x]! += s.a * Math.exp(-(dx * dx + dy * dy) / (2 * s.sigma * s.sigma));
      }
  return { data, width, height };
}

const inside = (box: { x: number; y: number; width: number; height: number }, px: number, py: number) =>
  px >= box.x && px <= box.x + box.width && py >= box.y && py <= box.y + box.height;

describe('regionName', () => {
  it('names the nine thirds of the frame', () => {
    expect(regionName(0.5, 0.5)).toBe('centre');
    expect(regionName(0.1, 0.1)).toBe('upper-left third');
    expect(regionName(0.5, 0.1)).toBe('upper third');
    expect(regionName(0.9, 0.5)).toBe('right third');
    expect(regionName(0.9, 0.95)).toBe('lower-right third');
    expect(regionName(0.2, 0.8)).toBe('lower-left third');
  });
});

describe('salientCrops', () => {
  it('puts one crop around a single blob, square in image pixels, inside the image', () => {
    const map = blobs(64, 48, [{ cx: 0.2, cy: 0.25, sigma: 4, a: 1 }]);
    const crops = salientCrops(map, { imageWidth: 1600, imageHeight: 1200 });
    expect(crops).toHaveLength(1);
    const [c] = crops;
    expect(inside(c!, 0.2, 0.25)).toBe(true);
    expect(c!.width * 1600).toBeCloseTo(c!.height * 1200, 6);
    expect(c!.x).toBeGreaterThanOrEqual(0);
    expect(c!.y + c!.height).toBeLessThanOrEqual(1 + 1e-9);
    expect(c!.region).toBe('upper-left third');
  });

  it('finds two separated regions, strongest first, and ignores a weak third', () => {
    const map = blobs(96, 64, [
      { cx: 0.8, cy: 0.7, sigma: 4, a: 0.8 },
      { cx: 0.15, cy: 0.2, sigma: 4, a: 1 },
      { cx: 0.5, cy: 0.5, sigma: 3, a: 0.2 },
    ]);
    const crops = salientCrops(map, { imageWidth: 960, imageHeight: 640, maxCrops: 3 });
    expect(crops).toHaveLength(2);
    expect(inside(crops[0]!, 0.15, 0.2)).toBe(true);
    expect(inside(crops[1]!, 0.8, 0.7)).toBe(true);
    expect(crops.map((c) => c.region)).toEqual(['upper-left third', 'lower-right third']);
  });

  it('keeps crops between the side limits and shifts edge regions inside the frame', () => {
    const tiny = salientCrops(blobs(40, 40, [{ cx: 0.98, cy: 0.98, sigma: 1, a: 1 }]), {
      imageWidth: 1000,
      imageHeight: 1000,
    });
    expect(tiny[0]!.width).toBeCloseTo(0.3, 6);
    expect(tiny[0]!.x + tiny[0]!.width).toBeCloseTo(1, 6);
    const huge = salientCrops(blobs(40, 40, [{ cx: 0.5, cy: 0.5, sigma: 30, a: 1 }]), {
      imageWidth: 1000,
      imageHeight: 500,
    });
    expect(huge[0]!.height).toBeCloseTo(0.7, 6);
  });

  it('gives no crop for a flat map and respects maxCrops', () => {
    expect(
      salientCrops(
        { data: new Float32Array(100).fill(0.5), width: 10, height: 10 },
        { imageWidth: 10, imageHeight: 10 },
      ),
    ).toEqual([]);
    const map = blobs(64, 64, [
      { cx: 0.2, cy: 0.2, sigma: 3, a: 1 },
      { cx: 0.8, cy: 0.8, sigma: 3, a: 1 },
    ]);
    expect(salientCrops(map, { imageWidth: 64, imageHeight: 64, maxCrops: 1 })).toHaveLength(1);
  });
});

describe('groundingLine', () => {
  it('names the regions in one sentence', () => {
    const box = { x: 0, y: 0, width: 0.3, height: 0.3, peak: 1 };
    expect(groundingLine([])).toBe('');
    expect(groundingLine([{ ...box, region: 'centre' }])).toBe(
      'The most aesthetically salient region is in the centre. The second image is a close-up of it.',
    );
    expect(
      groundingLine([
        { ...box, region: 'upper-left third' },
        { ...box, region: 'centre' },
      ]),
    ).toBe(
      'The most aesthetically salient regions are in the upper-left third and the centre. The next images are close-ups of them.',
    );
  });
});
