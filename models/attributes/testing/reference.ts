// Plain float64 references for the attribute definitions: direct formulas, two-pass statistics, no
// shared code with the production module.
import type { RgbaPixels } from '../types.ts';

const mean = (xs: ArrayLike<number>): number => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return s / xs.length;
};

export const variance = (xs: ArrayLike<number>): number => {
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i]! - m) ** 2;
  return s / xs.length;
};

function channels(image: RgbaPixels): { r: Float64Array; g: Float64Array; b: Float64Array } {
  const n = image.width * image.height;
  const r = new Float64Array(n);
  const g = new Float64Array(n);
  const b = new Float64Array(n);
  for (let p = 0; p < n; p++) {
    r[p] = image.data[p * 4]!;
    g[p] = image.data[p * 4 + 1]!;
    b[p] = image.data[p * 4 + 2]!;
  }
  return { r, g, b };
}

/**
 * Y = 0.2126 R + 0.7152 G + 0.0722 B, evaluated exactly: 10⁴ · Y is an integer, so a Y that is k + ½
 * stays k + ½ (the float products can land just below it, and round(Y) in a bin too low).
 */
export function lumaPlane(image: RgbaPixels): Float64Array {
  const { r, g, b } = channels(image);
  return r.map((_, p) => (2126 * r[p]! + 7152 * g[p]! + 722 * b[p]!) / 10000);
}

export function referenceExposure(image: RgbaPixels) {
  const { r, g, b } = channels(image);
  const n = r.length;
  const y = lumaPlane(image);
  const maxes = r.map((_, p) => Math.max(r[p]!, g[p]!, b[p]!));
  const histogram = (values: ArrayLike<number>): number[] => {
    const h = new Array<number>(256).fill(0);
    for (let p = 0; p < n; p++) h[Math.round(values[p]!)]! += 1 / n;
    return h;
  };
  return {
    meanLuma: mean(y) / 255,
    contrast: Math.sqrt(variance(y)) / 255,
    clippedHighlights: maxes.filter((m) => m >= 250).length / n,
    clippedShadows: maxes.filter((m) => m <= 5).length / n,
    histogram: { luma: histogram(y), red: histogram(r), green: histogram(g), blue: histogram(b) },
  };
}

export function referenceColourfulness(image: RgbaPixels): number {
  const { r, g, b } = channels(image);
  const rg = r.map((_, p) => r[p]! - g[p]!);
  const yb = r.map((_, p) => (r[p]! + g[p]!) / 2 - b[p]!);
  return Math.sqrt(variance(rg) + variance(yb)) + 0.3 * Math.sqrt(mean(rg) ** 2 + mean(yb) ** 2);
}

/** Luma shrunk to longest side 1024 by averaging, for each target pixel, the source pixels that map to it. */
export function referenceShrink(image: RgbaPixels): { luma: Float64Array; width: number; height: number } {
  const { width: W, height: H } = image;
  const scale = 1024 / Math.max(W, H);
  const TW = Math.round(W * scale);
  const TH = Math.round(H * scale);
  const y = lumaPlane(image);
  const sums = new Float64Array(TW * TH);
  const counts = new Float64Array(TW * TH);
  for (let sy = 0; sy < H; sy++)
    for (let sx = 0; sx < W; sx++) {
      const t = Math.floor((sy * TH) / H) * TW + Math.floor((sx * TW) / W);
      sums[t]! += y[sy * W + sx]!;
      counts[t]! += 1;
    }
  return { luma: sums.map((s, t) => s / counts[t]!), width: TW, height: TH };
}

/** Variance of the 4-neighbour Laplacian per 8×8 cell and over pixels selected by `keep`. */
export function referenceLaplacian(
  luma: ArrayLike<number>,
  W: number,
  H: number,
  keep?: (x: number, y: number) => boolean,
) {
  const cells: number[][] = Array.from({ length: 64 }, () => []);
  const kept: number[] = [];
  for (let y = 1; y < H - 1; y++)
    for (let x = 1; x < W - 1; x++) {
      const v =
        luma[(y - 1) * W + x]! +
        luma[(y + 1) * W + x]! +
        luma[y * W + x - 1]! +
        luma[y * W + x + 1]! -
        4 * luma[y * W + x]!;
      cells[Math.floor((y * 8) / H) * 8 + Math.floor((x * 8) / W)]!.push(v);
      if (keep?.(x, y)) kept.push(v);
    }
  return { grid: cells.map((c) => variance(c)), kept: kept.length ? variance(kept) : null };
}
