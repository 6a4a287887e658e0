import type { SaliencyMap } from './regions.ts';

/**
 * Saliency at (u, v) ∈ [0, 1]² of the photo, bilinear between texel centres with clamped
 * edges: the same value the GPU's LINEAR sampler shows under the pointer.
 */
export function sampleSaliency(map: SaliencyMap, u: number, v: number): number {
  const { width: w, height: h, data } = map;
  const x = Math.min(w - 1, Math.max(0, u * w - 0.5));
  const y = Math.min(h - 1, Math.max(0, v * h - 0.5));
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const x1 = Math.min(w - 1, x0 + 1);
  const y1 = Math.min(h - 1, y0 + 1);
  const fx = x - x0;
  const fy = y - y0;
  const at = (xx: number, yy: number): number => data[yy * w + xx]!;
  const top = at(x0, y0) * (1 - fx) + at(x1, y0) * fx;
  const bottom = at(x0, y1) * (1 - fx) + at(x1, y1) * fx;
  return top * (1 - fy) + bottom * fy;
}
