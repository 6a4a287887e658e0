// Colourfulness (Hasler & Süsstrunk 2003) and the dominant palette, clustered in CIELAB.
import { srgbToLab } from './lab.ts';
import { rgbaWords, type PixelScan } from './scan.ts';
import type { Colour, PaletteColour, RgbaPixels } from './types.ts';

export const PALETTE_SIZE = 5;
const KMEANS_ROUNDS = 20;
/** Colour bins: 5 bits per channel. */
const BITS = 5;
/** The palette is gathered over at most about this many evenly spaced rows, every column at the same spacing. */
export const PALETTE_ROWS = 1024;

/** Pixel count and sums of R, G, B per colour bin, over the sampled rows. */
export interface ColourBins {
  counts: Float64Array;
  sums: Float64Array;
  pixels: number;
}

export function colourBins(image: RgbaPixels): ColourBins {
  const { data, width: W, height: H } = image;
  const counts = new Float64Array(1 << (3 * BITS));
  // Channel sums per bin stay below 2³² (a bin holds at most ~2²⁴ sampled pixels of values < 2⁸).
  const sums = new Uint32Array(counts.length * 3);
  const shift = 8 - BITS;
  const step = Math.max(1, Math.floor(H / PALETTE_ROWS));
  const words = rgbaWords(data, W * H);
  let pixels = 0;
  for (let y = 0; y < H; y += step) {
    for (let x = 0, i = y * W; x < W; x += step, i += step) {
      const v = words[i]!;
      const r = v & 255;
      const g = (v >>> 8) & 255;
      const b = (v >>> 16) & 255;
      const bin = ((r >> shift) << (2 * BITS)) | ((g >> shift) << BITS) | (b >> shift);
      counts[bin]!++;
      sums[bin * 3]! += r;
      sums[bin * 3 + 1]! += g;
      sums[bin * 3 + 2]! += b;
    }
    pixels += Math.ceil(W / step);
  }
  return { counts, sums: Float64Array.from(sums), pixels };
}

/** M = √(σ_rg² + σ_yb²) + 0.3 · √(μ_rg² + μ_yb²), rg = R − G, yb = (R + G)/2 − B, on 0–255 values. */
export function colourfulnessOf(scan: PixelScan): number {
  const n = scan.pixels;
  const muRg = scan.rgSum / n;
  const muYb = scan.yb2Sum / n / 2;
  const varRg = Math.max(0, scan.rgSquares / n - muRg * muRg);
  const varYb = Math.max(0, scan.yb2Squares / n / 4 - muYb * muYb);
  return Math.sqrt(varRg + varYb) + 0.3 * Math.sqrt(muRg * muRg + muYb * muYb);
}

const hex2 = (v: number): string =>
  Math.round(Math.min(255, Math.max(0, v)))
    .toString(16)
    .padStart(2, '0');

/**
 * Weighted k-means over the occupied colour bins (each bin at the Lab colour of its pixels' mean RGB,
 * weighted by its pixel count). Seeded deterministically: the heaviest bin, then each next centre the
 * bin with the largest weight × squared distance to the centres so far. Each colour is its cluster's
 * mean RGB; sorted by share.
 */
export function paletteOf(bins: ColourBins): PaletteColour[] {
  const occupied: number[] = [];
  for (let b = 0; b < bins.counts.length; b++) if (bins.counts[b]! > 0) occupied.push(b);
  const m = occupied.length;
  const lab = new Float64Array(m * 3);
  const weight = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    const b = occupied[j]!;
    const c = bins.counts[b]!;
    weight[j] = c;
    const [L, A, B] = srgbToLab(bins.sums[b * 3]! / c, bins.sums[b * 3 + 1]! / c, bins.sums[b * 3 + 2]! / c);
    lab[j * 3] = L;
    lab[j * 3 + 1] = A;
    lab[j * 3 + 2] = B;
  }
  const k = Math.min(PALETTE_SIZE, m);
  const centres = seed(lab, weight, k);
  const assign = new Int32Array(m);
  for (let round = 0; round < KMEANS_ROUNDS; round++) {
    let moved = false;
    for (let j = 0; j < m; j++) {
      const nearest = nearestCentre(lab, j, centres, k);
      if (nearest !== assign[j]) moved = true;
      assign[j] = nearest;
    }
    if (round > 0 && !moved) break;
    const sums = new Float64Array(k * 4);
    for (let j = 0; j < m; j++) {
      const c = assign[j]!;
      const w = weight[j]!;
      sums[c * 4]! += w * lab[j * 3]!;
      sums[c * 4 + 1]! += w * lab[j * 3 + 1]!;
      sums[c * 4 + 2]! += w * lab[j * 3 + 2]!;
      sums[c * 4 + 3]! += w;
    }
    for (let c = 0; c < k; c++)
      if (sums[c * 4 + 3]! > 0) for (let d = 0; d < 3; d++) centres[c * 3 + d] = sums[c * 4 + d]! / sums[c * 4 + 3]!;
  }
  const rgb = new Float64Array(k * 3);
  const count = new Float64Array(k);
  for (let j = 0; j < m; j++) {
    const b = occupied[j]!;
    const c = assign[j]!;
    count[c]! += bins.counts[b]!;
    for (let d = 0; d < 3; d++) rgb[c * 3 + d]! += bins.sums[b * 3 + d]!;
  }
  const colours: PaletteColour[] = [];
  for (let c = 0; c < k; c++) {
    if (count[c] === 0) continue;
    const hex = `#${[0, 1, 2].map((d) => hex2(rgb[c * 3 + d]! / count[c]!)).join('')}`;
    colours.push({ hex, share: count[c]! / bins.pixels });
  }
  return colours.sort((a, b) => b.share - a.share);
}

function distance2(lab: Float64Array, j: number, centres: Float64Array, c: number): number {
  const dl = lab[j * 3]! - centres[c * 3]!;
  const da = lab[j * 3 + 1]! - centres[c * 3 + 1]!;
  const db = lab[j * 3 + 2]! - centres[c * 3 + 2]!;
  return dl * dl + da * da + db * db;
}

function nearestCentre(lab: Float64Array, j: number, centres: Float64Array, k: number): number {
  let best = 0;
  let bestD = Infinity;
  for (let c = 0; c < k; c++) {
    const d = distance2(lab, j, centres, c);
    if (d < bestD) [best, bestD] = [c, d];
  }
  return best;
}

function seed(lab: Float64Array, weight: Float64Array, k: number): Float64Array {
  const m = weight.length;
  const centres = new Float64Array(k * 3);
  const nearest = new Float64Array(m).fill(Infinity);
  let pick = 0;
  for (let j = 1; j < m; j++) if (weight[j]! > weight[pick]!) pick = j;
  for (let c = 0; c < k; c++) {
    for (let d = 0; d < 3; d++) centres[c * 3 + d] = lab[pick * 3 + d]!;
    let best = -1;
    for (let j = 0; j < m; j++) {
      nearest[j] = Math.min(nearest[j]!, distance2(lab, j, centres, c));
      const score = weight[j]! * nearest[j]!;
      if (score > best) [best, pick] = [score, j];
    }
  }
  return centres;
}

export function colourOf(scan: PixelScan, bins: ColourBins): Colour {
  return { colourfulness: colourfulnessOf(scan), palette: paletteOf(bins) };
}
