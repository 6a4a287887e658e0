import { describe, expect, it } from 'vitest';
import { evaluateCaptions, METRIC_NAMES } from './index.ts';

describe('evaluateCaptions', () => {
  it('tokenises raw captions once, then scores with every metric', () => {
    // Raw text with capitals and punctuation must score exactly like its tokenised form: the
    // candidate equals one reference after PTB tokenisation + punctuation removal.
    const out = evaluateCaptions(
      { a: ['A dog, running on grass.', 'Some animal outdoors'], b: ['A red car!'] },
      { a: 'a dog running on grass', b: 'A RED car' },
    );
    expect(Object.keys(out.metrics)).toEqual([...METRIC_NAMES]);
    expect(out.perImage.a?.['ROUGE-L']).toBe(1);
    expect(out.perImage.a?.Precision).toBe(1);
    expect(out.perImage.a?.Recall).toBe(1);
    expect(out.perImage.b?.METEOR).toBe(1);
    expect(out.metrics['BLEU-1']).toBeCloseTo(1, 8);
  });

  it('names the ids that do not match', () => {
    expect(() => evaluateCaptions({ a: ['x'], b: ['y'] }, { a: 'x', c: 'z' })).toThrow(
      'no candidate for image id(s): b; no references for image id(s): c',
    );
    expect(() => evaluateCaptions({ a: [] }, { a: 'x' })).toThrow('empty reference list: a');
    expect(() => evaluateCaptions({}, {})).toThrow('no images');
  });
});
