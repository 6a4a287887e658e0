// Luma noise by Immerkær's estimator (J. Immerkær, "Fast Noise Variance Estimation", CVIU 1996):
// σ = √(π/2) · Σ|I ∗ N| / (6 · count), N = [1 −2 1; −2 4 −2; 1 −2 1], at full resolution.
import { rgbaWords } from './scan.ts';
import type { RgbaPixels } from './types.ts';

/** Rows sampled for the estimate; evenly spaced interior rows keep the cost a fraction of one pass. */
export const NOISE_ROWS = 512;

/** 10⁴ · Y of one row, exact integers. */
function lumaRow(words: Uint32Array, width: number, y: number, out: Int32Array): void {
  for (let x = 0, i = y * width; x < width; x++, i++) {
    const v = words[i]!;
    out[x] = 2126 * (v & 255) + 7152 * ((v >>> 8) & 255) + 722 * ((v >>> 16) & 255);
  }
}

/** Standard deviation of the luma noise (0–255 scale); 0 for images under 3×3 pixels. */
export function lumaNoise(image: RgbaPixels): number {
  const { data, width: W, height: H } = image;
  if (W < 3 || H < 3) return 0;
  const step = Math.max(1, Math.ceil((H - 2) / NOISE_ROWS));
  const words = rgbaWords(data, W * H);
  const above = new Int32Array(W);
  const row = new Int32Array(W);
  const below = new Int32Array(W);
  let total = 0;
  let count = 0;
  for (let y = 1; y < H - 1; y += step) {
    lumaRow(words, W, y - 1, above);
    lumaRow(words, W, y, row);
    lumaRow(words, W, y + 1, below);
    for (let x = 1; x < W - 1; x++) {
      const v =
        above[x - 1]! -
        2 * above[x]! +
        above[x + 1]! -
        2 * (row[x - 1]! - 2 * row[x]! + row[x + 1]!) +
        below[x - 1]! -
        2 * below[x]! +
        below[x + 1]!;
      total += Math.abs(v);
    }
    count += W - 2;
  }
  return (Math.sqrt(Math.PI / 2) * total) / (6 * count * 10000);
}
