// Sharpness as the variance of the 3×3 Laplacian [0 1 0; 1 −4 1; 0 1 0] of luma (0–255) on the
// working-size plane, over interior pixels: per 8×8 grid cell, overall, and split by saliency.
import { growBilinear, type PixelScan } from './scan.ts';
import type { SaliencyMap } from './types.ts';

export const FOCUS_GRID = 8;
/** Saliency at or above this marks the subject. */
export const SUBJECT_SALIENCY = 0.5;

interface Moments {
  n: number;
  sum: number;
  squares: number;
}

const variance = (m: Moments): number | null => (m.n > 0 ? Math.max(0, m.squares / m.n - (m.sum / m.n) ** 2) : null);

/** The saliency map resampled (bilinear) to width×height. */
export function saliencyAt(saliency: SaliencyMap, width: number, height: number): Float32Array {
  return growBilinear(saliency.data, saliency.width, saliency.height, { width, height });
}

export interface FocusMeasures {
  grid: number[];
  overall: number;
  subjectSharpness: number | null;
  backgroundSharpness: number | null;
}

export function focusOf(scan: PixelScan, saliency: SaliencyMap | null): FocusMeasures {
  const { luma, lumaWidth: W, lumaHeight: H } = scan;
  const G = FOCUS_GRID;
  const cells = Array.from({ length: G * G }, (): Moments => ({ n: 0, sum: 0, squares: 0 }));
  const all: Moments = { n: 0, sum: 0, squares: 0 };
  const subject: Moments = { n: 0, sum: 0, squares: 0 };
  const background: Moments = { n: 0, sum: 0, squares: 0 };
  const sal = saliency ? saliencyAt(saliency, W, H) : null;
  const cellCol = Int32Array.from({ length: W }, (_, x) => Math.floor((x * G) / W));
  for (let y = 1; y < H - 1; y++) {
    const rowCell = Math.floor((y * G) / H) * G;
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const v = luma[i - W]! + luma[i + W]! + luma[i - 1]! + luma[i + 1]! - 4 * luma[i]!;
      const cell = cells[rowCell + cellCol[x]!]!;
      cell.n++;
      cell.sum += v;
      cell.squares += v * v;
      if (sal) {
        const part = sal[i]! >= SUBJECT_SALIENCY ? subject : background;
        part.n++;
        part.sum += v;
        part.squares += v * v;
      }
    }
  }
  for (const c of cells) {
    all.n += c.n;
    all.sum += c.sum;
    all.squares += c.squares;
  }
  return {
    grid: cells.map((c) => variance(c) ?? 0),
    overall: variance(all) ?? 0,
    subjectSharpness: sal ? variance(subject) : null,
    backgroundSharpness: sal ? variance(background) : null,
  };
}
