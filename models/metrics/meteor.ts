// METEOR 1.5 (Denkowski & Lavie 2014) as pycocoevalcap runs it (`-l en -norm`, task "rank"),
// re-implemented with the exact and stem (Snowball English / Porter2) matching stages only: the
// synonym (WordNet) and paraphrase-table stages are not available here. Alignment search, scoring,
// reference selection and corpus aggregation follow meteor-1.5's Aligner / MeteorScorer /
// MeteorStats; README.md lists every difference.
import { meteorNormalize } from './meteorNormalize.ts';
import { porter2Stem } from './porter2.ts';
import { imageIds, type CaptionsById, type Scorer } from './types.ts';

export const METEOR_PARAMS = { alpha: 0.85, beta: 0.2, gamma: 0.6, delta: 0.75 } as const;
/** Module weights of METEOR 1.5 English: exact, stem, synonym, paraphrase. Only the first two are used. */
export const METEOR_MODULE_WEIGHTS = [1.0, 0.6, 0.8, 0.6] as const;
const MODULES = 2; // exact, stem
const BEAM_SIZE = 40;

// METEOR 1.5's English function-word list (resources/function/english.words).
const FUNCTION_WORDS = new Set(
  (
    'the , . to of and a in that for " is on \'s it with was as said at he by be from have has are his ' +
    'but an this not i will \u2019 they ) -rrb- ( -lrb- who their had we which were been more or s its ' +
    'would about new one after you : also up when there than $ all out her people she year two - can ' +
    "if last first \u201C over other \u201D into some what so -- no time years could ? 't \u2014 '"
  ).split(' '),
);

interface Match {
  module: number;
  refPos: number;
  testPos: number;
}

interface Path {
  matches: (Match | null)[];
  testUsed: boolean[];
  refUsed: boolean[];
  // Java ints: weighted match sizes of each side, truncated on every addition (so a single stem
  // match, weight 0.6, adds nothing to the ranking, exactly as in meteor-1.5).
  weighted1: number;
  weighted2: number;
  chunks: number;
  idx: number;
  lastMatchEnd: number;
  distance: number;
}

export interface MeteorStats {
  testLength: number;
  refLength: number;
  testFunctionWords: number;
  refFunctionWords: number;
  testContent: number[];
  refContent: number[];
  testFunction: number[];
  refFunction: number[];
  testTotalMatches: number;
  refTotalMatches: number;
  testWordMatches: number;
  refWordMatches: number;
  chunks: number;
  score: number;
}

function clonePath(p: Path): Path {
  return { ...p, matches: p.matches.slice(), testUsed: p.testUsed.slice(), refUsed: p.refUsed.slice() };
}

function comparePaths(x: Path, y: Path): number {
  const diff = y.weighted1 + y.weighted2 - (x.weighted1 + x.weighted2);
  if (diff !== 0) return diff;
  if (x.chunks !== y.chunks) return x.chunks - y.chunks;
  return x.distance - y.distance;
}

function takeMatch(p: Path, m: Match): void {
  const w = METEOR_MODULE_WEIGHTS[m.module] ?? 0;
  p.weighted1 = Math.trunc(p.weighted1 + w);
  p.weighted2 = Math.trunc(p.weighted2 + w);
  if (p.lastMatchEnd !== -1 && m.testPos !== p.lastMatchEnd) p.chunks++;
  p.idx = m.refPos + 1;
  p.lastMatchEnd = m.testPos + 1;
}

// Stemming dominates METEOR's cost; captions reuse a small vocabulary.
const STEM_CACHE = new Map<string, string>();
function cachedStem(word: string): string {
  let s = STEM_CACHE.get(word);
  if (s === undefined) {
    s = porter2Stem(word);
    if (STEM_CACHE.size > 100_000) STEM_CACHE.clear();
    STEM_CACHE.set(word, s);
  }
  return s;
}

/** Candidate matches per reference position, for the exact and stem stages. */
function findMatches(
  test: readonly string[],
  ref: readonly string[],
): { byRef: Match[][]; testCov: number[]; refCov: number[] } {
  const byRef: Match[][] = ref.map(() => []);
  const testCov = new Array<number>(test.length).fill(0);
  const refCov = new Array<number>(ref.length).fill(0);
  const identical = test.length === ref.length && test.every((w, i) => w === ref[i]);
  const add = (module: number, j: number, i: number): void => {
    byRef[j]?.push({ module, refPos: j, testPos: i });
    testCov[i] = (testCov[i] ?? 0) + 1;
    refCov[j] = (refCov[j] ?? 0) + 1;
  };
  for (let j = 0; j < ref.length; j++) for (let i = 0; i < test.length; i++) if (test[i] === ref[j]) add(0, j, i);
  if (!identical) {
    const testStems = test.map(cachedStem);
    const refStems = ref.map(cachedStem);
    for (let j = 0; j < ref.length; j++) {
      for (let i = 0; i < test.length; i++) if (testStems[i] === refStems[j] && test[i] !== ref[j]) add(1, j, i);
    }
  }
  return { byRef, testCov, refCov };
}

