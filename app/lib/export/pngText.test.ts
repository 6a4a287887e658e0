import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { withPngText } from './pngText.ts';

describe('withPngText', () => {
  it('adds a text chunk that sharp (libvips/libpng) reads back, and keeps the pixels', async () => {
    const raw = Buffer.from([10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120]);
    const png = await sharp(raw, { raw: { width: 2, height: 2, channels: 3 } })
      .png()
      .toBuffer();
    const text = JSON.stringify({ exposure: { meanLuma: 0.25 }, note: 'highlights clipped on 4 % — café' });
    const tagged = withPngText(new Uint8Array(png), 'aeslens:attributes', text);
    const meta = await sharp(Buffer.from(tagged)).metadata();
    expect(meta.comments).toEqual([{ keyword: 'aeslens:attributes', text }]);
    expect(await sharp(Buffer.from(tagged)).raw().toBuffer()).toEqual(raw);
  });

  it('refuses what is not a PNG', () => {
    expect(() => withPngText(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9]), 'k', 'v')).toThrow('not a PNG');
  });
});
