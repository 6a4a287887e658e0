// Plain RGBA images (as ImageData / decoded photos give them) and cutting crops out of them.
import type { CropBox } from './crops.ts';

export interface RgbaImage {
  /** width × height × 4 bytes, row-major RGBA. */
  data: Uint8ClampedArray | Uint8Array;
  width: number;
  height: number;
}

/** The pixel rectangle of a normalised crop box: rounded outward, at least 1×1, inside the image. */
export function cropRect(box: CropBox, width: number, height: number) {
  const x0 = Math.max(0, Math.min(width - 1, Math.floor(box.x * width)));
  const y0 = Math.max(0, Math.min(height - 1, Math.floor(box.y * height)));
  const x1 = Math.max(x0 + 1, Math.min(width, Math.ceil((box.x + box.width) * width)));
  const y1 = Math.max(y0 + 1, Math.min(height, Math.ceil((box.y + box.height) * height)));
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** Copies the crop's pixels into a new RGBA image. */
export function cropRgba(image: RgbaImage, box: CropBox): RgbaImage {
  const r = cropRect(box, image.width, image.height);
  const data = new Uint8ClampedArray(r.width * r.height * 4);
  for (let y = 0; y < r.height; y++) {
    const from = ((r.y + y) * image.width + r.x) * 4;
    data.set(image.data.subarray(from, from + r.width * 4), y * r.width * 4);
  }
  return { data, width: r.width, height: r.height };
}
