import { describe, expect, it } from 'vitest';
import { focusOf } from './focus.ts';
import { scanPixels } from './scan.ts';
import { boxBlur, paint, randomImage } from './testing/synthetic.ts';
import { lumaPlane, referenceLaplacian, referenceShrink } from './testing/reference.ts';

describe('focus', () => {
  it('the grid is the Laplacian variance per cell of the 1024-wide luma', () => {
    const image = randomImage(1024, 640, 11);
    const got = focusOf(scanPixels(image), null);
    const want = referenceLaplacian(lumaPlane(image), 1024, 640);
    got.grid.forEach((v, i) => expect(v / want.grid[i]!).toBeCloseTo(1, 5));
  });

  it('a photo larger than 1024 is shrunk by averaging before the Laplacian', () => {
    const image = randomImage(2100, 1300, 12);
    const small = referenceShrink(image);
    expect([small.width, small.height]).toEqual([1024, 634]);
    const want = referenceLaplacian(small.luma, small.width, small.height);
    focusOf(scanPixels(image), null).grid.forEach((v, i) => expect(v / want.grid[i]!).toBeCloseTo(1, 4));
  });

  it('the blurred half has lower cells; saliency on the sharp half makes the subject sharper', () => {
    const image = boxBlur(randomImage(1024, 768, 13), 2, (x) => x >= 512);
    const left = { data: new Float32Array([1, 0]), width: 2, height: 1 };
    const got = focusOf(scanPixels(image), left);
    for (let row = 0; row < 8; row++)
      for (let col = 0; col < 4; col++)
        expect(got.grid[row * 8 + col]!).toBeGreaterThan(4 * got.grid[row * 8 + 7 - col]!);
    // The 2×1 map stretched bilinearly is ≥ 0.5 exactly on the left half.
    const want = referenceLaplacian(lumaPlane(image), 1024, 768, (x) => x < 512);
    expect(got.subjectSharpness! / want.kept!).toBeCloseTo(1, 5);
    expect(got.subjectSharpness!).toBeGreaterThan(4 * got.backgroundSharpness!);
  });

  it('a small photo is enlarged to 1024 (bilinear), so a flat one stays flat', () => {
    const got = focusOf(scanPixels(paint(300, 200, () => [100, 100, 100])), null);
    expect(got.overall).toBeCloseTo(0, 6);
    expect(got.subjectSharpness).toBeNull();
  });
});
