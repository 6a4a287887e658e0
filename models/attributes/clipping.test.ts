import { describe, expect, it } from 'vitest';
import { CLIP_HIGHLIGHT, CLIP_SHADOW, clippingMask } from './clipping.ts';
import { paint } from './testing/synthetic.ts';

describe('clipping mask', () => {
  it('marks exactly the working pixels holding a clipped source pixel (shrunk 2×)', () => {
    // 2048×1024 → 1024×512: source (x, y) lands in (⌊x/2⌋, ⌊y/2⌋).
    const image = paint(2048, 1024, (x, y) =>
      x === 301 && y === 100
        ? [10, 251, 10]
        : x === 1000 && y === 999
          ? [5, 3, 0]
          : x === 7 && y === 8
            ? [6, 0, 0]
            : [128, 128, 128],
    );
    const mask = clippingMask(image);
    expect([mask.width, mask.height]).toEqual([1024, 512]);
    const marked = [...mask.data.keys()].filter((i) => mask.data[i] !== 0);
    expect(marked).toEqual([50 * 1024 + 150, 499 * 1024 + 500]);
    expect(mask.data[50 * 1024 + 150]).toBe(CLIP_HIGHLIGHT);
    expect(mask.data[499 * 1024 + 500]).toBe(CLIP_SHADOW);
  });

  it('enlarges a small photo by nearest source pixel', () => {
    const image = paint(4, 2, (x) => (x === 3 ? [255, 255, 255] : [0, 0, 0]));
    const mask = clippingMask(image);
    expect([mask.width, mask.height]).toEqual([1024, 512]);
    // Working column tx maps to source ⌊tx·4/1024⌋: columns 768… are the white source column.
    expect(mask.data[767]).toBe(CLIP_SHADOW);
    expect(mask.data[768]).toBe(CLIP_HIGHLIGHT);
    expect(mask.data[511 * 1024 + 1023]).toBe(CLIP_HIGHLIGHT);
  });
});