/** METEOR 1.5's beam search over reference positions for the best non-overlapping alignment. */
function align(test: readonly string[], ref: readonly string[]): (Match | null)[] {
  const { byRef, testCov, refCov } = findMatches(test, ref);
  const start: Path = {
    matches: new Array<Match | null>(ref.length).fill(null),
    testUsed: new Array<boolean>(test.length).fill(false),
    refUsed: new Array<boolean>(ref.length).fill(false),
    weighted1: 0,
    weighted2: 0,
    chunks: 0,
    idx: 0,
    lastMatchEnd: -1,
    distance: 0,
  };
  // A position with a single candidate whose words nobody else wants is fixed up front.
  byRef.forEach((cands, j) => {
    const m = cands[0];
    if (cands.length === 1 && m && refCov[j] === 1 && testCov[m.testPos] === 1) {
      start.matches[j] = m;
      start.refUsed[j] = true;
      start.testUsed[m.testPos] = true;
    }
  });
  let next: Path[] = [start];
  for (let current = 0; current <= ref.length; current++) {
    const paths = next.sort(comparePaths);
    next = [];
    for (let rank = 0; rank < BEAM_SIZE && rank < paths.length; rank++) {
      const path = paths[rank] as Path;
      if (current === ref.length) {
        if (path.lastMatchEnd !== -1) path.chunks++;
        next.push(path);
        continue;
      }
      if (path.refUsed[current]) {
        if (current < path.idx) next.push(path);
        else {
          const fixed = path.matches[path.idx];
          if (fixed) {
            takeMatch(path, fixed);
            path.distance += Math.abs(fixed.refPos - fixed.testPos);
            next.push(path);
          }
        }
        continue;
      }
      for (const m of byRef[current] ?? []) {
        if (path.refUsed[m.refPos] || path.testUsed[m.testPos]) continue;
        const np = clonePath(path);
        np.refUsed[m.refPos] = true;
        np.testUsed[m.testPos] = true;
        np.matches[current] = m;
        takeMatch(np, m);
        // meteor-1.5 adds this distance to the parent (skip) path, not the new one; kept as is.
        path.distance += Math.abs(m.refPos - m.testPos);
        next.push(np);
      }
      if (path.lastMatchEnd !== -1) {
        path.chunks++;
        path.lastMatchEnd = -1;
      }
      path.idx++;
      next.push(path);
    }
    if (next.length === 0) next.push(paths[0] as Path);
  }
  return (next.sort(comparePaths)[0] as Path).matches;
}

function countChunks(matches: readonly (Match | null)[]): number {
  let chunks = 0;
  let lastMatchEnd = -1;
  for (const m of matches) {
    if (m === null) {
      if (lastMatchEnd !== -1) {
        chunks++;
        lastMatchEnd = -1;
      }
    } else {
      if (lastMatchEnd !== -1 && m.testPos !== lastMatchEnd) chunks++;
      lastMatchEnd = m.testPos + 1;
    }
  }
  return lastMatchEnd !== -1 ? chunks + 1 : chunks;
}

function emptyStats(): MeteorStats {
  const zeros = (): number[] => new Array<number>(MODULES).fill(0);
  return {
    testLength: 0,
    refLength: 0,
    testFunctionWords: 0,
    refFunctionWords: 0,
    testContent: zeros(),
    refContent: zeros(),
    testFunction: zeros(),
    refFunction: zeros(),
    testTotalMatches: 0,
    refTotalMatches: 0,
    testWordMatches: 0,
    refWordMatches: 0,
    chunks: 0,
    score: 0,
  };
}

const sumWeighted = (v: readonly number[]): number => v.reduce((a, c, i) => a + c * (METEOR_MODULE_WEIGHTS[i] ?? 0), 0);

