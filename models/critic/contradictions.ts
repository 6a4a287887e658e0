// Claims in a critique that a measurement contradicts ("well exposed" with 10 % clipped highlights,
// "sharp subject" when the subject is softer than the background). Each rule is a phrase pattern
// and the measured condition under which it is false; the UI marks the phrase with the measurement.
import { depthRatio, type AttributeFacts } from '../attributes/index.ts';

export interface Contradiction {
  start: number;
  end: number;
  /** The measurement that contradicts the phrase, in words. */
  measurement: string;
}

interface Rule {
  pattern: RegExp;
  /** The contradicting measurement, or null when the claim holds. */
  check(a: AttributeFacts): string | null;
}

const pct = (v: number): string => `${(100 * v).toFixed(v < 0.1 ? 1 : 0)} %`;

/** Clipping above this fraction makes "well exposed" false. */
const CLIP_LIMIT = 0.05;

const RULES: Rule[] = [
  {
    pattern: /\b(well[- ]exposed|perfectly exposed|(good|perfect|correct|balanced|proper) exposure)\b/gi,
    check: ({ exposure: e }) =>
      e.clippedHighlights > CLIP_LIMIT
        ? `highlights clipped on ${pct(e.clippedHighlights)} of the photo`
        : e.clippedShadows > CLIP_LIMIT
          ? `shadows clipped on ${pct(e.clippedShadows)} of the photo`
          : null,
  },
  {
    pattern: /\b(sharp(ly)? (subject|focus)|subject is (sharp|in focus|crisp)|in sharp focus|crisp subject)\b/gi,
    check: (a) => {
      const r = depthRatio(a);
      return r !== null && r < 1 ? `subject softer than the background (${r.toFixed(2)}×)` : null;
    },
  },
  {
    pattern: /\b(blurr(y|ed) subject|subject is (blurry|out of focus|soft)|out of focus)\b/gi,
    check: (a) => {
      const r = depthRatio(a);
      return r !== null && r >= 2 ? `subject ${r.toFixed(1)}× sharper than the background` : null;
    },
  },
  {
    pattern: /\b(level|straight) horizon\b|\bhorizon is (level|straight)\b/gi,
    check: ({ composition: k }) =>
      k.horizonTilt !== null && Math.abs(k.horizonTilt) >= 2 ? `horizon tilted ${k.horizonTilt.toFixed(1)}°` : null,
  },
  {
    pattern: /\b(tilted|crooked|slanted|uneven) horizon\b/gi,
    check: ({ composition: k }) =>
      k.horizonTilt === null
        ? 'no dominant horizontal line measured'
        : Math.abs(k.horizonTilt) < 0.5
          ? `horizon level (${k.horizonTilt.toFixed(1)}°)`
          : null,
  },
  {
    pattern: /\b(vibrant|vivid|colou?rful|saturated) colou?rs?\b|\b(vibrant|vivid)\b/gi,
    check: ({ colour: c }) =>
      c.colourfulness < 15 ? `colourfulness ${Math.round(c.colourfulness)} (barely colourful)` : null,
  },
  {
    pattern: /\b(muted|dull|washed[- ]out|desaturated) colou?rs?\b/gi,
    check: ({ colour: c }) =>
      c.colourfulness >= 82 ? `colourfulness ${Math.round(c.colourfulness)} (highly colourful)` : null,
  },
];

export function findContradictions(text: string, attributes: AttributeFacts): Contradiction[] {
  const found: Contradiction[] = [];
  for (const rule of RULES) {
    const measurement = rule.check(attributes);
    if (!measurement) continue;
    for (const m of text.matchAll(rule.pattern))
      found.push({ start: m.index, end: m.index + m[0].length, measurement });
  }
  // Overlapping claims: the earliest wins.
  found.sort((a, b) => a.start - b.start);
  return found.filter((c, i) => i === 0 || c.start >= found[i - 1]!.end);
}
