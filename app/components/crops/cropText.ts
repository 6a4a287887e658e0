// Words for crop suggestions: the aspect, the score change, and the honest line when none gains.
import { cropsThatGain, type ScoredCrop } from '../../../models/crops/search.ts';
import type { CropSuggestionsResult } from '../../../workers/protocol.ts';

/** How many crops are drawn over the photo. */
export const SHOWN_CROPS = 3;

export const aspectLabel = (crop: ScoredCrop): string => (crop.aspect === 'original' ? 'Original ratio' : crop.aspect);

/** "5.12 → 5.80": two decimals, as the score is shown, so small gains do not round away. */
export const scoreChange = (from: number, to: number): string => `${from.toFixed(2)} → ${to.toFixed(2)}`;

/** The best few crops that beat the full frame by more than the noise. */
export const shownCrops = (r: CropSuggestionsResult): ScoredCrop[] => cropsThatGain(r).slice(0, SHOWN_CROPS);

export function noCropLine(r: CropSuggestionsResult): string {
  return (
    `No crop beats the full frame by more than the model's noise (±${r.noise.toFixed(2)}, the score change ` +
    'for a crop one pixel smaller): the frame as shot scores best.'
  );
}
