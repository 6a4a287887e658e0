/** Tokenised captions per image id: tokens joined by single spaces (pycocoevalcap's gts/res shape). */
export type CaptionsById = Readonly<Record<string, readonly string[]>>;

/** One metric, shaped like a pycocoevalcap scorer: corpus score plus one score per image. */
export interface Scorer<Score = number> {
  readonly name: string;
  computeScore(gts: CaptionsById, res: CaptionsById): { score: Score; scores: Score[] };
}

/** Image ids in gts order; throws when gts and res do not hold the same ids (pycocoevalcap asserts). */
export function imageIds(gts: CaptionsById, res: CaptionsById): string[] {
  const ids = Object.keys(gts);
  const resIds = Object.keys(res);
  if (ids.length !== resIds.length || resIds.some((id) => !(id in gts))) {
    throw new Error('references and candidates must cover the same image ids');
  }
  for (const id of ids) {
    if ((res[id]?.length ?? 0) !== 1) throw new Error(`image ${id}: expected exactly one candidate`);
    if ((gts[id]?.length ?? 0) < 1) throw new Error(`image ${id}: expected at least one reference`);
  }
  return ids;
}

/** n-gram counts per order: element k-1 maps each k-gram (words joined by spaces) to its count. */
export function ngramCounts(words: readonly string[], maxN: number): Map<string, number>[] {
  const byOrder: Map<string, number>[] = [];
  for (let k = 1; k <= maxN; k++) {
    const counts = new Map<string, number>();
    for (let i = 0; i + k <= words.length; i++) {
      let key = words[i] as string;
      for (let j = 1; j < k; j++) key += ` ${words[i + j] as string}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    byOrder.push(counts);
  }
  return byOrder;
}

/** Python's str.split() with no argument: split on runs of whitespace, drop empties. */
export function splitWords(s: string): string[] {
  return s.split(/\s+/).filter(Boolean);
}
