// Synthetic photos and saliency maps for critic tests: deterministic, no image files needed.
import type { SaliencyMap } from '../critic/crops.ts';
import type { RgbaImage } from '../critic/image.ts';

/** A width×height RGBA photo with a pattern that `seed` varies. */
export function testPhoto(width: number, height: number, seed: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * seed + (i >> 9)) % 251;
  return { data, width, height };
}

/** A 32×24 saliency map: a Gaussian blob centred at (cx, cy) in [0, 1]². */
export function saliencyBlob(cx: number, cy: number): SaliencyMap {
  const [w, h] = [32, 24];
  const data = new Float32Array(w * h);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) data[y * w + x] = Math.exp(-((x - cx * w) ** 2 + (y - cy * h) ** 2) / 8);
  return { data, width: w, height: h };
}
