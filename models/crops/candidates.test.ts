import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../random/mulberry32.ts';
import { CROP_ASPECTS, cropCandidates, type CropRect, type SaliencyGrid } from './candidates.ts';

const MAP = 64;

/** A map with one disc of full saliency (centre and radius as fractions of the photo), faint noise elsewhere. */
function disc(cx: number, cy: number, r: number, seed = 1): SaliencyGrid {
  const random = mulberry32(seed);
  const data = new Float32Array(MAP * MAP);
  for (let y = 0; y < MAP; y++)
    for (let x = 0; x < MAP; x++) {
      const inside = Math.hypot((x + 0.5) / MAP - cx, (y + 0.5) / MAP - cy) <= r;
      data[y * MAP + x] = inside ? 1 : 0.1 * random();
    }
  return { data, width: MAP, height: MAP };
}

function randomMap(seed: number): SaliencyGrid {
  const random = mulberry32(seed);
  return { data: Float32Array.from({ length: MAP * MAP }, () => random()), width: MAP, height: MAP };
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

describe('crop candidates', () => {
  const photos: [number, number][] = [
    [640, 427],
    [427, 640],
    [5640, 3172],
    [1000, 1000],
    [101, 103],
    [3000, 2000],
  ];
  for (const [w, h] of photos)
    it(`${w}×${h}: full frame first, every crop inside the photo in integer pixels, ratios exact`, () => {
      for (const map of [randomMap(w + h), disc(0.3, 0.6, 0.12)]) {
        const crops = cropCandidates(w, h, map);
        expect(crops[0]).toEqual({ x: 0, y: 0, width: w, height: h, aspect: 'original' });
        expect(crops.length).toBeGreaterThan(8);
        const seen = new Set<string>();
        for (const c of crops) {
          for (const v of [c.x, c.y, c.width, c.height]) expect(Number.isInteger(v)).toBe(true);
          expect(c.x).toBeGreaterThanOrEqual(0);
          expect(c.y).toBeGreaterThanOrEqual(0);
          expect(c.x + c.width).toBeLessThanOrEqual(w);
          expect(c.y + c.height).toBeLessThanOrEqual(h);
          expect(CROP_ASPECTS).toContain(c.aspect);
          if (c.aspect === 'original') {
            // Exact where the photo's reduced ratio has a smaller multiple; else within a pixel.
            if (gcd(w, h) > 1) expect(c.width * h).toBe(c.height * w);
            else expect(Math.abs(c.width / c.height - w / h)).toBeLessThanOrEqual(1 / c.height);
          } else {
            const [p, q] = c.aspect.split(':').map(Number);
            expect(c.width * q!).toBe(c.height * p!);
          }
          const key = `${c.x},${c.y},${c.width},${c.height}`;
          expect(seen.has(key)).toBe(false);
          seen.add(key);
        }
        // Every named aspect appears on a photo large enough for each; 'original' unless the photo has a named ratio.
        const aspects = new Set(crops.slice(1).map((c) => c.aspect));
        const named = CROP_ASPECTS.slice(1).some((a) => {
          const [p, q] = a.split(':').map(Number);
          return w * q! === h * p!;
        });
        if (Math.min(w, h) >= 400) expect(aspects.size).toBe(named ? CROP_ASPECTS.length - 1 : CROP_ASPECTS.length);
      }
    });

  it('never cuts through a strong region, and keeps it when it fits', () => {
    const [w, h] = [1600, 900];
    const [cx, cy, r] = [0.62, 0.4, 0.1];
    const map = disc(cx, cy, r);
    const crops = cropCandidates(w, h, map);
    // The strong cells' bounding box in photo pixels (the map is stretched over the photo).
    const cols: number[] = [];
    const rows: number[] = [];
    map.data.forEach((v, i) => {
      if (v < 1) return;
      cols.push(i % MAP);
      rows.push(Math.floor(i / MAP));
    });
    const box = {
      x0: (Math.min(...cols) * w) / MAP,
      x1: ((Math.max(...cols) + 1) * w) / MAP,
      y0: (Math.min(...rows) * h) / MAP,
      y1: ((Math.max(...rows) + 1) * h) / MAP,
    };
    for (const c of crops) {
      const inside = c.x <= box.x0 && c.x + c.width >= box.x1 && c.y <= box.y0 && c.y + c.height >= box.y1;
      expect(inside, JSON.stringify(c)).toBe(true);
    }
  });

  it("puts a small subject's centroid near a thirds line when the crop can slide", () => {
    const [w, h] = [1920, 1080];
    // The subject on the upper thirds line, in the middle horizontally: a full-height 1:1 crop can put it on a vertical third.
    const crops = cropCandidates(w, h, disc(0.5, 1 / 3, 0.04));
    const square = crops.find((c) => c.aspect === '1:1' && c.height === h) as CropRect;
    const rx = (0.5 * w - square.x) / square.width;
    expect(Math.min(Math.abs(rx - 1 / 3), Math.abs(rx - 2 / 3))).toBeLessThan(0.04);
  });

  it('refuses a map of the wrong size and a photo with no pixels', () => {
    expect(() => cropCandidates(10, 10, { data: new Float32Array(3), width: 2, height: 2 })).toThrow(/3 values/);
    expect(() => cropCandidates(0, 10, randomMap(1))).toThrow(/no crops/);
  });
});
