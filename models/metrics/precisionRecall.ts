// Word-level precision and recall in the style of Chang et al. 2017 (as the ASE-MLLM paper reports
// them): for each image the candidate is compared with each reference, the best precision and the
// best recall are kept (separately), and both are averaged over images. Unit: the words left by
// the shared tokenisation (PTB, lower-case, punctuation dropped), matched with clipped counts
// (multiset intersection), so a word repeated in the candidate counts at most as often as it
// appears in the reference.
import { imageIds, splitWords, type CaptionsById, type Scorer } from './types.ts';

function clippedOverlap(cand: readonly string[], ref: readonly string[]): number {
  const refCounts = new Map<string, number>();
  for (const w of ref) refCounts.set(w, (refCounts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of cand) {
    const left = refCounts.get(w) ?? 0;
    if (left > 0) {
      overlap++;
      refCounts.set(w, left - 1);
    }
  }
  return overlap;
}

/** Best word precision and best word recall of one candidate over its references. */
export function wordPrecisionRecall(candidate: string, refs: readonly string[]): { precision: number; recall: number } {
  const cand = splitWords(candidate);
  let precision = 0;
  let recall = 0;
  for (const r of refs) {
    const ref = splitWords(r);
    const overlap = clippedOverlap(cand, ref);
    if (cand.length > 0) precision = Math.max(precision, overlap / cand.length);
    if (ref.length > 0) recall = Math.max(recall, overlap / ref.length);
  }
  return { precision, recall };
}

/** Scores are [precision, recall] pairs, like Bleu's list of scores. */
export class PrecisionRecall implements Scorer<number[]> {
  readonly name = 'PrecisionRecall';

  computeScore(gts: CaptionsById, res: CaptionsById): { score: number[]; scores: number[][] } {
    const per = imageIds(gts, res).map((id) => wordPrecisionRecall(res[id]?.[0] ?? '', gts[id] ?? []));
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
    return {
      score: [mean(per.map((p) => p.precision)), mean(per.map((p) => p.recall))],
      scores: [per.map((p) => p.precision), per.map((p) => p.recall)],
    };
  }
}
