// Crops of a photo decoded once, as the model sees them: the rectangle's pixels copied out and put
// through the pack's own score preprocessing (preprocessScore), exactly as a file holding that crop is.
import { preprocessScore, type RgbaImage } from '../iasm/preprocess.ts';
import type { IasmInputSpec } from '../packs/iasm.ts';
import type { PixelRect } from './candidates.ts';
import { batchedScorer, type CropScorer } from './search.ts';

/** Crops scored per session run. */
export const CROP_BATCH = 8;

/** The pixels of an integer rectangle inside the photo, as an image of their own. */
export function cropPixels(photo: RgbaImage, rect: PixelRect): RgbaImage {
  const { x, y, width, height } = rect;
  if (x < 0 || y < 0 || x + width > photo.width || y + height > photo.height || width < 1 || height < 1)
    throw new Error(`The crop ${width}×${height} at ${x}, ${y} is not inside the ${photo.width}×${photo.height} photo`);
  const data = new Uint8ClampedArray(width * height * 4);
  for (let row = 0; row < height; row++) {
    const start = ((y + row) * photo.width + x) * 4;
    data.set(photo.data.subarray(start, start + width * 4), row * width * 4);
  }
  return { data, width, height };
}

/**
 * A CropScorer over `photo` (the decoded photo, or a downscaled copy: `toPixels` maps photo
 * rectangles onto it): each crop's score input from preprocessScore, CROP_BATCH per `model` run.
 */
export function cropScorer(
  photo: RgbaImage,
  spec: IasmInputSpec,
  model: (inputs: Float32Array[]) => Promise<Float32Array>,
  toPixels: (rect: PixelRect) => PixelRect = (r) => r,
): CropScorer {
  return batchedScorer((r) => preprocessScore(cropPixels(photo, toPixels(r)), spec).score, model, CROP_BATCH);
}

/** A photo rectangle on a copy of the photo scaled to `to` (rounded to its pixels, kept inside). */
export function scaleRect(
  rect: PixelRect,
  from: { width: number; height: number },
  to: { width: number; height: number },
) {
  const sx = to.width / from.width;
  const sy = to.height / from.height;
  const x = Math.min(to.width - 1, Math.round(rect.x * sx));
  const y = Math.min(to.height - 1, Math.round(rect.y * sy));
  return {
    x,
    y,
    width: Math.max(1, Math.min(to.width, Math.round((rect.x + rect.width) * sx)) - x),
    height: Math.max(1, Math.min(to.height, Math.round((rect.y + rect.height) * sy)) - y),
  };
}
