// The dominant near-horizontal line by a Hough transform over edge pixels of the working-size luma.
// Lines y = b + x·tan φ (image coordinates, y down) with |φ| ≤ MAX_TILT; each edge pixel votes for the
// angles within VOTE_SPREAD of its own edge direction. The tilt is −φ (positive = rising to the right).

export const MAX_TILT_DEGREES = 20;
const STEP_DEGREES = 0.1;
const VOTE_SPREAD_DEGREES = 5;
/** Sobel magnitude (unnormalised, on 0–255 luma) of an edge pixel: a step of about 25 grey levels. */
const EDGE_MAGNITUDE = 100;
/** A line must gather votes from at least this fraction of the image width. */
export const MIN_LINE_VOTES = 0.5;

export interface HorizonLine {
  /** Degrees, positive = rising to the right. */
  tilt: number;
  /** Where the line crosses the vertical centre line, as a fraction of the height from the top. */
  y: number;
}

export function horizonTilt(luma: Float32Array, W: number, H: number): number | null {
  return horizonLine(luma, W, H)?.tilt ?? null;
}

export function horizonLine(luma: Float32Array, W: number, H: number): HorizonLine | null {
  if (W < 3 || H < 3) return null;
  const angles = Math.round((2 * MAX_TILT_DEGREES) / STEP_DEGREES) + 1;
  const tans = Float64Array.from({ length: angles }, (_, a) =>
    Math.tan(((-MAX_TILT_DEGREES + a * STEP_DEGREES) * Math.PI) / 180),
  );
  const cx = W / 2;
  const cy = H / 2;
  const reach = Math.ceil(cy + cx * Math.tan((MAX_TILT_DEGREES * Math.PI) / 180)) + 2;
  const span = 2 * reach + 1;
  const acc = new Float32Array(angles * span);
  const spread = Math.round(VOTE_SPREAD_DEGREES / STEP_DEGREES);
  const maxSlope = Math.tan(((MAX_TILT_DEGREES + VOTE_SPREAD_DEGREES) * Math.PI) / 180);
  for (let y = 1; y < H - 1; y++) {
    for (let x = 1; x < W - 1; x++) {
      const i = y * W + x;
      const gx =
        luma[i - W + 1]! + 2 * luma[i + 1]! + luma[i + W + 1]! - luma[i - W - 1]! - 2 * luma[i - 1]! - luma[i + W - 1]!;
      const gy =
        luma[i + W - 1]! + 2 * luma[i + W]! + luma[i + W + 1]! - luma[i - W - 1]! - 2 * luma[i - W]! - luma[i - W + 1]!;
      if (gx * gx + gy * gy < EDGE_MAGNITUDE * EDGE_MAGNITUDE) continue;
      // Along the edge, the gradient is normal: direction (1, −gx/gy).
      const slope = -gx / gy;
      if (!(Math.abs(slope) <= maxSlope)) continue;
      const own = Math.round(((Math.atan(slope) * 180) / Math.PI + MAX_TILT_DEGREES) / STEP_DEGREES);
      const from = Math.max(0, own - spread);
      const to = Math.min(angles - 1, own + spread);
      for (let a = from; a <= to; a++) {
        const b = Math.round(y - cy - (x - cx) * tans[a]!) + reach;
        acc[a * span + b]!++;
      }
    }
  }
  // A drawn line's edge spans two or three rows: score each intercept with its neighbours.
  let best = -1;
  let bestAngle = 0;
  let bestIntercept = 0;
  for (let a = 0; a < angles; a++)
    for (let b = 1; b < span - 1; b++) {
      const o = a * span + b;
      const score = acc[o - 1]! + acc[o]! + acc[o + 1]!;
      if (score > best) [best, bestAngle, bestIntercept] = [score, a, b];
    }
  if (best < MIN_LINE_VOTES * W) return null;
  // Rounded to the step (also turns −0 into 0).
  const tilt = Math.round((MAX_TILT_DEGREES - bestAngle * STEP_DEGREES) / STEP_DEGREES) * STEP_DEGREES + 0;
  return { tilt, y: (bestIntercept - reach + cy + 0.5) / H };
}
