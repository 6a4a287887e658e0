// Luma noise by Immerkær's estimator (J. Immerkær, "Fast Noise Variance Estimation", CVIU 1996):
// σ = √(π/2) · Σ|I ∗ N| / (6 · count), N = [1 −2 1; −2 4 −2; 1 −2 1], at full resolution.
import type { RgbaPixels } from './types.ts';

/** Rows sampled for the estimate; evenly spaced interior rows keep the cost a fraction of one pass. */
export const NOISE_ROWS = 512;

function lumaRow(data: RgbaPixels['data'], width: number, y: number, out: Float32Array): void {
  for (let x = 0, i = y * width * 4; x < width; x++, i += 4)
    out[x] = 0.2126 * data[i]! + 0.7152 * data[i + 1]! + 0.0722 * data[i + 2]!;
}

/** Standard deviation of the luma noise (0–255 scale); 0 for images under 3×3 pixels. */
export function lumaNoise(image: RgbaPixels): number {
  const { data, width: W, height: H } = image;
  if (W < 3 || H < 3) return 0;
  const step = Math.max(1, Math.ceil((H - 2) / NOISE_ROWS));
  const above = new Float32Array(W);
  const row = new Float32Array(W);
  const below = new Float32Array(W);
  let total = 0;
  let count = 0;
  for (let y = 1; y < H - 1; y += step) {
    lumaRow(data, W, y - 1, above);
    lumaRow(data, W, y, row);
    lumaRow(data, W, y + 1, below);
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
  return (Math.sqrt(Math.PI / 2) * total) / (6 * count);
}
