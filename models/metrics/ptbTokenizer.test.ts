import { describe, expect, it } from 'vitest';
import { ptbTokenize, tokenizeCaption, tokenizeCaptions } from './ptbTokenizer.ts';

describe('PTB tokenisation', () => {
  it("reproduces Stanford's documented PTBTokenizer example (lower-cased)", () => {
    // Example from the Stanford tokenizer documentation; the documented output is
    // `` Oh , no , '' she 's saying , `` our $ 400 blender ca n't handle something this hard ! ''
    const expected = "`` Oh , no , '' she 's saying , `` our $ 400 blender ca n't handle something this hard ! ''";
    expect(ptbTokenize(`"Oh, no," she's saying, "our $400 blender can't handle something this hard!"`)).toEqual(
      expected.toLowerCase().split(' '),
    );
  });

  it('splits clitics, assimilations and cannot the PTB way', () => {
    expect(ptbTokenize("I'd say it isn't, we're gonna cannot")).toEqual([
      'i',
      "'d",
      'say',
      'it',
      'is',
      "n't",
      ',',
      'we',
      "'re",
      'gon',
      'na',
      'can',
      'not',
    ]);
    expect(ptbTokenize("the photographer's and the photographers' work")).toEqual([
      'the',
      'photographer',
      "'s",
      'and',
      'the',
      'photographers',
      "'",
      'work',
    ]);
  });

  it('keeps abbreviations, acronyms, numbers and hyphenated words; escapes slashes', () => {
    expect(ptbTokenize('Mr. Lee shot a U.S. flag at f/2.8, 1,000 well-composed frames.')).toEqual([
      'mr.',
      'lee',
      'shot',
      'a',
      'u.s.',
      'flag',
      'at',
      'f\\/2.8',
      ',',
      '1,000',
      'well-composed',
      'frames',
      '.',
    ]);
  });

  it('maps brackets, quotes, dashes and ellipses to PTB tokens', () => {
    expect(ptbTokenize('(nice) [very] {ok} “quoted” wait… then—more')).toEqual([
      '-lrb-',
      'nice',
      '-rrb-',
      '-lrb-',
      'very',
      '-rrb-',
      '-lcb-',
      'ok',
      '-rcb-',
      '``',
      'quoted',
      "''",
      'wait',
      '...',
      'then',
      '--',
      'more',
    ]);
    expect(ptbTokenize('Wow?! Nice!!')).toEqual(['wow', '?!', 'nice', '!!']);
  });

  it('americanizes like CoreNLP 3.4.1 (lower-case words only for the -our pattern)', () => {
    expect(ptbTokenize('colour colours favourite grey centre Colour contour')).toEqual([
      'color',
      'colors',
      'favorite',
      'gray',
      'center',
      'colour',
      'contour',
    ]);
  });

  it('drops exactly pycocoevalcap punctuation tokens (its list is upper-case, so -lrb- stays)', () => {
    expect(tokenizeCaption(' Persons skating in the ice skating rink on the skateboard.')).toBe(
      'persons skating in the ice skating rink on the skateboard',
    );
    expect(tokenizeCaption('Great light (golden hour) -- isn\'t it?! "Wow" ... ;')).toBe(
      "great light -lrb- golden hour -rrb- is n't it ?! wow",
    );
    expect(tokenizeCaption('...')).toBe('');
    expect(tokenizeCaptions({ a: ['A dog.', 'Two\ndogs!'] })).toEqual({ a: ['a dog', 'two dogs'] });
  });
});
