import { describe, expect, it } from 'vitest';
import { measureAttributes } from '../attributes/index.ts';
import { paint } from '../attributes/testing/synthetic.ts';
import { findContradictions } from './contradictions.ts';

// 100×100 grey noise-free ramp with the top 10 rows white: 10 % clipped highlights, colourfulness 0.
const clipped = measureAttributes(
  paint(100, 100, (x, y) => (y < 10 ? [255, 255, 255] : [60 + x, 60 + x, 60 + x])),
  // Subject on the smooth lower half; the clipped band's edge above it: the subject is the softer part.
  { data: new Float32Array([0, 1]), width: 1, height: 2 },
);

describe('contradictions', () => {
  it('marks "well exposed" with 10 % clipped highlights, and "vibrant colours" on a grey photo', () => {
    const text = 'A well exposed scene with vibrant colours.';
    const found = findContradictions(text, clipped);
    expect(found.map((c) => [text.slice(c.start, c.end), c.measurement])).toEqual([
      ['well exposed', 'highlights clipped on 10 % of the photo'],
      ['vibrant colours', 'colourfulness 0 (barely colourful)'],
    ]);
  });

  it('marks "sharp subject" only when the subject is softer than the background', () => {
    const ratio = clipped.focus.subjectSharpness! / clipped.focus.backgroundSharpness!;
    expect(ratio).toBeLessThan(1);
    const [c] = findContradictions('The sharp subject stands out.', clipped);
    expect(c?.measurement).toBe(`subject softer than the background (${ratio.toFixed(2)}×)`);
    const flipped = { ...clipped, focus: { ...clipped.focus, subjectSharpness: 10, backgroundSharpness: 1 } };
    expect(findContradictions('The sharp subject stands out.', flipped)).toEqual([]);
  });

  it('says nothing where the claim holds', () => {
    const fine = { ...clipped, exposure: { ...clipped.exposure, clippedHighlights: 0.01 } };
    expect(findContradictions('Well exposed.', fine)).toEqual([]);
  });
});
