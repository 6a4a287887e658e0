// @ts-expect-error -- wink-porter2-stemmer (MIT) ships no type declarations.
import winkStem from 'wink-porter2-stemmer';

/** Porter2 = Snowball English stem of a lower-case word (the stemmer METEOR 1.5 uses). */
export const porter2Stem: (word: string) => string = winkStem;
