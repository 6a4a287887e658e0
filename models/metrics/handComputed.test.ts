// Each expected value is derived by hand in the comments from the metric's definition.
import { describe, expect, it } from 'vitest';
import { Bleu } from './bleu.ts';
import { Cider } from './cider.ts';
import { Meteor, meteorBestStats } from './meteor.ts';
import { wordPrecisionRecall } from './precisionRecall.ts';
import { lcsLength, rougeL } from './rouge.ts';

const SMALL = 1e-9;
const TINY = 1e-15;

describe('BLEU by hand', () => {
  it('two images, corpus counts and closest reference length', () => {
    // img a: cand "a b c d" (4 words), refs "a b c e" (4), "a b" (2) -> closest length 4.
    //   1-grams a b c d: clipped matches a b c = 3 / 4 ; 2-grams ab bc cd: ab bc = 2 / 3
    //   3-grams abc bcd: abc = 1 / 2 ; 4-grams abcd: 0 / 1
    // img b: cand "x y" (2), ref "x y z" (3) -> closest length 3.
    //   1-grams 2/2, 2-grams 1/1, 3- and 4-grams: 0/0.
    // corpus: correct [5,3,1,0], guess [6,4,2,1], testlen 6, reflen 7 -> BP = exp(1 - 7/6).
    const gts = { a: ['a b c e', 'a b'], b: ['x y z'] };
    const res = { a: ['a b c d'], b: ['x y'] };
    const { score, scores } = new Bleu(4).computeScore(gts, res);
    const p = [(5 + TINY) / (6 + SMALL), (3 + TINY) / (4 + SMALL), (1 + TINY) / (2 + SMALL), TINY / (1 + SMALL)];
    const ratio = (6 + TINY) / (7 + SMALL);
    const bp = Math.exp(1 - 1 / ratio);
    let prod = 1;
    p.forEach((pk, k) => {
      prod *= pk;
      expect(score[k]).toBeCloseTo(prod ** (1 / (k + 1)) * bp, 14);
    });
    // Per-image BLEU-1 of b: (2/2) with BP exp(1 - 3/2).
    expect(scores[0]?.[1]).toBeCloseTo(Math.exp(1 - 1.5), 8);
  });

  it('closest length ties go to the shorter reference', () => {
    // cand 3 words, refs of 2 and 4 words: both at distance 1, Python's min picks (1, 2) -> 2, no BP.
    const { score } = new Bleu(1).computeScore({ a: ['p q', 'p q r s'] }, { a: ['p q r'] });
    expect(score[0]).toBeCloseTo((3 + TINY) / (3 + SMALL), 12);
  });
});

describe('ROUGE-L by hand', () => {
  it('keeps the best precision and the best recall separately', () => {
    // cand "a b c d e" (5). ref1 "a b c" : LCS 3 -> P 3/5, R 3/3 = 1.
    // ref2 "a x b x c x d x e x" (10): LCS 5 -> P 5/5 = 1, R 5/10.
    // P_max = 1, R_max = 1 -> F = 1 even though no single reference gives both.
    expect(lcsLength('a x b x c x d x e x'.split(' '), 'a b c d e'.split(' '))).toBe(5);
    expect(rougeL('a b c d e', ['a b c', 'a x b x c x d x e x'])).toBeCloseTo(1, 15);
    // One reference "a c b" vs cand "a b": LCS 2 -> P 1, R 2/3; F = (1+1.44)·1·(2/3)/((2/3)+1.44·1).
    expect(rougeL('a b', ['a c b'])).toBeCloseTo((2.44 * (2 / 3)) / (2 / 3 + 1.44), 15);
  });
});

