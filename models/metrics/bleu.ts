// BLEU-1..4 exactly as pycocoevalcap's Bleu / BleuScorer: corpus-level clipped n-gram counts,
// 'closest' effective reference length, and its tiny/small constants (so a perfect match scores
// 0.99999999975, not 1).
import { imageIds, ngramCounts, splitWords, type CaptionsById, type Scorer } from './types.ts';

const SMALL = 1e-9;
const TINY = 1e-15;

interface Cooked {
  testLen: number;
  refLens: number[];
  guess: number[];
  correct: number[];
}

function cook(test: string, refs: readonly string[], n: number): Cooked {
  const refLens: number[] = [];
  const maxRefCounts = new Map<string, number>();
  for (const ref of refs) {
    const words = splitWords(ref);
    refLens.push(words.length);
    for (const counts of ngramCounts(words, n)) {
      for (const [g, c] of counts) maxRefCounts.set(g, Math.max(maxRefCounts.get(g) ?? 0, c));
    }
  }
  const words = splitWords(test);
  const correct = ngramCounts(words, n).map((counts) => {
    let sum = 0;
    for (const [g, c] of counts) sum += Math.min(maxRefCounts.get(g) ?? 0, c);
    return sum;
  });
  const guess = Array.from({ length: n }, (_, k) => Math.max(0, words.length - k));
  return { testLen: words.length, refLens, guess, correct };
}

// Python's min over (|l - testlen|, l) tuples: the closest length, ties to the shorter one.
function closestRefLen(refLens: readonly number[], testLen: number): number {
  let best = refLens[0] ?? 0;
  for (const l of refLens) {
    const d = Math.abs(l - testLen);
    const bd = Math.abs(best - testLen);
    if (d < bd || (d === bd && l < best)) best = l;
  }
  return best;
}

function bleuFromCounts(
  correct: readonly number[],
  guess: readonly number[],
  testLen: number,
  refLen: number,
): number[] {
  const out: number[] = [];
  let product = 1;
  for (let k = 0; k < correct.length; k++) {
    product *= ((correct[k] ?? 0) + TINY) / ((guess[k] ?? 0) + SMALL);
    out.push(product ** (1 / (k + 1)));
  }
  const ratio = (testLen + TINY) / (refLen + SMALL);
  if (ratio < 1) return out.map((b) => b * Math.exp(1 - 1 / ratio));
  return out;
}

export class Bleu implements Scorer<number[]> {
  readonly name = 'Bleu';
  constructor(private readonly n = 4) {}

  computeScore(gts: CaptionsById, res: CaptionsById): { score: number[]; scores: number[][] } {
    const ids = imageIds(gts, res);
    const totalCorrect = new Array<number>(this.n).fill(0);
    const totalGuess = new Array<number>(this.n).fill(0);
    let testLen = 0;
    let refLen = 0;
    const perImage: number[][] = Array.from({ length: this.n }, () => []);
    for (const id of ids) {
      const c = cook(res[id]?.[0] ?? '', gts[id] ?? [], this.n);
      const r = closestRefLen(c.refLens, c.testLen);
      testLen += c.testLen;
      refLen += r;
      for (let k = 0; k < this.n; k++) {
        totalCorrect[k] = (totalCorrect[k] ?? 0) + (c.correct[k] ?? 0);
        totalGuess[k] = (totalGuess[k] ?? 0) + (c.guess[k] ?? 0);
      }
      bleuFromCounts(c.correct, c.guess, c.testLen, r).forEach((b, k) => perImage[k]?.push(b));
    }
    return { score: bleuFromCounts(totalCorrect, totalGuess, testLen, refLen), scores: perImage };
  }
}
