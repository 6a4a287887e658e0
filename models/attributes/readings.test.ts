import { describe, expect, it } from 'vitest';
import { measureAttributes } from './index.ts';
import { colourfulnessLabel, groundingSentence, readings, CHARS_PER_TOKEN } from './readings.ts';
import { paint } from './testing/synthetic.ts';

// 200×100: the top 10 rows white (10 % clipped highlights), the rest a mid-grey ramp.
const image = paint(200, 100, (x, y) => (y < 10 ? [255, 255, 255] : [100 + (x % 50), 100 + (x % 50), 100 + (x % 50)]));
// Saliency on the left half (sharp ramp edges) with nothing on the right.
const saliency = { data: new Float32Array([1, 0]), width: 2, height: 1 };
const attributes = measureAttributes(image, saliency);

describe('readings', () => {
  it('say what was measured, in words, one line each', () => {
    const text = Object.fromEntries(readings(attributes).map((r) => [r.key, r.text]));
    expect(text.highlights).toBe('Highlights clipped on 10 % of the photo');
    expect(text.shadows).toBe('No clipped shadows');
    expect(text.colourfulness).toBe('Colourfulness 0: not colourful');
    expect(text.subject).toBe('Subject fills 50 % of the frame');
    expect(text.thirds).toBe(
      `Subject ${Math.round(100 * attributes.composition.thirdsDistance!)} % of the diagonal from the nearest thirds intersection`,
    );
  });

  it('use Hasler and Süsstrunk’s labels at their thresholds', () => {
    expect([0, 7, 15, 33, 59, 82, 109].map(colourfulnessLabel)).toEqual([
      'not colourful',
      'slightly colourful',
      'moderately colourful',
      'averagely colourful',
      'quite colourful',
      'highly colourful',
      'extremely colourful',
    ]);
  });
});

describe('grounding sentence', () => {
  it('lists the facts within the token budget, whole facts only', () => {
    const full = groundingSentence(attributes, 200);
    expect(full).toMatch(/^Measured: highlights clipped on 10 %; shadows clipped on 0 %; mean brightness \d+ %; /);
    expect(full).toContain('horizon');
    const short = groundingSentence(attributes, 16);
    expect(short.length / CHARS_PER_TOKEN).toBeLessThanOrEqual(16);
    expect(short).toBe('Measured: highlights clipped on 10 %; shadows clipped on 0 %.');
    expect(groundingSentence(attributes, 2)).toBe('');
  });
});
