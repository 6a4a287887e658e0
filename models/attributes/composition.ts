// Where the subject sits: saliency centroid against the thirds, subject size, horizon, symmetry.
import { SUBJECT_SALIENCY } from './focus.ts';
import { horizonLine } from './horizon.ts';
import type { PixelScan } from './scan.ts';
import type { Composition, SaliencyMap } from './types.ts';

const THIRDS = [1 / 3, 2 / 3];

/** Saliency-weighted centroid of pixel centres, in [0, 1]; null when the map is all zero. */
export function saliencyCentroid(saliency: SaliencyMap): [number, number] | null {
  const { data, width, height } = saliency;
  let total = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const s = data[y * width + x]!;
      total += s;
      sx += s * (x + 0.5);
      sy += s * (y + 0.5);
    }
  return total > 0 ? [sx / total / width, sy / total / height] : null;
}

/** Distance in photo pixels from a point in [0, 1]² to the nearest thirds intersection, over the diagonal. */
export function thirdsDistance(point: [number, number], width: number, height: number): number {
  let best = Infinity;
  for (const tx of THIRDS)
    for (const ty of THIRDS) best = Math.min(best, Math.hypot((point[0] - tx) * width, (point[1] - ty) * height));
  return best / Math.hypot(width, height);
}

export function subjectSize(saliency: SaliencyMap): number {
  let n = 0;
  for (let i = 0; i < saliency.width * saliency.height; i++) if (saliency.data[i]! >= SUBJECT_SALIENCY) n++;
  return n / (saliency.width * saliency.height);
}

/** 1 − mean |L(x, y) − L(W−1−x, y)| / 255 over the working-size luma. */
export function symmetry(luma: Float32Array, W: number, H: number): number {
  let total = 0;
  const half = Math.floor(W / 2);
  for (let y = 0; y < H; y++)
    for (let x = 0; x < half; x++) total += Math.abs(luma[y * W + x]! - luma[y * W + W - 1 - x]!);
  return half > 0 ? 1 - total / (half * H * 255) : 1;
}

export function compositionOf(scan: PixelScan, saliency: SaliencyMap | null): Composition {
  const centroid = saliency ? saliencyCentroid(saliency) : null;
  const horizon = horizonLine(scan.luma, scan.lumaWidth, scan.lumaHeight);
  return {
    saliencyCentroid: centroid,
    thirdsDistance: centroid ? thirdsDistance(centroid, scan.width, scan.height) : null,
    subjectSize: saliency ? subjectSize(saliency) : null,
    horizonTilt: horizon?.tilt ?? null,
    horizonY: horizon?.y ?? null,
    symmetry: symmetry(scan.luma, scan.lumaWidth, scan.lumaHeight),
  };
}
