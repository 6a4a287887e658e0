// Photo pixels -> the model's input tensor values.
import type { IasmInputSpec } from '../packs/iasm.ts';

/** RGBA pixels already resized to the pack's input width×height. */
export interface RgbaImage {
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** NCHW float32 [1, 3, H, W] from RGBA: (value / 255 − mean) / std per channel; alpha is ignored. */
export function rgbaToNchw(image: RgbaImage, spec: Pick<IasmInputSpec, 'mean' | 'std'>): Float32Array {
  const { data, width, height } = image;
  const plane = width * height;
  if (data.length !== plane * 4)
    throw new Error(`RGBA data has ${data.length} bytes, expected ${plane * 4} for ${width}×${height}`);
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const scale = 1 / (255 * spec.std[c]!);
    const shift = spec.mean[c]! / spec.std[c]!;
    for (let i = 0; i < plane; i++) out[c * plane + i] = data[i * 4 + c]! * scale - shift;
  }
  return out;
}