/** MeteorScorer.computeMetrics: weighted P and R, Fmean, fragmentation penalty. */
export function meteorScoreFromStats(s: MeteorStats): number {
  const { alpha, beta, gamma, delta } = METEOR_PARAMS;
  const testWeightedLength = delta * (s.testLength - s.testFunctionWords) + (1 - delta) * s.testFunctionWords;
  const refWeightedLength = delta * (s.refLength - s.refFunctionWords) + (1 - delta) * s.refFunctionWords;
  const testWeighted = delta * sumWeighted(s.testContent) + (1 - delta) * sumWeighted(s.testFunction);
  const refWeighted = delta * sumWeighted(s.refContent) + (1 - delta) * sumWeighted(s.refFunction);
  const precision = testWeighted / testWeightedLength;
  const recall = refWeighted / refWeightedLength;
  const fMean = 1 / ((1 - alpha) / precision + alpha / recall);
  const exact = s.testTotalMatches === s.testLength && s.refTotalMatches === s.refLength && s.chunks === 1;
  const frag = exact ? 0 : s.chunks / ((s.testWordMatches + s.refWordMatches) / 2);
  const score = fMean * (1 - gamma * frag ** beta);
  return Number.isNaN(score) ? 0 : Math.max(score, 0);
}

/** Statistics of one normalised candidate against one normalised reference. */
export function meteorSegmentStats(test: readonly string[], ref: readonly string[]): MeteorStats {
  const matches = align(test, ref);
  const s = emptyStats();
  s.testLength = test.length;
  s.refLength = ref.length;
  const testFn = test.map((w) => FUNCTION_WORDS.has(w));
  const refFn = ref.map((w) => FUNCTION_WORDS.has(w));
  s.testFunctionWords = testFn.filter(Boolean).length;
  s.refFunctionWords = refFn.filter(Boolean).length;
  for (const m of matches) {
    if (!m) continue;
    const tv = testFn[m.testPos] ? s.testFunction : s.testContent;
    tv[m.module] = (tv[m.module] ?? 0) + 1;
    const rv = refFn[m.refPos] ? s.refFunction : s.refContent;
    rv[m.module] = (rv[m.module] ?? 0) + 1;
  }
  const sum = (v: readonly number[]): number => v.reduce((a, b) => a + b, 0);
  s.testTotalMatches = sum(s.testContent) + sum(s.testFunction);
  s.refTotalMatches = sum(s.refContent) + sum(s.refFunction);
  s.testWordMatches = s.testTotalMatches;
  s.refWordMatches = s.refTotalMatches;
  s.chunks = countChunks(matches);
  s.score = meteorScoreFromStats(s);
  return s;
}

const words = (s: string): string[] => meteorNormalize(s).split(' ').filter(Boolean);

/** Best-scoring reference's statistics for one candidate (METEOR's multi-reference rule). */
export function meteorBestStats(candidate: string, refs: readonly string[]): MeteorStats {
  const test = words(candidate);
  let best: MeteorStats | null = null;
  for (const ref of refs) {
    const s = meteorSegmentStats(test, words(ref));
    if (best === null || s.score > best.score) best = s;
  }
  return best ?? emptyStats();
}

/** MeteorStats.addStats: sums, except chunks of perfect segments. */
function addStats(total: MeteorStats, s: MeteorStats): void {
  total.testLength += s.testLength;
  total.refLength += s.refLength;
  total.testFunctionWords += s.testFunctionWords;
  total.refFunctionWords += s.refFunctionWords;
  total.testTotalMatches += s.testTotalMatches;
  total.refTotalMatches += s.refTotalMatches;
  for (let i = 0; i < MODULES; i++) {
    total.testContent[i] = (total.testContent[i] ?? 0) + (s.testContent[i] ?? 0);
    total.refContent[i] = (total.refContent[i] ?? 0) + (s.refContent[i] ?? 0);
    total.testFunction[i] = (total.testFunction[i] ?? 0) + (s.testFunction[i] ?? 0);
    total.refFunction[i] = (total.refFunction[i] ?? 0) + (s.refFunction[i] ?? 0);
  }
  const perfect = s.testTotalMatches === s.testLength && s.refTotalMatches === s.refLength && s.chunks === 1;
  if (!perfect) total.chunks += s.chunks;
  total.testWordMatches += s.testWordMatches;
  total.refWordMatches += s.refWordMatches;
}

/** Corpus METEOR as pycocoevalcap reports it: one score from the summed per-image statistics. */
export class Meteor implements Scorer {
  readonly name = 'METEOR';

  computeScore(gts: CaptionsById, res: CaptionsById): { score: number; scores: number[] } {
    const total = emptyStats();
    const scores = imageIds(gts, res).map((id) => {
      const s = meteorBestStats(res[id]?.[0] ?? '', gts[id] ?? []);
      addStats(total, s);
      return s.score;
    });
    return { score: meteorScoreFromStats(total), scores };
  }
}
