// Crop candidates of a photo: for each common aspect ratio a few sizes, each placed by the saliency
// map (keep most of its mass, its centroid near a thirds intersection, no edge through a strong
// region), plus the full frame. Rectangles are integer pixels of the oriented photo, inside it.

export type CropAspect = 'original' | '3:2' | '2:3' | '4:5' | '5:4' | '1:1' | '16:9';

export const CROP_ASPECTS: readonly CropAspect[] = ['original', '3:2', '2:3', '4:5', '5:4', '1:1', '16:9'];

/** Linear size of each candidate relative to the largest crop of its aspect that fits. */
export const CROP_SCALES: readonly number[] = [1, 0.85, 0.7];

/** Saliency at or above this (of the min-max normalised map) is a strong region. */
export const STRONG_SALIENCY = 0.6;

/** Smallest candidate side in pixels: smaller crops say nothing a photographer could use. */
const MIN_SIDE = 16;

/** Positions tried along each axis when placing a crop. */
const POSITIONS = 17;

/** Weight of the thirds distance against the fraction of saliency kept. */
const THIRDS_WEIGHT = 0.25;

export interface PixelRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface CropRect extends PixelRect {
  aspect: CropAspect;
}

/** A saliency map in [0, 1] stretched over the whole photo, row-major width×height. */
export interface SaliencyGrid {
  data: Float32Array;
  width: number;
  height: number;
}

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));

/** The integer ratio p:q of an aspect (the photo's own, reduced, for 'original'). */
function ratioOf(aspect: CropAspect, width: number, height: number): [number, number] {
  if (aspect === 'original') {
    const g = gcd(width, height);
    return [width / g, height / g];
  }
  const [p, q] = aspect.split(':').map(Number);
  return [p!, q!];
}

/**
 * Candidate sizes: k·p × k·q for the largest k that fits, scaled by CROP_SCALES, so each ratio is
 * exact in integer pixels. A photo whose own ratio has no smaller integer multiple (coprime sides)
 * gets its scaled 'original' sizes rounded to the nearest pixel.
 */
export function cropSizes(width: number, height: number): { width: number; height: number; aspect: CropAspect }[] {
  const sizes: { width: number; height: number; aspect: CropAspect }[] = [];
  const seen = new Set<string>([`${width}x${height}`]);
  // Named ratios first: a size the photo's own ratio shares keeps the name (a 3:2 photo's crops are '3:2').
  for (const aspect of [...CROP_ASPECTS.slice(1), CROP_ASPECTS[0]!]) {
    const [p, q] = ratioOf(aspect, width, height);
    const fit = Math.min(Math.floor(width / p), Math.floor(height / q));
    for (const scale of CROP_SCALES) {
      let w: number;
      let h: number;
      const k = Math.floor(fit * scale);
      if (aspect === 'original' && k < 1) {
        w = Math.round(width * scale);
        h = Math.round(height * scale);
      } else {
        w = k * p;
        h = k * q;
      }
      const key = `${w}x${h}`;
      if (w < MIN_SIDE || h < MIN_SIDE || seen.has(key)) continue;
      seen.add(key);
      sizes.push({ width: w, height: h, aspect });
    }
  }
  return sizes;
}

/** Prefix sums over the map: saliency, and the saliency of strong cells with its x and y moments. */
class SaliencySums {
  readonly w: number;
  readonly h: number;
  private readonly tables: [Float64Array, Float64Array, Float64Array, Float64Array];
  private readonly strong: Uint8Array;

