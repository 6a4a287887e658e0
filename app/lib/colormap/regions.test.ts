import { describe, expect, it } from 'vitest';
import { findSalientRegions, type SaliencyMap } from './regions.ts';

function mapFrom(width: number, height: number, f: (x: number, y: number) => number): SaliencyMap {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = f(x, y);
  return { data, width, height };
}

describe('findSalientRegions', () => {
  it('ranks two blobs by mass and boxes them', () => {
    // Big blob at (10, 10) radius 4, small one at (30, 20) radius 2, on a 40×30 map.
    const blob = (cx: number, cy: number, r: number) => (x: number, y: number) =>
      Math.hypot(x - cx, y - cy) <= r ? 1 : 0;
    const big = blob(10, 10, 4);
    const small = blob(30, 20, 2);
    const map = mapFrom(40, 30, (x, y) => Math.max(big(x, y), small(x, y)));
    const regions = findSalientRegions(map, { count: 5 });
    expect(regions).toHaveLength(2);
    expect(regions[0]!.box).toEqual({ x0: 6, y0: 6, x1: 15, y1: 15 });
    expect(regions[1]!.box).toEqual({ x0: 28, y0: 18, x1: 33, y1: 23 });
    expect(regions[0]!.share).toBeGreaterThan(regions[1]!.share);
    expect(regions[0]!.share + regions[1]!.share).toBeCloseTo(1, 6);
  });

  it('by default draws the level where the regions hold half the saliency mass', () => {
    // Two Gaussian bumps on a faint floor: the regions together hold half the map's mass (up to
    // the ring of equal pixels, at most 8 by symmetry, that crosses the level), each bump is one
    // region, the wider bump first.
    const bump = (cx: number, cy: number, r: number) => (x: number, y: number) =>
      Math.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * r * r));
    const map = mapFrom(64, 48, (x, y) => 0.05 + bump(18, 20, 7)(x, y) + 0.8 * bump(46, 28, 4)(x, y));
    let total = 0;
    let maxPixel = 0;
    for (const v of map.data) {
      total += v;
      maxPixel = Math.max(maxPixel, v);
    }
    const regions = findSalientRegions(map, { count: 10, minAreaShare: 0 });
    expect(regions).toHaveLength(2);
    const held = regions.reduce((sum, r) => sum + r.share, 0);
    expect(held).toBeGreaterThanOrEqual(0.5);
    expect(held).toBeLessThan(0.5 + (8 * maxPixel) / total);
    const centre = (r: (typeof regions)[number]) => [(r.box.x0 + r.box.x1) / 2, (r.box.y0 + r.box.y1) / 2];
    expect(centre(regions[0]!)[0]).toBeCloseTo(18.5, 0);
    expect(centre(regions[1]!)[0]).toBeCloseTo(46.5, 0);
    // A tenth of the mass is a smaller region around the same peak.
    const [tight] = findSalientRegions(map, { massShare: 0.1 });
    expect(tight!.share).toBeLessThan(0.1 + (8 * maxPixel) / total);
    expect(tight!.share).toBeGreaterThan(0.05);
  });

  it('outlines a square with a closed loop crossing the edges at the interpolated level', () => {
    // Pixels 2..5 in x and y are 1, the rest 0: at level 0.5 the outline lies half-way between
    // pixel centres 1.5 and 2.5, i.e. at 2 (and at 6 on the far side), in pixel-edge coordinates.
    const map = mapFrom(8, 8, (x, y) => (x >= 2 && x <= 5 && y >= 2 && y <= 5 ? 1 : 0));
    const [region] = findSalientRegions(map, { level: 0.5 });
    const s = region!.segments;
    expect(s.length % 4).toBe(0);
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < s.length; i += 2) {
      xs.push(s[i]!);
      ys.push(s[i + 1]!);
    }
    expect(Math.min(...xs)).toBeCloseTo(2, 6);
    expect(Math.max(...xs)).toBeCloseTo(6, 6);
    expect(Math.min(...ys)).toBeCloseTo(2, 6);
    expect(Math.max(...ys)).toBeCloseTo(6, 6);
    // Closed: every endpoint is shared by exactly two segments.
    const ends = new Map<string, number>();
    for (let i = 0; i < s.length; i += 2) {
      const key = `${s[i]!.toFixed(4)},${s[i + 1]!.toFixed(4)}`;
      ends.set(key, (ends.get(key) ?? 0) + 1);
    }
    for (const n of ends.values()) expect(n).toBe(2);
  });

  it('closes regions that touch the border and ignores an empty map', () => {
    const map = mapFrom(6, 6, (x) => (x < 2 ? 1 : 0));
    const [region] = findSalientRegions(map);
    expect(region!.box).toEqual({ x0: 0, y0: 0, x1: 2, y1: 6 });
    expect(region!.segments.length).toBeGreaterThan(0);
    expect(findSalientRegions(mapFrom(4, 4, () => 0))).toEqual([]);
  });

  it('rejects a map whose data does not match its size', () => {
    expect(() => findSalientRegions({ data: new Float32Array(3), width: 2, height: 2 })).toThrow(/3 values for 2×2/);
  });
});
