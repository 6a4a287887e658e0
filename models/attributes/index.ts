// Measured photo attributes: exposure, colour, focus and composition facts from the decoded pixels
// (and the IASM saliency map where one is given). Definitions: README.md beside this file.
import { colourBins, colourOf, type ColourBins } from './colour.ts';
import { compositionOf } from './composition.ts';
import { exposureOf } from './exposure.ts';
import { focusOf } from './focus.ts';
import { lumaNoise } from './noise.ts';
import { scanPixels, type PixelScan } from './scan.ts';
import type { AttributeDetails, AttributeFacts, Attributes, RgbaPixels, SaliencyMap } from './types.ts';

export type * from './types.ts';
export { scanPixels, type PixelScan } from './scan.ts';
export { clippingMask, CLIP_HIGHLIGHT, CLIP_SHADOW, type ClipMask } from './clipping.ts';
export {
  readings,
  groundingFacts,
  groundingSentence,
  GROUNDING_TOKENS,
  depthRatio,
  type Reading,
  type ReadingKey,
} from './readings.ts';

/** What needs the full-resolution pixels: the one pass, the palette's colour bins and the noise estimate. */
export interface PhotoScan {
  scan: PixelScan;
  bins: ColourBins;
  noise: number;
}

export function scanPhoto(image: RgbaPixels): PhotoScan {
  return { scan: scanPixels(image), bins: colourBins(image), noise: lumaNoise(image) };
}

/** All attributes of a scanned photo; those that need saliency are null without it. */
export function attributesOf(photo: PhotoScan, saliency: SaliencyMap | null): Attributes {
  const { scan, bins, noise } = photo;
  return {
    exposure: exposureOf(scan),
    colour: colourOf(scan, bins),
    focus: { ...focusOf(scan, saliency), noise },
    composition: compositionOf(scan, saliency),
  };
}

/** The attributes split into their facts and their details. */
export function splitDetails(a: Attributes): { facts: AttributeFacts; details: AttributeDetails } {
  const { histogram, ...exposure } = a.exposure;
  const { grid, ...focus } = a.focus;
  return { facts: { ...a, exposure, focus }, details: { histogram, sharpnessGrid: grid } };
}

/** The facts joined with their details again. */
export const withDetails = (facts: AttributeFacts, details: AttributeDetails): Attributes => ({
  ...facts,
  exposure: { ...facts.exposure, histogram: details.histogram },
  focus: { ...facts.focus, grid: details.sharpnessGrid },
});

export function measureAttributes(image: RgbaPixels, saliency: SaliencyMap | null): Attributes {
  return attributesOf(scanPhoto(image), saliency);
}
