// Real photos, decoded and EXIF-oriented by sharp as the CLI reads them, against the float64 references.
import { readdirSync } from 'node:fs';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { measureAttributes } from './index.ts';
import type { RgbaPixels } from './types.ts';
import { referenceColourfulness, referenceExposure, referenceLaplacian, referenceShrink } from './testing/reference.ts';

const DIR = '../shared/photos/good/';
const PHOTOS = ['Dune.jpg', 'chelsea.png', 'coffee.png'].filter((f) => readdirSync(DIR).includes(f));

async function decode(path: string): Promise<RgbaPixels> {
  const { data, info } = await sharp(path).rotate().ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data.buffer, data.byteOffset, data.length), width: info.width, height: info.height };
}

describe('attributes of real photos', () => {
  it('the test photos are there', () => expect(PHOTOS).toHaveLength(3));

  for (const file of PHOTOS)
    it(`${file}: exposure, colourfulness and focus grid match the references`, async () => {
      const image = await decode(DIR + file);
      const got = measureAttributes(image, null);
      const want = referenceExposure(image);
      expect(got.exposure.meanLuma).toBeCloseTo(want.meanLuma, 10);
      expect(got.exposure.contrast).toBeCloseTo(want.contrast, 8);
      expect(got.exposure.clippedHighlights).toBe(want.clippedHighlights);
      expect(got.exposure.clippedShadows).toBe(want.clippedShadows);
      got.exposure.histogram.luma.forEach((v, i) => expect(v).toBeCloseTo(want.histogram.luma[i]!, 12));
      expect(got.colour.colourfulness).toBeCloseTo(referenceColourfulness(image), 8);
      const shares = got.colour.palette.reduce((s, p) => s + p.share, 0);
      expect(shares).toBeCloseTo(1, 12);
      if (Math.max(image.width, image.height) > 1024) {
        const small = referenceShrink(image);
        const grid = referenceLaplacian(small.luma, small.width, small.height).grid;
        got.focus.grid.forEach((v, i) => expect(v / grid[i]!).toBeCloseTo(1, 3));
      }
    });
});
