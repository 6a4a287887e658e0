// CIDEr exactly as pycocoevalcap's Cider / CiderScorer. That code IS CIDEr-D: tf-idf n-gram vectors
// (n = 1..4) with document frequencies over this corpus' reference sets, idf = log(#images) -
// log(max(1, df)), clipped products min(hyp, ref) * ref, a Gaussian length penalty (sigma = 6),
// the mean over n, averaged over the references and x10. Two quirks are kept: the "length" in the
// penalty is the BIGRAM count (cider_scorer.py counts term frequencies of n-grams with index 1),
// and with a single image log(#images) = 0 so every score is 0.
import { imageIds, ngramCounts, splitWords, type CaptionsById, type Scorer } from './types.ts';

interface Vec {
  weights: Map<string, number>[];
  norms: number[];
  length: number;
}

export class Cider implements Scorer {
  readonly name = 'CIDEr';
  constructor(
    private readonly n = 4,
    private readonly sigma = 6,
  ) {}

  computeScore(gts: CaptionsById, res: CaptionsById): { score: number; scores: number[] } {
    const ids = imageIds(gts, res);
    const refCounts = ids.map((id) => (gts[id] ?? []).map((r) => ngramCounts(splitWords(r), this.n)));
    const testCounts = ids.map((id) => ngramCounts(splitWords(res[id]?.[0] ?? ''), this.n));
    const df = new Map<string, number>();
    for (const refs of refCounts) {
      const seen = new Set<string>();
      for (const counts of refs) for (const g of counts.keys()) seen.add(g);
      for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const logImages = Math.log(ids.length);
    const toVec = (counts: Map<string, number>): Vec => {
      const weights = Array.from({ length: this.n }, () => new Map<string, number>());
      const norms = new Array<number>(this.n).fill(0);
      let length = 0;
      for (const [g, tf] of counts) {
        const order = g.split(' ').length - 1;
        const w = tf * (logImages - Math.log(Math.max(1, df.get(g) ?? 0)));
        weights[order]?.set(g, w);
        norms[order] = (norms[order] ?? 0) + w * w;
        if (order === 1) length += tf;
      }
      return { weights, norms: norms.map(Math.sqrt), length };
    };
    const scores = testCounts.map((test, i) => {
      const hyp = toVec(test);
      const refs = refCounts[i] ?? [];
      const sum = new Array<number>(this.n).fill(0);
      for (const refC of refs) {
        const ref = toVec(refC);
        const delta = hyp.length - ref.length;
        const penalty = Math.exp(-(delta * delta) / (2 * this.sigma * this.sigma));
        for (let k = 0; k < this.n; k++) {
          let val = 0;
          const refW = ref.weights[k] ?? new Map<string, number>();
          for (const [g, w] of hyp.weights[k] ?? []) {
            const r = refW.get(g) ?? 0;
            val += Math.min(w, r) * r;
          }
          const hn = hyp.norms[k] ?? 0;
          const rn = ref.norms[k] ?? 0;
          if (hn !== 0 && rn !== 0) val /= hn * rn;
          sum[k] = (sum[k] ?? 0) + val * penalty;
        }
      }
      const mean = sum.reduce((a, b) => a + b, 0) / this.n;
      return (mean / refs.length) * 10;
    });
    return { score: scores.reduce((a, b) => a + b, 0) / scores.length, scores };
  }
}