describe('CIDEr-D by hand', () => {
  it('unigram-only corpus of two images', () => {
    // n = 1 to keep it small; two images, so idf = log 2 - log df.
    // img a: refs ["cat"], cand "cat"; img b: refs ["dog"], cand "dog".
    // df(cat) = df(dog) = 1 -> weight log 2 each; cosine 1 with clipping min(w, w)·w / (w·w) = 1.
    // lengths are bigram counts = 0 on both sides -> no penalty; mean over n=1 is 1; ×10 = 10.
    const { score, scores } = new Cider(1).computeScore({ a: ['cat'], b: ['dog'] }, { a: ['cat'], b: ['dog'] });
    expect(scores).toEqual([10, 10]);
    expect(score).toBe(10);
  });

  it('clipping, df over references and the bigram-length Gaussian penalty', () => {
    // n = 1, three images. refs: a ["red red car"], b ["blue car"], c ["green tree"]. cand a: "red car car".
    // df: red 1, car 2, blue 1, green 1, tree 1; log N = log 3.
    // cand a vector: red 1·(log3 - 0), car 2·(log3 - log2). ref a: red 2·log3, car 1·(log3 - log2).
    // clipped dot: min(log3, 2log3)·2log3 + min(2(log3-log2), log3-log2)·(log3-log2).
    // norms: |cand| = sqrt(log3² + 4(log3-log2)²), |ref| = sqrt(4log3² + (log3-log2)²).
    // bigram lengths: cand 2, ref 2 -> no penalty.
    const L3 = Math.log(3);
    const idfCar = Math.log(3) - Math.log(2);
    const dot = L3 * 2 * L3 + idfCar * idfCar;
    const expectedA = (dot / (Math.sqrt(L3 ** 2 + 4 * idfCar ** 2) * Math.sqrt(4 * L3 ** 2 + idfCar ** 2))) * 10;
    const { scores } = new Cider(1).computeScore(
      { a: ['red red car'], b: ['blue car'], c: ['green tree'] },
      { a: ['red car car'], b: ['blue car'], c: ['a green tree on a hill'] },
    );
    expect(scores[0]).toBeCloseTo(expectedA, 12);
    // c with n = 1: cand "a"×2, "on", "hill" have df 0 -> weight log3 each but no reference weight;
    // green, tree (df 1) match. |cand|² = (2L3)² + 4·L3² = 8L3², |ref|² = 2L3², dot = 2L3² -> cos 1/2.
    // With n = 1 no bigrams are counted, so both "lengths" are 0 and there is no penalty: 0.5 × 10.
    const expectedC = 5;
    expect(scores[2]).toBeCloseTo(expectedC, 12);
  });

  it('the Gaussian penalty uses bigram counts (n = 2)', () => {
    // Same corpus, n = 2, image c. Unigram part as above: cos 1/2. Bigrams: cand has 5 ("a green",
    // "green tree", "tree on", "on a", "a hill"), all weight log3; ref has "green tree" (log3).
    // cos = L3² / (sqrt(5)·L3 · L3) = 1/sqrt(5). Lengths 5 vs 1 bigram -> exp(-(4²)/(2·6²)).
    // score = mean(1/2, 1/sqrt5) · penalty · 10.
    const { scores } = new Cider(2).computeScore(
      { a: ['red red car'], b: ['blue car'], c: ['green tree'] },
      { a: ['red car car'], b: ['blue car'], c: ['a green tree on a hill'] },
    );
    expect(scores[2]).toBeCloseTo(((0.5 + 1 / Math.sqrt(5)) / 2) * Math.exp(-16 / 72) * 10, 12);
  });
});

describe('METEOR by hand', () => {
  it('exact + stem matches, function words, chunks', () => {
    // cand "the dogs run fast", ref "the dog runs": normalised words as given.
    // matches: the=the (exact), dogs~dog (stem), run~runs (stem); "fast" unmatched.
    // function words (METEOR list): "the" on both sides.
    // test: length 4, 1 function word; ref: length 3, 1 function word; delta 0.75.
    // weighted test length = .75·3 + .25·1 = 2.5; weighted ref length = .75·2 + .25·1 = 1.75.
    // weighted matches: content 2 stem (0.6 each), function 1 exact:
    //   test = .75·(2·0.6) + .25·1 = 1.15 ; ref = same = 1.15.
    // P = 1.15/2.5 = 0.46, R = 1.15/1.75; Fmean = 1 / (0.15/P + 0.85/R).
    // all three matches are contiguous and in order -> 1 chunk; frag = 1 / ((3+3)/2) = 1/3.
    // score = Fmean · (1 - 0.6·(1/3)^0.2).
    const s = meteorBestStats('the dogs run fast', ['the dog runs']);
    const P = 1.15 / 2.5;
    const R = 1.15 / 1.75;
    const fMean = 1 / (0.15 / P + 0.85 / R);
    expect(s.chunks).toBe(1);
    expect(s.score).toBeCloseTo(fMean * (1 - 0.6 * (1 / 3) ** 0.2), 12);
  });

  it('fragmentation: reversed order gives one chunk per word; best reference wins', () => {
    // cand "b a", ref "a b": both content words, 2 exact matches, 2 chunks.
    // P = R = 1 -> Fmean 1; frag = 2 / 2 = 1 -> score = 1 - 0.6 = 0.4.
    expect(meteorBestStats('b a', ['a b']).score).toBeCloseTo(0.4, 12);
    expect(meteorBestStats('b a', ['a b', 'b a']).score).toBe(1);
  });

  it('corpus score comes from summed statistics, not the mean of image scores', () => {
    // image 1: "b a" vs "a b" -> 2 matches, 2 chunks (score 0.4); image 2: "c" vs "c" perfect
    // (its chunk is not summed). Totals: lengths 3/3, matches 3/3, chunks 2 -> P = R = 1,
    // frag = 2 / 3 -> score = 1 - 0.6·(2/3)^0.2.
    const { score, scores } = new Meteor().computeScore({ x: ['a b'], y: ['c'] }, { x: ['b a'], y: ['c'] });
    expect(scores).toEqual([expect.closeTo(0.4, 12), 1]);
    expect(score).toBeCloseTo(1 - 0.6 * (2 / 3) ** 0.2, 12);
  });
});

describe('Precision / Recall by hand', () => {
  it('clipped word overlap, best precision and best recall kept separately', () => {
    // cand "the the cat" (3 words). ref1 "the cat sat" : overlap the, cat = 2 (second "the" clipped)
    //   -> P 2/3, R 2/3. ref2 "the cat" : overlap 2 -> P 2/3, R 2/2 = 1.
    expect(wordPrecisionRecall('the the cat', ['the cat sat', 'the cat'])).toEqual({
      precision: 2 / 3,
      recall: 1,
    });
  });
});
