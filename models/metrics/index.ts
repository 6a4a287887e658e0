// AIC metrics as the ASE-MLLM paper reports them, computed like pycocoevalcap: tokenise once, then
// run each scorer on the same tokenised captions. Isomorphic (no Node or DOM APIs).
import { Bleu } from './bleu.ts';
import { Cider } from './cider.ts';
import { Meteor } from './meteor.ts';
import { PrecisionRecall } from './precisionRecall.ts';
import { tokenizeCaptions } from './ptbTokenizer.ts';
import { Rouge } from './rouge.ts';

export { Bleu } from './bleu.ts';
export { Cider } from './cider.ts';
export { Meteor, meteorBestStats, meteorScoreFromStats, METEOR_PARAMS, METEOR_MODULE_WEIGHTS } from './meteor.ts';
export type { MeteorStats } from './meteor.ts';
export { PrecisionRecall, wordPrecisionRecall } from './precisionRecall.ts';
export { Rouge, rougeL, lcsLength } from './rouge.ts';
export { COCO_PUNCTUATION, ptbTokenize, tokenizeCaption, tokenizeCaptions } from './ptbTokenizer.ts';
export type { CaptionsById, Scorer } from './types.ts';

export const METRIC_NAMES = [
  'BLEU-1',
  'BLEU-2',
  'BLEU-3',
  'BLEU-4',
  'METEOR',
  'ROUGE-L',
  'CIDEr',
  'Precision',
  'Recall',
] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type MetricScores = Record<MetricName, number>;

/** Metrics the paper reports that cannot be computed here (they need Stanford CoreNLP's scene-graph parser). */
export const UNAVAILABLE_METRICS = {
  SPICE: 'needs the SPICE scene-graph parser (Stanford CoreNLP, Java); not computed',
  'SPICE-L': 'needs the SPICE scene-graph parser (Stanford CoreNLP, Java); not computed',
} as const;

export interface CaptionEvaluation {
  /** Corpus-level scores (what pycocoevalcap prints). */
  metrics: MetricScores;
  /** Per-image scores, keyed by image id. */
  perImage: Record<string, MetricScores>;
}

/** Ids present in one map and missing in the other, for clear user-facing errors. */
export function mismatchedIds(
  refs: Readonly<Record<string, unknown>>,
  cands: Readonly<Record<string, unknown>>,
): { missingCandidates: string[]; missingReferences: string[] } {
  return {
    missingCandidates: Object.keys(refs).filter((id) => !(id in cands)),
    missingReferences: Object.keys(cands).filter((id) => !(id in refs)),
  };
}

/**
 * Scores raw (untokenised) candidates against raw references, one candidate per image id.
 * Throws with the offending ids when the two maps do not match or an image has no reference.
 */
export function evaluateCaptions(
  refs: Readonly<Record<string, readonly string[]>>,
  cands: Readonly<Record<string, string>>,
): CaptionEvaluation {
  const { missingCandidates, missingReferences } = mismatchedIds(refs, cands);
  if (missingCandidates.length || missingReferences.length) {
    const parts = [];
    if (missingCandidates.length) parts.push(`no candidate for image id(s): ${missingCandidates.join(', ')}`);
    if (missingReferences.length) parts.push(`no references for image id(s): ${missingReferences.join(', ')}`);
    throw new Error(parts.join('; '));
  }
  const ids = Object.keys(refs);
  if (ids.length === 0) throw new Error('no images to score');
  const empty = ids.filter((id) => (refs[id]?.length ?? 0) === 0);
  if (empty.length) throw new Error(`image id(s) with an empty reference list: ${empty.join(', ')}`);

  const gts = tokenizeCaptions(refs);
  const res = tokenizeCaptions(Object.fromEntries(ids.map((id) => [id, [cands[id] ?? '']])));
  // Same id order in both maps (pycocoevalcap iterates gts.keys()).
  const resOrdered = Object.fromEntries(ids.map((id) => [id, res[id] ?? []]));

  const bleu = new Bleu(4).computeScore(gts, resOrdered);
  const meteor = new Meteor().computeScore(gts, resOrdered);
  const rouge = new Rouge().computeScore(gts, resOrdered);
  const cider = new Cider().computeScore(gts, resOrdered);
  const pr = new PrecisionRecall().computeScore(gts, resOrdered);

  const at = (xs: readonly number[] | undefined, i: number): number => xs?.[i] ?? Number.NaN;
  const pick = (i: number | null): MetricScores => ({
    'BLEU-1': i === null ? at(bleu.score, 0) : at(bleu.scores[0], i),
    'BLEU-2': i === null ? at(bleu.score, 1) : at(bleu.scores[1], i),
    'BLEU-3': i === null ? at(bleu.score, 2) : at(bleu.scores[2], i),
    'BLEU-4': i === null ? at(bleu.score, 3) : at(bleu.scores[3], i),
    METEOR: i === null ? meteor.score : at(meteor.scores, i),
    'ROUGE-L': i === null ? rouge.score : at(rouge.scores, i),
    CIDEr: i === null ? cider.score : at(cider.scores, i),
    Precision: i === null ? at(pr.score, 0) : at(pr.scores[0], i),
    Recall: i === null ? at(pr.score, 1) : at(pr.scores[1], i),
  });
  return { metrics: pick(null), perImage: Object.fromEntries(ids.map((id, i) => [id, pick(i)])) };
}