  constructor(map: SaliencyGrid) {
    const { width: w, height: h, data } = map;
    this.w = w;
    this.h = h;
    const n = (w + 1) * (h + 1);
    this.tables = [new Float64Array(n), new Float64Array(n), new Float64Array(n), new Float64Array(n)];
    this.strong = new Uint8Array(w * h);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = Math.max(0, data[y * w + x]!);
        const strong = v >= STRONG_SALIENCY ? 1 : 0;
        this.strong[y * w + x] = strong;
        const values = [v, strong * v, strong * v * (x + 0.5), strong * v * (y + 0.5)];
        const i = (y + 1) * (w + 1) + x + 1;
        const up = i - (w + 1);
        this.tables.forEach((t, k) => (t[i] = values[k]! + t[i - 1]! + t[up]! - t[up - 1]!));
      }
  }

  /** [mass, strong mass, its Σx·v, its Σy·v] over map cells x0 ≤ x < x1, y0 ≤ y < y1. */
  sums(x0: number, y0: number, x1: number, y1: number): number[] {
    const r = this.w + 1;
    return this.tables.map((t) => t[y1 * r + x1]! - t[y0 * r + x1]! - t[y1 * r + x0]! + t[y0 * r + x0]!);
  }

  /**
   * Strong cells a vertical line at map x `fx` (fractional) cuts in rows y0…y1−1: the cell it runs
   * through, or on a cell boundary, a strong cell on each side.
   */
  verticalCut(fx: number, y0: number, y1: number): number {
    return this.cut(fx, y0, y1, (a, i) => this.strong[i * this.w + a]!, this.w);
  }

  horizontalCut(fy: number, x0: number, x1: number): number {
    return this.cut(fy, x0, x1, (a, i) => this.strong[a * this.w + i]!, this.h);
  }

  private cut(f: number, from: number, to: number, strong: (across: number, along: number) => number, n: number) {
    if (f <= 0 || f >= n) return 0;
    let cut = 0;
    const cell = Math.floor(f);
    for (let i = from; i < to; i++)
      cut += cell === f ? strong(cell - 1, i) & strong(cell, i) : strong(Math.min(cell, n - 1), i);
    return cut;
  }
}

const THIRDS = [1 / 3, 2 / 3];

/** Evenly spread integer offsets 0 … free (at most POSITIONS of them). */
function offsets(free: number): number[] {
  const n = Math.min(free + 1, POSITIONS);
  if (n <= 1) return [0];
  return Array.from(new Set(Array.from({ length: n }, (_, i) => Math.round((i * free) / (n - 1)))));
}

/**
 * Places a width×height crop in the photo: among the positions whose edges cross the fewest strong
 * cells (none where possible), the one keeping the most saliency with the centroid of its strong
 * regions nearest a thirds intersection (kept fraction − THIRDS_WEIGHT · distance in crop units).
 */
function place(sums: SaliencySums, photoW: number, photoH: number, width: number, height: number): PixelRect {
  const sx = sums.w / photoW;
  const sy = sums.h / photoH;
  const total = sums.sums(0, 0, sums.w, sums.h)[0]!;
  let best: { cut: number; value: number; rect: PixelRect } | undefined;
  for (const y of offsets(photoH - height))
    for (const x of offsets(photoW - width)) {
      const x0 = Math.round(x * sx);
      const x1 = Math.max(x0 + 1, Math.round((x + width) * sx));
      const y0 = Math.round(y * sy);
      const y1 = Math.max(y0 + 1, Math.round((y + height) * sy));
      const cut =
        sums.verticalCut(x * sx, y0, y1) +
        sums.verticalCut((x + width) * sx, y0, y1) +
        sums.horizontalCut(y * sy, x0, x1) +
        sums.horizontalCut((y + height) * sy, x0, x1);
      const [mass, strong, mx, my] = sums.sums(x0, y0, x1, y1) as [number, number, number, number];
      // The strong regions' centroid goes near a thirds intersection (none inside: no preference).
      let thirds = 0.5;
      if (strong > 0) {
        const cx = (mx / strong - x0) / (x1 - x0);
        const cy = (my / strong - y0) / (y1 - y0);
        thirds = Math.min(...THIRDS.flatMap((tx) => THIRDS.map((ty) => Math.hypot(cx - tx, cy - ty))));
      }
      const kept = total > 0 ? mass / total : (width * height) / (photoW * photoH);
      const value = kept - THIRDS_WEIGHT * thirds;
      if (!best || cut < best.cut || (cut === best.cut && value > best.value))
        best = { cut, value, rect: { x, y, width, height } };
    }
  return best!.rect;
}

/** The full frame first, then one placed crop per size of cropSizes. */
export function cropCandidates(width: number, height: number, saliency: SaliencyGrid): CropRect[] {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1)
    throw new Error(`A photo of ${width}×${height} pixels has no crops`);
  if (saliency.data.length !== saliency.width * saliency.height)
    throw new Error(`Saliency map has ${saliency.data.length} values for ${saliency.width}×${saliency.height}`);
  const sums = new SaliencySums(saliency);
  const full: CropRect = { x: 0, y: 0, width, height, aspect: 'original' };
  return [
    full,
    ...cropSizes(width, height).map((s) => ({ ...place(sums, width, height, s.width, s.height), aspect: s.aspect })),
  ];
}
