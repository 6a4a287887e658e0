import { describe, expect, it } from 'vitest';
import { measureAttributes } from './index.ts';
import { colourfulnessLabel, groundingFacts, groundingSentence, readings } from './readings.ts';
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
  // A counter of whitespace-separated words stands in for a tokenizer: the budget is whatever it counts.
  const words = (text: string): number => text.split(/\s+/).filter(Boolean).length;

  it('lists as many whole facts as the counted budget holds, in order', () => {
    const facts = groundingFacts(attributes);
    const full = groundingSentence(facts, 1000, words);
    expect(full).toBe(`Measured: ${facts.join('; ')}.`);
    expect(full).toMatch(/^Measured: highlights clipped on 10 %; shadows clipped on 0 %; mean brightness \d+ %; /);
    expect(full).toContain('horizon');
    // One fact is 6 words ("Measured: highlights clipped on 10 %."), two are 11, three are 15.
    const two = 'Measured: highlights clipped on 10 %; shadows clipped on 0 %.';
    expect(groundingSentence(facts, 14, words)).toBe(two);
    expect(groundingSentence(facts, 11, words)).toBe(two);
    expect(groundingSentence(facts, 10, words)).toBe('Measured: highlights clipped on 10 %.');
    expect(groundingSentence(facts, 6, words)).toBe('Measured: highlights clipped on 10 %.');
    expect(groundingSentence(facts, 5, words)).toBe('');
    expect(groundingSentence([], 64, words)).toBe('');
  });
});
