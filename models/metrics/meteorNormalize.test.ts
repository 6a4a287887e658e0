// Expected outputs derived from meteor-1.5's Normalizer rules (English, keepPunctuation).
import { describe, expect, it } from 'vitest';
import { meteorNormalize } from './meteorNormalize.ts';

describe('METEOR -norm on PTB-tokenised captions', () => {
  it('removes dashes between alphanumerics so hyphenated words match their parts', () => {
    expect(meteorNormalize('a well-composed black-and-white shot')).toBe('a well composed black and white shot');
  });

  it('splits English apostrophes: letter-apostrophe-letter keeps the apostrophe on the right', () => {
    // "n't": n ' t -> "n 't"; standalone "'s" (space before) -> "' s".
    expect(meteorNormalize("is n't it the photographer 's")).toBe("is n 't it the photographer ' s");
  });

  it("separates symbols other than . ' ` , - and handles final periods", () => {
    // PTB escapes the slash as "\/": both characters are separated.
    expect(meteorNormalize('b\\/w tones')).toBe('b \\ / w tones');
    // Dotted acronyms lose their dots; a final period is split off when no lower-case word follows.
    expect(meteorNormalize('the u.s. flag at the end.')).toBe('the us flag at the end .');
    expect(meteorNormalize('mr. lee')).toBe('mr. lee');
  });
});
