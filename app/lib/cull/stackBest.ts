// The best photo of a stack, and a one-line reason saying what it does better than the next best,
// from the measured facts (saliency-weighted sharpness, clipping, noise, horizon, placement).
import type { AttributeFacts } from '../../../models/attributes/index.ts';

export interface StackMember {
  id: string;
  score?: number;
  /** Measured attributes; the saliency-dependent ones are null until measured with the map. */
  attributes?: AttributeFacts;
}

export interface StackPick {
  best: string;
  reason: string;
}

/** One thing the best does better, and by how much (relative, to choose the strongest two). */
interface Advantage {
  words: string;
  strength: number;
}

const clippedShare = (a: AttributeFacts, which: 'clippedHighlights' | 'clippedShadows'): number => a.exposure[which];

/** What `best` does clearly better than `other`, strongest first. */
function advantages(best: AttributeFacts, other: AttributeFacts): Advantage[] {
  const out: Advantage[] = [];
  const { subjectSharpness: bs, overall: bo } = best.focus;
  const { subjectSharpness: os, overall: oo } = other.focus;
  const [mine, theirs, words] = bs !== null && os !== null ? [bs, os, 'sharper subject'] : [bo, oo, 'sharper'];
  if (mine > theirs * 1.25 && mine - theirs > 1) out.push({ words, strength: mine / Math.max(theirs, 1e-6) - 1 });
  for (const [which, words] of [
    ['clippedHighlights', 'fewer clipped highlights'],
    ['clippedShadows', 'fewer blocked shadows'],
  ] as const) {
    const [m, t] = [clippedShare(best, which), clippedShare(other, which)];
    // Half a percent of the frame at least, and under 70 % of the other's.
    if (t - m >= 0.005 && m < t * 0.7) out.push({ words, strength: (t - m) / t });
  }
  if (best.focus.noise < other.focus.noise * 0.8 && other.focus.noise - best.focus.noise > 0.5)
    out.push({ words: 'less noise', strength: 1 - best.focus.noise / other.focus.noise });
  const [bt, ot] = [best.composition.horizonTilt, other.composition.horizonTilt];
  if (bt !== null && ot !== null && Math.abs(ot) - Math.abs(bt) >= 1)
    out.push({ words: 'straighter horizon', strength: (Math.abs(ot) - Math.abs(bt)) / Math.abs(ot) });
  const [bd, od] = [best.composition.thirdsDistance, other.composition.thirdsDistance];
  if (bd !== null && od !== null && od - bd >= 0.05)
    out.push({ words: 'subject nearer a third', strength: (od - bd) / 0.2 });
  return out.sort((a, b) => b.strength - a.strength);
}

const rank = (a: StackMember, b: StackMember): number =>
  (b.score ?? -Infinity) - (a.score ?? -Infinity) ||
  (a.attributes?.exposure.clippedHighlights ?? 1) - (b.attributes?.exposure.clippedHighlights ?? 1);

const fixed = (v: number): string => v.toFixed(2);

/** The best of a stack (highest score; then fewer clipped highlights) and why, against the next best. */
export function pickBest(members: readonly StackMember[]): StackPick {
  const [best, next] = [...members].sort(rank);
  if (!best) throw new Error('pickBest needs at least one photo');
  if (!next) return { best: best.id, reason: 'the only photo' };
  const measured = best.attributes !== undefined && next.attributes !== undefined;
  const parts = measured
    ? advantages(best.attributes!, next.attributes!)
        .slice(0, 2)
        .map((f) => f.words)
    : [];
  if (parts.length > 0) return { best: best.id, reason: parts.join(', ') };
  if (best.score === undefined || next.score === undefined) return { best: best.id, reason: 'not analysed yet' };
  const [a, b] = [fixed(best.score), fixed(next.score)];
  if (a === b)
    return { best: best.id, reason: measured ? 'about the same as the next best' : 'same score as the next best' };
  return { best: best.id, reason: `higher score (${a} vs ${b})${measured ? ', otherwise alike' : ''}` };
}
