// Crops of a photo decoded once in Node: ranked suggestions, and the crops written as files.
import sharp from 'sharp';
import type { RgbaImage } from '../iasm/preprocess.ts';
import type { ScoreRunner } from '../iasm/scoreRunner.ts';
import type { PixelRect, SaliencyGrid } from './candidates.ts';
import { cropScorer } from './pixels.ts';
import { suggestCrops, type CropSuggestions } from './search.ts';

/** Ranked crop suggestions for a photo (full-size RGBA of the oriented photo). */
export function suggestPhotoCrops(
  pixels: RgbaImage,
  saliency: SaliencyGrid,
  runner: ScoreRunner,
): Promise<CropSuggestions> {
  const scorer = cropScorer(pixels, runner.input, (inputs) => runner.score(inputs));
  return suggestCrops(pixels.width, pixels.height, saliency, scorer);
}

/** Writes the crop at full resolution as a PNG (lossless, so reading it back gives these pixels). */
export async function writeCropPng(pixels: RgbaImage, rect: PixelRect, file: string): Promise<void> {
  await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: 4 } })
    .extract({ left: rect.x, top: rect.y, width: rect.width, height: rect.height })
    .png()
    .toFile(file);
}
