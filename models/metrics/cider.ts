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
    // Two passes over the references (document frequencies, then scores) instead of keeping every
    // reference's n-gram maps alive: on large corpora the retained maps made GC dominate.
    const grams = (s: string): Map<string, number>[] => ngramCounts(splitWords(s), this.n);
    const df = new Map<string, number>();
    for (const id of ids) {
      const seen = new Set<string>();
      for (const ref of gts[id] ?? []) for (const counts of grams(ref)) for (const g of counts.keys()) seen.add(g);
      for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
    }
    const logImages = Math.log(ids.length);
    const toVec = (byOrder: Map<string, number>[]): Vec => {
      let length = 0;
      const norms: number[] = [];
      const weights = byOrder.map((counts, order) => {
        const w = new Map<string, number>();
        let norm = 0;
        for (const [g, tf] of counts) {
          const x = tf * (logImages - Math.log(Math.max(1, df.get(g) ?? 0)));
          w.set(g, x);
          norm += x * x;
          if (order === 1) length += tf;
        }
        norms.push(Math.sqrt(norm));
        return w;
      });
      return { weights, norms, length };
    };
    const scores = ids.map((id) => {
      const hyp = toVec(grams(res[id]?.[0] ?? ''));
      const refs = gts[id] ?? [];
      const sum = new Array<number>(this.n).fill(0);
      for (const refText of refs) {
        const ref = toVec(grams(refText));
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
