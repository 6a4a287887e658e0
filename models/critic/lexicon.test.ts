import { describe, expect, it } from 'vitest';
import { ATTRIBUTES, LEXICON, tagAttributes } from './lexicon.ts';

const tagged = (text: string) =>
  tagAttributes(text)
    .filter((s) => s.attribute)
    .map((s) => [s.text, s.attribute]);

describe('tagAttributes', () => {
  it('tags words of each attribute, case-insensitively, with plural/inflected endings', () => {
    expect(tagged('Warm Colours and soft shadows; the subject is sharply focused.')).toEqual([
      ['Warm', 'colour'],
      ['Colours', 'colour'],
      ['shadows', 'lighting'],
      ['subject', 'subject'],
      ['sharply', 'focus'],
      ['focused', 'focus'],
    ]);
  });

  it('prefers the longest phrase and matches phrases across line breaks', () => {
    expect(tagged('A shallow depth of field blurs the busy background.')).toEqual([
      ['depth of field', 'depth of field'],
      ['blurs', 'focus'],
      ['background', 'background'],
    ]);
    expect(tagged('follows the rule of\nthirds')).toEqual([['rule of\nthirds', 'composition']]);
  });

  it('does not match inside other words', () => {
    expect(tagged('Delightful, enlightened, recolouring')).toEqual([]);
  });

  it('splits the text into spans that join back to it exactly, with correct offsets', () => {
    const text = 'The exposure is bright, but the framing <b>crops</b> the subject.';
    const spans = tagAttributes(text);
    expect(spans.map((s) => s.text).join('')).toBe(text);
    for (const s of spans) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(spans.find((s) => s.text === 'crops')!.attribute).toBe('composition');
  });

  it('covers every attribute, each term under one attribute only', () => {
    expect(Object.keys(LEXICON).sort()).toEqual([...ATTRIBUTES].sort());
    const all = Object.values(LEXICON).flat();
    expect(new Set(all).size).toBe(all.length);
    for (const a of ATTRIBUTES) expect(tagged(LEXICON[a][0]!)).toEqual([[LEXICON[a][0], a]]);
  });
});
