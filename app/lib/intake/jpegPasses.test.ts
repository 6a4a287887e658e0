// Whether a progressive JPEG holds all its passes: progressive files made by sharp (libjpeg's
// standard scan script), whole and closed with an end marker after each of their scans.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegMissingPasses } from './jpegPasses.ts';
import { scanEnd } from './structure.ts';

const PHOTO = join(import.meta.dirname, '../../../../shared/photos/good/rocket.jpg');

/** Where each scan's data ends (at the marker after it), in file order. */
function scanEnds(jpeg: Uint8Array): number[] {
  const ends: number[] = [];
  for (let at = 2; jpeg[at + 1] !== 0xd9;) {
    const end = at + 2 + ((jpeg[at + 2]! << 8) | jpeg[at + 3]!);
    if (jpeg[at + 1] === 0xda) {
      at = scanEnd(jpeg, end);
      ends.push(at);
    } else at = end;
  }
  return ends;
}

/** The file up to the end of its first `k` scans, closed with an end marker. */
function firstScans(jpeg: Uint8Array, k: number, ends: number[]): Uint8Array {
  const cut = ends[k - 1]!;
  const out = new Uint8Array(cut + 2);
  out.set(jpeg.subarray(0, cut));
  out.set([0xff, 0xd9], cut);
  return out;
}

describe('progressive JPEG passes', () => {
  for (const [name, grey] of [
    ['colour', false],
    ['greyscale', true],
  ] as const) {
    it(`a whole ${name} progressive file has every pass; one closed after any earlier scan does not`, async () => {
      const image = sharp(PHOTO);
      const jpeg = new Uint8Array(await (grey ? image.greyscale() : image).jpeg({ progressive: true }).toBuffer());
      expect(jpegMissingPasses(jpeg)).toBeUndefined();
      const ends = scanEnds(jpeg);
      expect(ends.length).toBeGreaterThan(grey ? 3 : 6);
      for (let k = 1; k < ends.length; k++) {
        const short = jpegMissingPasses(firstScans(jpeg, k, ends));
        expect(short, `first ${k} scans`).toMatchObject({ scans: k });
        expect(short!.unfinished, `first ${k} scans`).toBeGreaterThan(0);
        // The browser still decodes it: it is an image, not a refusal.
        const { width } = await sharp(firstScans(jpeg, k, ends)).metadata();
        expect(width).toBe(640);
      }
      expect(jpegMissingPasses(firstScans(jpeg, ends.length, ends))).toBeUndefined();
    });
  }

  it('has nothing to say about a baseline JPEG', async () => {
    expect(jpegMissingPasses(new Uint8Array(readFileSync(PHOTO)))).toBeUndefined();
    const baseline = await sharp(PHOTO).jpeg({ progressive: false }).toBuffer();
    expect(jpegMissingPasses(new Uint8Array(baseline))).toBeUndefined();
  });
});
