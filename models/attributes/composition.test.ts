import { describe, expect, it } from 'vitest';
import { compositionOf, saliencyCentroid, symmetry, thirdsDistance } from './composition.ts';
import { horizonLine, horizonTilt } from './horizon.ts';
import { scanPixels } from './scan.ts';
import { horizon, paint, randomImage } from './testing/synthetic.ts';

describe('horizon tilt', () => {
  for (const degrees of [0, 2.5, -4, 7.3, -12, 17])
    it(`finds a horizon drawn at ${degrees}° to within 1°`, () => {
      const scan = scanPixels(horizon(900, 600, degrees, Math.round(degrees * 10) + 100));
      const line = horizonLine(scan.luma, scan.lumaWidth, scan.lumaHeight);
      expect(line).not.toBeNull();
      expect(Math.abs(line!.tilt - degrees)).toBeLessThanOrEqual(1);
      // Drawn through the centre.
      expect(Math.abs(line!.y - 0.5)).toBeLessThan(0.01);
    });

  it('is null for noise, for a vertical edge and for a line steeper than 20°', () => {
    const none = (image: ReturnType<typeof paint>): number | null => {
      const scan = scanPixels(image);
      return horizonTilt(scan.luma, scan.lumaWidth, scan.lumaHeight);
    };
    expect(none(randomImage(600, 400, 2))).toBeNull();
    expect(none(paint(600, 400, (x) => (x < 300 ? [20, 20, 20] : [220, 220, 220])))).toBeNull();
    expect(none(horizon(900, 600, 35))).toBeNull();
  });
});

describe('saliency composition', () => {
  it('the centroid of a blob is its centre; the thirds distance is in pixels over the diagonal', () => {
    // A 3×3 block of ones at columns 6–8, rows 2–4 of a 12×9 map: centre (7.5/12, 3.5/9).
    const data = new Float32Array(12 * 9);
    for (let y = 2; y <= 4; y++) for (let x = 6; x <= 8; x++) data[y * 12 + x] = 1;
    const centroid = saliencyCentroid({ data, width: 12, height: 9 })!;
    expect(centroid[0]).toBeCloseTo(7.5 / 12, 12);
    expect(centroid[1]).toBeCloseTo(3.5 / 9, 12);
    // Nearest intersection (2/3, 1/3) on a 1200×900 photo.
    const want = Math.hypot((7.5 / 12 - 2 / 3) * 1200, (3.5 / 9 - 1 / 3) * 900) / 1500;
    expect(thirdsDistance(centroid, 1200, 900)).toBeCloseTo(want, 12);
    const c = compositionOf(scanPixels(paint(120, 90, () => [50, 50, 50])), { data, width: 12, height: 9 });
    expect(c.subjectSize).toBeCloseTo(9 / 108, 12);
    expect(c.thirdsDistance).toBeCloseTo(Math.hypot((7.5 / 12 - 2 / 3) * 120, (3.5 / 9 - 1 / 3) * 90) / 150, 12);
  });

  it('an all-zero map has no centroid; without a map the saliency facts are null', () => {
    expect(saliencyCentroid({ data: new Float32Array(4), width: 2, height: 2 })).toBeNull();
    const c = compositionOf(scanPixels(paint(20, 20, () => [0, 0, 0])), null);
    expect([c.saliencyCentroid, c.thirdsDistance, c.subjectSize]).toEqual([null, null, null]);
  });
});

describe('symmetry', () => {
  it('is 1 for a mirrored image and 1 − mean|difference|/255 otherwise', () => {
    const mirrored = new Float32Array([10, 50, 50, 10, 0, 255, 255, 0]);
    expect(symmetry(mirrored, 4, 2)).toBe(1);
    const skewed = new Float32Array([0, 0, 0, 255, 0, 0, 0, 51]);
    expect(symmetry(skewed, 4, 2)).toBeCloseTo(1 - (255 + 51) / (4 * 255), 12);
  });
});
