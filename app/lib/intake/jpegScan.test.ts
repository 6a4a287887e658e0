// Whether a JPEG's scans reach the image's end: whole files from three encoders (the shared
// photos, sharp, and a minimal encoder with restart markers, decoded by sharp as the check),
// and the same files with their scan cut short and closed with an end marker.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { jpegScanShortfall } from './jpegScan.ts';
import { greyJpeg } from './testing/greyJpeg.ts';
import { photoLike } from './testing/hostileFiles.node.ts';

const GOOD = join(import.meta.dirname, '../../../../shared/photos/good');

const isBaseline = (b: Uint8Array): boolean => {
  for (let at = 2; at + 4 <= b.length; at += 2 + ((b[at + 2]! << 8) | b[at + 3]!)) {
    if (b[at + 1] === 0xc0) return true;
    if (b[at + 1] === 0xc2 || b[at + 1] === 0xda) return false;
  }
  return false;
};

/** The file with its first scan's data cut at `fraction` and an end marker after it. */
function cutScan(jpeg: Uint8Array, fraction: number): Uint8Array {
  let sos = 2;
  while (!(jpeg[sos] === 0xff && jpeg[sos + 1] === 0xda)) sos += 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  const data = sos + 2 + ((jpeg[sos + 2]! << 8) | jpeg[sos + 3]!);
  let cut = data + Math.floor((jpeg.length - 2 - data) * fraction);
  if (jpeg[cut - 1] === 0xff) cut--;
  const out = new Uint8Array(cut + 2);
  out.set(jpeg.subarray(0, cut));
  out.set([0xff, 0xd9], cut);
  return out;
}

describe('JPEG scan coverage', () => {
  it('finds every baseline photo of the shared set whole, and each cut at half its scan short', () => {
    const baseline = readdirSync(GOOD)
      .filter((f) => f.endsWith('.jpg'))
      .map((f) => ({ f, b: new Uint8Array(readFileSync(join(GOOD, f))) }))
      .filter(({ b }) => isBaseline(b));
    expect(baseline.length).toBeGreaterThanOrEqual(5);
    for (const { f, b } of baseline) {
      expect(jpegScanShortfall(b), f).toBeUndefined();
      const short = jpegScanShortfall(cutScan(b, 0.5));
      expect(short, f).toBeDefined();
      expect(short!.decoded, f).toBeLessThan(short!.expected);
      expect(short!.decoded, f).toBeGreaterThan(0);
    }
  });

  it('counts MCUs as the frame lays them out: 4:2:0, 4:4:4, grey, odd sizes', async () => {
    const cases = [
      { options: { chromaSubsampling: '4:2:0' }, expected: Math.ceil(161 / 16) * Math.ceil(121 / 16) },
      { options: { chromaSubsampling: '4:4:4' }, expected: Math.ceil(161 / 8) * Math.ceil(121 / 8) },
    ];
    for (const { options, expected } of cases) {
      const jpeg = new Uint8Array(
        await photoLike(161, 121)
          .jpeg({ quality: 85, ...options })
          .toBuffer(),
      );
      expect(jpegScanShortfall(jpeg), options.chromaSubsampling).toBeUndefined();
      expect(jpegScanShortfall(cutScan(jpeg, 0.6))?.expected, options.chromaSubsampling).toBe(expected);
    }
    const grey = new Uint8Array(await photoLike(161, 121).toColourspace('b-w').jpeg({ quality: 85 }).toBuffer());
    expect(jpegScanShortfall(grey)).toBeUndefined();
    expect(jpegScanShortfall(cutScan(grey, 0.3))?.expected).toBe(Math.ceil(161 / 8) * Math.ceil(121 / 8));
  });

  it('steps over restart markers, and a scan cut after k intervals holds exactly k × the interval', async () => {
    const level = (i: number) => (i * 37) % 256;
    const jpeg = greyJpeg(40, 24, level, 4);
    // The independent check: sharp decodes the file to the levels it was made of.
    const { data, info } = await sharp(jpeg).greyscale().raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([40, 24]);
    for (let block = 0; block < 15; block++) {
      const [bx, by] = [block % 5, Math.floor(block / 5)];
      expect(data[(by * 8 + 3) * 40 + bx * 8 + 3], `block ${block}`).toBe(level(block));
    }
    expect(jpegScanShortfall(jpeg)).toBeUndefined();
    const markers = [...jpeg.keys()].filter((i) => jpeg[i] === 0xff && jpeg[i + 1]! >= 0xd0 && jpeg[i + 1]! <= 0xd7);
    expect(markers.length).toBe(3);
    for (const [k, at] of markers.entries()) {
      const cut = new Uint8Array([...jpeg.subarray(0, at), 0xff, 0xd9]);
      expect(jpegScanShortfall(cut)).toEqual({ decoded: 4 * (k + 1), expected: 15 });
    }
  });

  it('does not judge progressive JPEGs (their first scan holds only part of every block)', async () => {
    const jpeg = new Uint8Array(await photoLike(160, 120).jpeg({ progressive: true }).toBuffer());
    expect(jpegScanShortfall(jpeg)).toBeUndefined();
    expect(jpegScanShortfall(cutScan(jpeg, 0.5))).toBeUndefined();
  });
});
