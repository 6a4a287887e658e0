// Scores a photo's crop candidates with the aesthetic model and ranks them, with the model's noise:
// how much the score moves for crops nobody could tell from the full frame.
import { cropCandidates, type CropRect, type PixelRect, type SaliencyGrid } from './candidates.ts';

export interface ScoredCrop extends CropRect {
  score: number;
}

/** Scores of crops of the photo, in the order given (the caller batches and resamples). */
export type CropScorer = (rects: readonly PixelRect[]) => Promise<Float32Array>;

export interface CropSuggestions {
  /** Every candidate, best first; the full frame is among them as aspect 'original' at 0, 0. */
  crops: ScoredCrop[];
  /** The full frame's score, as scored with the candidates. */
  fullFrame: number;
  /**
   * The model's noise on this photo: the largest score change among the full frame trimmed by one
   * pixel on one side (four crops) and inset by 1 % on every side. A crop gains only above it.
   */
  noise: number;
}

/** Crops a viewer cannot tell from the full frame: one pixel off each side, and a 1 % inset. */
export function noiseProbes(width: number, height: number): PixelRect[] {
  const probes: PixelRect[] = [];
  if (width > 1) probes.push({ x: 1, y: 0, width: width - 1, height }, { x: 0, y: 0, width: width - 1, height });
  if (height > 1) probes.push({ x: 0, y: 1, width, height: height - 1 }, { x: 0, y: 0, width, height: height - 1 });
  const dx = Math.round(width * 0.01);
  const dy = Math.round(height * 0.01);
  if (dx > 0 && dy > 0) probes.push({ x: dx, y: dy, width: width - 2 * dx, height: height - 2 * dy });
  return probes;
}

/** Scores the candidates and the noise probes in one pass and ranks the candidates, best first. */
export async function suggestCrops(
  width: number,
  height: number,
  saliency: SaliencyGrid,
  score: CropScorer,
): Promise<CropSuggestions> {
  const candidates = cropCandidates(width, height, saliency);
  const probes = noiseProbes(width, height);
  const scores = await score([...candidates, ...probes]);
  if (scores.length !== candidates.length + probes.length)
    throw new Error(`The scorer returned ${scores.length} scores for ${candidates.length + probes.length} crops`);
  const fullFrame = scores[0]!;
  let noise = 0;
  for (let i = 0; i < probes.length; i++) noise = Math.max(noise, Math.abs(scores[candidates.length + i]! - fullFrame));
  const crops = candidates.map((c, i) => ({ ...c, score: scores[i]! })).sort((a, b) => b.score - a.score);
  return { crops, fullFrame, noise };
}

/** The crops that beat the full frame by more than the noise, best first (none: keep the frame). */
export function cropsThatGain(suggestions: CropSuggestions): ScoredCrop[] {
  return suggestions.crops.filter((c) => c.score - suggestions.fullFrame > suggestions.noise);
}

/**
 * A CropScorer from a batched model and a resampler: crops go to the model `batch` at a time, each
 * resampled by `resample` (the pack's own preprocessing, applied to the crop).
 */
export function batchedScorer<Image>(
  resample: (rect: PixelRect) => Promise<Image> | Image,
  model: (images: Image[]) => Promise<Float32Array>,
  batch: number,
): CropScorer {
  return async (rects) => {
    const out = new Float32Array(rects.length);
    for (let start = 0; start < rects.length; start += batch) {
      const chunk = rects.slice(start, start + batch);
      const images = await Promise.all(chunk.map((r) => resample(r)));
      out.set(await model(images), start);
    }
    return out;
  };
}

/** One line on the best crop: what it gains over the full frame, or that none gains more than the noise. */
export function describeBestCrop(suggestions: CropSuggestions, digits = 2): string {
  const noise = `±${suggestions.noise.toFixed(digits)}`;
  const [best] = cropsThatGain(suggestions);
  if (!best)
    return `No crop beats the full frame by more than the model's noise (${noise}): the frame as shot scores best.`;
  const f = (v: number) => v.toFixed(digits);
  return (
    `${best.aspect} ${best.width}×${best.height} at ${best.x}, ${best.y}: ${f(suggestions.fullFrame)} → ${f(best.score)}` +
    ` (noise ${noise})`
  );
}
