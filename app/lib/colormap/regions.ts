// Top salient regions of a saliency map, computed once on the CPU: connected components of the
// map above a threshold, ranked by their saliency mass, each outlined by marching squares. The
// default threshold is the level above which the map holds half its saliency mass, so regions
// are where the saliency is, not just the peak's few pixels.

export interface SaliencyMap {
  /** Row-major values, normally min-max normalised to [0, 1]. */
  data: Float32Array;
  width: number;
  height: number;
}

export interface SalientRegion {
  /** 1-based rank by saliency mass. */
  rank: number;
  /** Sum of the saliency inside the region, as a share of the whole map's sum. */
  share: number;
  /** Peak value inside the region. */
  peak: number;
  /** Bounding box in map pixels (inclusive-exclusive). */
  box: { x0: number; y0: number; x1: number; y1: number };
  /**
   * Outline as line segments [x0, y0, x1, y1, …] in map coordinates where pixel (i, j) covers
   * [i, i+1) × [j, j+1): divide by the map size to get fractions of the photo.
   */
  segments: Float32Array;
}

export interface RegionOptions {
  /** How many regions to return (largest mass first). */
  count?: number;
  /** Level, as a fraction of the map's maximum, above which a pixel belongs to a region. */
  level?: number;
  /** Without `level`: the share of the map's saliency mass the pixels above the level hold. */
  massShare?: number;
  /** Regions smaller than this share of the map's pixels are ignored. */
  minAreaShare?: number;
}

export function findSalientRegions(map: SaliencyMap, options: RegionOptions = {}): SalientRegion[] {
  const { width: w, height: h, data } = map;
  if (data.length !== w * h) throw new Error(`saliency map has ${data.length} values for ${w}×${h}`);
  const count = options.count ?? 3;
  const minArea = Math.max(1, Math.round((options.minAreaShare ?? 0.01) * w * h));
  let max = 0;
  let total = 0;
  for (const v of data) {
    if (v > max) max = v;
    if (v > 0) total += v;
  }
  if (!(max > 0)) return [];
  const level = options.level !== undefined ? options.level * max : massLevel(data, total, options.massShare ?? 0.5);

  const labels = new Int32Array(w * h).fill(-1);
  const components: { mass: number; peak: number; area: number; x0: number; y0: number; x1: number; y1: number }[] = [];
  const stack: number[] = [];
  for (let start = 0; start < w * h; start++) {
    if (labels[start] !== -1 || data[start]! < level) continue;
    const id = components.length;
    const comp = { mass: 0, peak: 0, area: 0, x0: w, y0: h, x1: 0, y1: 0 };
    labels[start] = id;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % w;
      const y = (p - x) / w;
      const v = data[p]!;
      comp.mass += v;
      comp.area += 1;
      comp.peak = Math.max(comp.peak, v);
      comp.x0 = Math.min(comp.x0, x);
      comp.y0 = Math.min(comp.y0, y);
      comp.x1 = Math.max(comp.x1, x + 1);
      comp.y1 = Math.max(comp.y1, y + 1);
      const neighbours = [x > 0 ? p - 1 : -1, x < w - 1 ? p + 1 : -1, y > 0 ? p - w : -1, y < h - 1 ? p + w : -1];
      for (const q of neighbours) {
        if (q >= 0 && labels[q] === -1 && data[q]! >= level) {
          labels[q] = id;
          stack.push(q);
        }
      }
    }
    components.push(comp);
  }

  return components
    .map((c, id) => ({ c, id }))
    .filter(({ c }) => c.area >= minArea)
    .sort((a, b) => b.c.mass - a.c.mass)
    .slice(0, count)
    .map(({ c, id }, i) => ({
      rank: i + 1,
      share: total > 0 ? c.mass / total : 0,
      peak: c.peak,
      box: { x0: c.x0, y0: c.y0, x1: c.x1, y1: c.y1 },
      segments: outline(map, labels, id, level),
    }));
}

/** The value v such that the pixels at or above v hold `share` of the positive mass `total`. */
function massLevel(data: Float32Array, total: number, share: number): number {
  const sorted = Float32Array.from(data).sort().reverse();
  let sum = 0;
  for (const v of sorted) {
    if (v <= 0) break;
    sum += v;
    if (sum >= share * total) return v;
  }
  return sorted[sorted.length - 1]!;
}

/**
 * Marching squares over pixel centres on a field that equals the map inside component `id` and
 * 0 elsewhere, at `level`: a smooth outline of just that component. The grid is padded by one
 * cell so regions touching the border close along it.
 */
function outline(map: SaliencyMap, labels: Int32Array, id: number, level: number): Float32Array {
  const { width: w, height: h, data } = map;
  const field = (x: number, y: number): number => {
    if (x < 0 || y < 0 || x >= w || y >= h) return 0;
    const p = y * w + x;
    return labels[p] === id ? data[p]! : 0;
  };
  const out: number[] = [];
  // Interpolated crossing between two corners; +0.5 moves pixel indices to pixel centres.
  const cross = (xa: number, ya: number, va: number, xb: number, yb: number, vb: number): [number, number] => {
    const t = (level - va) / (vb - va);
    return [xa + (xb - xa) * t + 0.5, ya + (yb - ya) * t + 0.5];
  };
  for (let y = -1; y < h; y++) {
    for (let x = -1; x < w; x++) {
      const a = field(x, y);
      const b = field(x + 1, y);
      const c = field(x + 1, y + 1);
      const d = field(x, y + 1);
      const code = (a >= level ? 8 : 0) | (b >= level ? 4 : 0) | (c >= level ? 2 : 0) | (d >= level ? 1 : 0);
      if (code === 0 || code === 15) continue;
      const top = (): [number, number] => cross(x, y, a, x + 1, y, b);
      const right = (): [number, number] => cross(x + 1, y, b, x + 1, y + 1, c);
      const bottom = (): [number, number] => cross(x, y + 1, d, x + 1, y + 1, c);
      const left = (): [number, number] => cross(x, y, a, x, y + 1, d);
      const seg = (p: [number, number], q: [number, number]): void => {
        out.push(p[0], p[1], q[0], q[1]);
      };
      switch (code) {
        case 1:
        case 14:
          seg(left(), bottom());
          break;
        case 2:
        case 13:
          seg(bottom(), right());
          break;
        case 3:
        case 12:
          seg(left(), right());
          break;
        case 4:
        case 11:
          seg(top(), right());
          break;
        case 6:
        case 9:
          seg(top(), bottom());
          break;
        case 7:
        case 8:
          seg(left(), top());
          break;
        // Saddles: diagonal corners are never one 4-connected component, so keep them apart.
        case 5:
          seg(left(), top());
          seg(bottom(), right());
          break;
        case 10:
          seg(top(), right());
          seg(left(), bottom());
          break;
      }
    }
  }
  return new Float32Array(out);
}
