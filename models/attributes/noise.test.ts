import { describe, expect, it } from 'vitest';
import { lumaNoise } from './noise.ts';
import { gaussian, paint } from './testing/synthetic.ts';

describe('luma noise (Immerkær)', () => {
  it('is 0 on a flat image and on a linear ramp (the mask cancels planes)', () => {
    expect(lumaNoise(paint(64, 48, () => [80, 120, 40]))).toBe(0);
    expect(lumaNoise(paint(64, 48, (x, y) => [x + y, x + y, x + y]))).toBeCloseTo(0, 9);
  });

  for (const sigma of [3, 8])
    it(`recovers Gaussian grey noise of σ = ${sigma} within 5 %`, () => {
      const noise = gaussian(sigma);
      const image = paint(800, 600, () => {
        const v = Math.round(128 + sigma * noise());
        return [v, v, v];
      });
      expect(Math.abs(lumaNoise(image) / sigma - 1)).toBeLessThan(0.05);
    });
});
