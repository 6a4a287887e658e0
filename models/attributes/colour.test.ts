import { describe, expect, it } from 'vitest';
import { colourBins, colourfulnessOf, paletteOf } from './colour.ts';
import { scanPixels } from './scan.ts';
import { gaussian, paint, randomImage } from './testing/synthetic.ts';
import { referenceColourfulness } from './testing/reference.ts';

const hexOf = (rgb: readonly number[]): string => `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;

describe('colourfulness', () => {
  it('matches the Hasler–Süsstrunk formula on random pixels', () => {
    const image = randomImage(257, 129, 3);
    expect(colourfulnessOf(scanPixels(image))).toBeCloseTo(referenceColourfulness(image), 9);
  });

  it('is 0 for grey and 0.3·√(255² + 127.5²) for pure red', () => {
    expect(colourfulnessOf(scanPixels(paint(20, 20, () => [90, 90, 90])))).toBeCloseTo(0, 12);
    expect(colourfulnessOf(scanPixels(paint(20, 20, () => [255, 0, 0])))).toBeCloseTo(0.3 * Math.hypot(255, 127.5), 9);
  });
});

describe('palette', () => {
  it('gives the exact colours and shares of a three-colour image', () => {
    const colours = [
      [200, 30, 40],
      [20, 90, 200],
      [240, 230, 210],
    ] as const;
    const image = paint(100, 10, (x) => colours[x < 50 ? 0 : x < 80 ? 1 : 2]!);
    expect(paletteOf(colourBins(image))).toEqual([
      { hex: hexOf(colours[0]), share: 0.5 },
      { hex: hexOf(colours[1]), share: 0.3 },
      { hex: hexOf(colours[2]), share: 0.2 },
    ]);
  });

  it('finds five noisy, well-separated colours with their shares', () => {
    const colours = [
      [220, 40, 40],
      [40, 180, 60],
      [30, 60, 200],
      [240, 220, 60],
      [30, 30, 30],
    ] as const;
    const shares = [0.3, 0.25, 0.2, 0.15, 0.1];
    const noise = gaussian(5);
    const image = paint(200, 100, (x) => {
      const f = x / 200;
      const k = f < 0.3 ? 0 : f < 0.55 ? 1 : f < 0.75 ? 2 : f < 0.9 ? 3 : 4;
      return colours[k]!.map((v) => Math.round(Math.min(255, Math.max(0, v + 4 * noise())))) as [
        number,
        number,
        number,
      ];
    });
    const palette = paletteOf(colourBins(image));
    expect(palette).toHaveLength(5);
    palette.forEach((p, k) => {
      expect(p.share).toBeCloseTo(shares[k]!, 6);
      const rgb = [1, 3, 5].map((i) => parseInt(p.hex.slice(i, i + 2), 16));
      rgb.forEach((v, c) => expect(Math.abs(v - colours[k]![c]!)).toBeLessThanOrEqual(2));
    });
  });

  it('a tall photo is sampled on evenly spaced rows and columns without changing band shares', () => {
    const image = paint(40, 2500, (_, y) => (y < 1250 ? [10, 200, 10] : y < 2000 ? [200, 10, 10] : [10, 10, 200]));
    const bins = colourBins(image);
    // ⌊2500 / 1024⌋ = 2: every second row and every second column.
    expect(bins.pixels).toBe(20 * 1250);
    expect(paletteOf(bins).map((p) => [p.hex, p.share])).toEqual([
      ['#0ac80a', 0.5],
      ['#c80a0a', 0.3],
      ['#0a0ac8', 0.2],
    ]);
  });
});
