import { describe, expect, it } from 'vitest';
import { looksEnglish, mostRepeatedPhrase, smokeProblems, wordCount, type SmokeResult } from './checks.ts';

const CRITIQUE =
  'The photograph places the dune ridge along the lower third, and the warm side light draws long shadows ' +
  'that lead the eye toward the bright crest, while the clear sky keeps the frame calm.';

const ok = (file: string, score: number): SmokeResult => ({ file, score, critique: CRITIQUE, saliencyStd: 0.2 });

describe('smoke:real checks', () => {
  it('find the most repeated 4-word phrase, ignoring case and punctuation', () => {
    expect(mostRepeatedPhrase('A b c d. a B c d, a b c d e')).toEqual({ phrase: 'a b c d', count: 3 });
    expect(mostRepeatedPhrase('one two three').count).toBe(0);
  });

  it('count words and tell English from other text', () => {
    expect(wordCount(CRITIQUE)).toBe(34);
    expect(looksEnglish(CRITIQUE)).toBe(true);
    expect(looksEnglish('Фотография хорошо построена и свет мягкий')).toBe(false);
    expect(looksEnglish('composition composition colors contrast blur lines')).toBe(false);
  });

  it('pass good results and name every problem of bad ones', () => {
    expect(smokeProblems([ok('a.jpg', 5.1), ok('b.jpg', 6.3)])).toEqual([]);
    const looping = `${CRITIQUE} the light is soft the light is soft the light is soft`;
    const problems = smokeProblems([
      { file: 'x/a.jpg', score: 11.2, critique: 'Nice photo.', saliencyStd: 0 },
      { file: 'x/b.jpg', score: 4, critique: looping, saliencyStd: 0.1 },
      { file: 'x/c.jpg', score: 4, critique: CRITIQUE, saliencyStd: 0.1 },
    ]);
    expect(problems).toEqual([
      "a.jpg: score 11.2 is outside LAION's 1–10 range",
      'a.jpg: the heatmap is constant',
      'a.jpg: the critique has 2 words (< 20)',
      'a.jpg: the critique does not read as English',
      'b.jpg: "the light is soft" comes 3 times',
      'the scores do not differ across photos (11.200, 4.000, 4.000)',
    ]);
  });
});
