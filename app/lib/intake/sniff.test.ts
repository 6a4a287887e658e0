// Sniffers against the real photos in ../shared/photos, and against files encoded here by sharp
// (an independent encoder) for the formats and orientations the shared set lacks.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { sizeRefusal } from './limits.ts';
import { sniffImage, type SniffResult } from './sniff.ts';

const PHOTOS = join(import.meta.dirname, '../../../../shared/photos');
const read = (dir: string, name: string): Uint8Array => new Uint8Array(readFileSync(join(PHOTOS, dir, name)));
const sniff = (bytes: Uint8Array): SniffResult => sniffImage(bytes, bytes.length);
const sniffed = (bytes: Uint8Array) => {
  const r = sniff(bytes);
  if (r.kind !== 'image') throw new Error(`expected an image, got ${JSON.stringify(r)}`);
  return r.image;
};

describe('sniffImage on ../shared/photos/good', () => {
  for (const name of readdirSync(join(PHOTOS, 'good'))) {
    it(`${name}: type and size match sharp's metadata`, async () => {
      const bytes = read('good', name);
      const meta = await sharp(bytes).metadata();
      const info = sniffed(bytes);
      expect(info.format).toBe(meta.format === 'jpeg' ? 'jpeg' : meta.format);
      expect([info.storedWidth, info.storedHeight]).toEqual([meta.width, meta.height]);
      expect(info.orientation).toBe(meta.orientation ?? 1);
      expect(info.animated).toBe(false);
    });
  }

  it('reads a JPEG whose frame header is beyond the first bytes given by asking for more', () => {
    const bytes = read('good', 'Dune.jpg');
    const first = sniffImage(bytes.subarray(0, 64), bytes.length);
    expect(first.kind).toBe('need-more');
  });
});

describe('sniffImage on ../shared/photos/bad', () => {
  const reasonOf = (name: string): string => {
    const r = sniff(read('bad', name));
    if (r.kind !== 'refused') throw new Error(`${name} not refused: ${JSON.stringify(r)}`);
    return r.reason;
  };
  it('refuses the empty file', () => expect(reasonOf('empty.jpg')).toMatch(/empty/));
  it('refuses text with an image extension', () => expect(reasonOf('not-an-image.jpg')).toMatch(/not an image/));
  it('refuses TIFF', () => expect(reasonOf('multipage_rgb.tif')).toMatch(/TIFF/));
  it('refuses SVG', () => expect(reasonOf('script.svg')).toMatch(/SVG/));
  it('reads the bomb header (16384×16384) from the bytes before its image data, and the size limit refuses it', () => {
    const bytes = read('bad', 'bomb-16384x16384.png');
    const r = sniffImage(bytes.subarray(0, 4096), bytes.length);
    expect(r.kind).toBe('image');
    if (r.kind !== 'image') return;
    expect([r.image.width, r.image.height]).toEqual([16384, 16384]);
    expect(sizeRefusal(r.image.width, r.image.height)).toMatch(/268 MP.*over the 50 MP limit/);
  });
  it('marks the animated GIF as animated with its logical screen size', () => {
    const info = sniffed(read('bad', 'animated.gif'));
    expect(info).toMatchObject({ format: 'gif', width: 14, height: 25, animated: true });
  });
});

describe('sniffImage on files encoded by sharp', () => {
  const base = () => sharp(read('good', 'chelsea.png')).resize(301, 200);
  const cases: [string, () => Promise<Buffer>, string][] = [
    ['lossy WebP (VP8)', () => base().webp({ quality: 80 }).toBuffer(), 'webp'],
    ['lossless WebP (VP8L)', () => base().webp({ lossless: true }).toBuffer(), 'webp'],
    ['WebP with alpha (VP8X)', () => base().ensureAlpha(0.5).webp({ quality: 80 }).toBuffer(), 'webp'],
    ['AVIF', () => base().avif({ quality: 50 }).toBuffer(), 'avif'],
    ['GIF', () => base().gif().toBuffer(), 'gif'],
  ];
  for (const [label, encode, format] of cases) {
    it(`${label}: 301×200`, async () => {
      const info = sniffed(new Uint8Array(await encode()));
      expect(info).toMatchObject({ format, width: 301, height: 200, orientation: 1, animated: false });
    });
  }

  it('BMP (BITMAPINFOHEADER, bottom-up and top-down)', () => {
    for (const sign of [1, -1]) {
      const bmp = new Uint8Array(54);
      const view = new DataView(bmp.buffer);
      bmp.set([0x42, 0x4d]);
      view.setUint32(2, 54, true);
      view.setUint32(14, 40, true);
      view.setInt32(18, 123, true);
      view.setInt32(22, sign * 45, true);
      expect(sniffed(bmp)).toMatchObject({ format: 'bmp', width: 123, height: 45 });
    }
  });

  for (const orientation of [3, 6, 8]) {
    it(`JPEG with EXIF orientation ${orientation}: displayed size ${orientation === 3 ? 'kept' : 'swapped'}`, async () => {
      const bytes = new Uint8Array(await base().jpeg().withMetadata({ orientation }).toBuffer());
      const info = sniffed(bytes);
      expect(info.orientation).toBe(orientation);
      expect([info.storedWidth, info.storedHeight]).toEqual([301, 200]);
      expect([info.width, info.height]).toEqual(orientation === 3 ? [301, 200] : [200, 301]);
    });
  }

  it('animated WebP is marked animated', async () => {
    const gif = read('bad', 'animated.gif');
    const webp = new Uint8Array(await sharp(gif, { animated: true }).webp().toBuffer());
    expect(sniffed(webp)).toMatchObject({ format: 'webp', animated: true, width: 14, height: 25 });
  });

  it('refuses HEIC-branded ISO media', () => {
    const ftyp = new Uint8Array(24);
    new DataView(ftyp.buffer).setUint32(0, 24);
    ftyp.set(new TextEncoder().encode('ftypheic\0\0\0\0mif1heic'), 4);
    const r = sniff(ftyp);
    expect(r.kind === 'refused' && r.reason).toMatch(/HEIC/);
  });
});
