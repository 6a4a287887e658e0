// ROUGE-L exactly as pycocoevalcap's Rouge: LCS on space-split tokens, precision and recall maxima
// taken SEPARATELY over the references, then F with beta = 1.2; corpus score = mean over images.
import { imageIds, type CaptionsById, type Scorer } from './types.ts';

const BETA = 1.2;

export function lcsLength(a: readonly string[], b: readonly string[]): number {
  const [long, short] = a.length >= b.length ? [a, b] : [b, a];
  let prev = new Array<number>(short.length + 1).fill(0);
  let cur = new Array<number>(short.length + 1).fill(0);
  for (let i = 1; i <= long.length; i++) {
    for (let j = 1; j <= short.length; j++) {
      cur[j] = long[i - 1] === short[j - 1] ? (prev[j - 1] ?? 0) + 1 : Math.max(prev[j] ?? 0, cur[j - 1] ?? 0);
    }
    [prev, cur] = [cur, prev];
  }
  return prev[short.length] ?? 0;
}

/** ROUGE-L of one candidate against its references (pycocoevalcap's calc_score). */
export function rougeL(candidate: string, refs: readonly string[]): number {
  // str.split(" ") as in rouge.py: an empty caption is one empty token.
  const c = candidate.split(' ');
  let precMax = 0;
  let recMax = 0;
  for (const ref of refs) {
    const r = ref.split(' ');
    const lcs = lcsLength(r, c);
    precMax = Math.max(precMax, lcs / c.length);
    recMax = Math.max(recMax, lcs / r.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  return ((1 + BETA ** 2) * precMax * recMax) / (recMax + BETA ** 2 * precMax);
}

export class Rouge implements Scorer {
  readonly name = 'Rouge';

  computeScore(gts: CaptionsById, res: CaptionsById): { score: number; scores: number[] } {
    const scores = imageIds(gts, res).map((id) => rougeL(res[id]?.[0] ?? '', gts[id] ?? []));
    return { score: scores.reduce((a, b) => a + b, 0) / scores.length, scores };
  }
}
