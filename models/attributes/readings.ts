// Plain-language readings of the measurements, one line each, for the studio's panel and reports;
// and the short facts the critic is told (within a budget).
import type { AttributeFacts } from './types.ts';

export type ReadingKey =
  | 'brightness'
  | 'highlights'
  | 'shadows'
  | 'contrast'
  | 'colourfulness'
  | 'sharpness'
  | 'depth'
  | 'noise'
  | 'thirds'
  | 'subject'
  | 'horizon'
  | 'symmetry';

export interface Reading {
  key: ReadingKey;
  text: string;
}

const percent = (v: number): string => {
  const p = 100 * v;
  return p === 0 ? '0 %' : p < 0.1 ? 'under 0.1 %' : p < 10 ? `${p.toFixed(1)} %` : `${Math.round(p)} %`;
};

/** Hasler & Süsstrunk's labels for their scale. */
export function colourfulnessLabel(m: number): string {
  if (m < 7) return 'not colourful';
  if (m < 15) return 'slightly colourful';
  if (m < 33) return 'moderately colourful';
  if (m < 59) return 'averagely colourful';
  if (m < 82) return 'quite colourful';
  if (m < 109) return 'highly colourful';
  return 'extremely colourful';
}

function brightness(meanLuma: number): string {
  const tone =
    meanLuma < 0.25
      ? 'dark (low key)'
      : meanLuma < 0.4
        ? 'on the dark side'
        : meanLuma <= 0.6
          ? 'mid-tone'
          : meanLuma <= 0.75
            ? 'on the bright side'
            : 'bright (high key)';
  return `Mean brightness ${Math.round(100 * meanLuma)} %: ${tone}`;
}

/** Subject-to-background sharpness ratio, or null when saliency is missing or the background is flat. */
export function depthRatio(a: AttributeFacts): number | null {
  const { subjectSharpness: s, backgroundSharpness: b } = a.focus;
  return s !== null && b !== null && b > 0 ? s / b : null;
}

function depth(ratio: number): string {
  if (ratio >= 2) return `Subject ${ratio.toFixed(1)}× sharper than the background: shallow depth of field`;
  if (ratio >= 1.2) return `Subject ${ratio.toFixed(1)}× sharper than the background`;
  if (ratio > 1 / 1.2) return 'Subject and background about equally sharp: deep focus';
  return `Subject softer than the background (${ratio.toFixed(2)}×): focus missed the subject`;
}

function horizon(tilt: number | null): string {
  if (tilt === null) return 'No dominant horizontal line';
  if (Math.abs(tilt) < 0.5) return `Dominant horizontal line level (${tilt.toFixed(1)}°)`;
  return `Dominant horizontal line tilted ${Math.abs(tilt).toFixed(1)}°, ${tilt > 0 ? 'rising' : 'falling'} to the right`;
}

export function readings(a: AttributeFacts): Reading[] {
  const { exposure: e, colour: c, focus: f, composition: k } = a;
  const out: Reading[] = [
    { key: 'brightness', text: brightness(e.meanLuma) },
    {
      key: 'highlights',
      text:
        e.clippedHighlights > 0
          ? `Highlights clipped on ${percent(e.clippedHighlights)} of the photo`
          : 'No clipped highlights',
    },
    {
      key: 'shadows',
      text:
        e.clippedShadows > 0 ? `Shadows clipped on ${percent(e.clippedShadows)} of the photo` : 'No clipped shadows',
    },
    {
      key: 'contrast',
      text: `Contrast ${Math.round(100 * e.contrast)} % (luma spread): ${e.contrast < 0.12 ? 'flat' : e.contrast < 0.25 ? 'moderate' : 'strong'}`,
    },
    {
      key: 'colourfulness',
      text: `Colourfulness ${Math.round(c.colourfulness)}: ${colourfulnessLabel(c.colourfulness)}`,
    },
    {
      key: 'noise',
      text: `Noise ${f.noise.toFixed(1)} grey levels: ${f.noise < 2 ? 'clean' : f.noise < 5 ? 'some grain' : 'noisy'}`,
    },
  ];
  const ratio = depthRatio(a);
  if (ratio !== null) out.push({ key: 'depth', text: depth(ratio) });
  if (k.thirdsDistance !== null)
    out.push({
      key: 'thirds',
      text:
        k.thirdsDistance < 0.05
          ? 'Subject on a thirds intersection'
          : `Subject ${Math.round(100 * k.thirdsDistance)} % of the diagonal from the nearest thirds intersection`,
    });
  if (k.subjectSize !== null)
    out.push({ key: 'subject', text: `Subject fills ${percent(k.subjectSize)} of the frame` });
  out.push({ key: 'horizon', text: horizon(k.horizonTilt) });
  out.push({ key: 'symmetry', text: `Left–right symmetry ${Math.round(100 * k.symmetry)} %` });
  return out;
}

/** Facts the critic is told, most useful first; each is a short clause. */
export function groundingFacts(a: AttributeFacts): string[] {
  const { exposure: e, colour: c, composition: k } = a;
  const out = [
    `highlights clipped on ${percent(e.clippedHighlights)}`,
    `shadows clipped on ${percent(e.clippedShadows)}`,
    `mean brightness ${Math.round(100 * e.meanLuma)} %`,
  ];
  const ratio = depthRatio(a);
  if (ratio !== null)
    out.push(
      ratio >= 1
        ? `subject ${ratio.toFixed(1)}× sharper than background`
        : `subject softer than background (${ratio.toFixed(2)}×)`,
    );
  out.push(`${colourfulnessLabel(c.colourfulness)} (colourfulness ${Math.round(c.colourfulness)})`);
  out.push(k.horizonTilt === null ? 'no horizon line' : `horizon tilted ${k.horizonTilt.toFixed(1)}°`);
  if (k.thirdsDistance !== null)
    out.push(`subject ${Math.round(100 * k.thirdsDistance)} % of the diagonal from a thirds point`);
  return out;
}

/** Token budget of the measured facts in the critic's prompt (the paper's instruction itself is about 10). */
export const GROUNDING_TOKENS = 64;

/**
 * The facts as one sentence of as many whole facts, in order, as fit in `budgetTokens` tokens counted by
 * `countTokens` (the critic's own tokenizer); '' when not even the first fits.
 */
export function groundingSentence(
  facts: readonly string[],
  budgetTokens: number,
  countTokens: (text: string) => number,
): string {
  let told = '';
  for (let n = 1; n <= facts.length; n++) {
    const sentence = `Measured: ${facts.slice(0, n).join('; ')}.`;
    if (countTokens(sentence) > budgetTokens) break;
    told = sentence;
  }
  return told;
}
