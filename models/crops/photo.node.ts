// Crops of a photo decoded once in Node: resampled for the model with the same sharp resize a photo
// file gets (readRgba), and written as files.
import sharp, { type Sharp } from 'sharp';
import { readRgba } from '../common/readRgba.node.ts';
import type { ScoreRunner } from '../iasm/scoreRunner.ts';
import type { PixelRect, SaliencyGrid } from './candidates.ts';
import { batchedScorer, suggestCrops, type CropSuggestions } from './search.ts';

/** Full-size RGBA pixels of the oriented photo. */
export interface PhotoPixels {
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
}

/** Crops scored per session run. */
export const CROP_BATCH = 8;

function cropOf(pixels: PhotoPixels, rect: PixelRect): Sharp {
  return sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } }).extract({
    left: rect.x,
    top: rect.y,
    width: rect.width,
    height: rect.height,
  });
}

/** The crop at the model's input size, exactly as a file holding that crop would be read. */
export function resampleCrop(pixels: PhotoPixels, rect: PixelRect, size: { width: number; height: number }) {
  return readRgba(cropOf(pixels, rect), size, 'fill');
}

/** Ranked crop suggestions for a photo, its crops scored CROP_BATCH at a time. */
export function suggestPhotoCrops(
  pixels: PhotoPixels,
  saliency: SaliencyGrid,
  runner: ScoreRunner,
): Promise<CropSuggestions> {
  const scorer = batchedScorer(
    (r) => resampleCrop(pixels, r, runner.input),
    (images) => runner.score(images),
    CROP_BATCH,
  );
  return suggestCrops(pixels.width, pixels.height, saliency, scorer);
}

/** Writes the crop at full resolution as a PNG (lossless, so reading it back gives these pixels). */
export async function writeCropPng(pixels: PhotoPixels, rect: PixelRect, file: string): Promise<void> {
  await cropOf(pixels, rect).png().toFile(file);
}
