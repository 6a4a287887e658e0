// Penn Treebank tokenisation as pycocoevalcap runs it: Stanford CoreNLP 3.4.1's PTBTokenizer with
// `-preserveLines -lowerCase` (default options = ptb3Escaping, americanize), then pycocoevalcap drops
// its punctuation tokens. This re-implements the lexer rules that occur in English captions; the
// README lists what is covered and what is not.
import { americanize } from './americanize.ts';

/** Tokens pycocoevalcap removes after tokenising (compared case-sensitively, as it does). */
export const COCO_PUNCTUATION: ReadonlySet<string> = new Set([
  "''",
  "'",
  '``',
  '`',
  '-LRB-',
  '-RRB-',
  '-LCB-',
  '-RCB-',
  '.',
  '?',
  '!',
  ',',
  ':',
  '-',
  '--',
  '...',
  ';',
]);

// Words whose final period belongs to the word (PTBLexer's abbreviation classes, the ones that
// plausibly occur in captions). Matched case-insensitively without the period.
const ABBREVIATIONS = new Set(
  (
    'mr mrs ms dr st jr sr prof gen sen rep gov lt col sgt capt cmdr adm maj rev messrs mt ft vs etc ' +
    'inc ltd co corp bros assn dept univ est approx jan feb mar apr jun jul aug sep sept oct nov dec ' +
    'mon tue tues wed thu thur thurs fri sat sun no nos fig figs vol vols ca cf al'
  ).split(' '),
);

const LETTER = '\\p{L}\\p{M}';
const ALNUM = `${LETTER}\\p{N}`;
// Assimilations PTB3 splits in two ("gonna" -> "gon na").
const ASSIMILATIONS = /^(gon|wan|got|lem|gim)(na|ta|me)$/i;
const ASSIMILATION_PAIRS = new Set(['gonna', 'wanna', 'gotta', 'lemme', 'gimme']);
const CLITIC = /^(.+?)(n't|'s|'m|'d|'ll|'re|'ve)$/i;
const NUMBER = new RegExp(`^[+-]?\\p{N}+(?:[.,:/]\\p{N}+)*(?:[${LETTER}]+)?$`, 'u');
const ACRONYM = new RegExp(`^(?:[${LETTER}]\\.)+[${LETTER}]?\\.?$`, 'u');
const URL_LIKE = /^(?:https?:\/\/|www\.)\S+$|^[\w.+-]+@[\w-]+(?:\.[\w-]+)+$/i;
const OPENERS: Record<string, string> = { '(': '-LRB-', '[': '-LRB-', '{': '-LCB-' };
const CLOSERS: Record<string, string> = { ')': '-RRB-', ']': '-RRB-', '}': '-RCB-' };
// A symbol inside a chunk that splits it, e.g. "light,shadow" or "a&b=c".
const INNER_SYMBOL = new RegExp(`^([${ALNUM}][${ALNUM}.'\`/*&-]*)([^${ALNUM}.'\`/*&-])(.+)$`, 'u');
const SPLIT_SYMBOLS = new Set('$#%&@+=<>^~|');

/** Normalises typographic characters the way PTBLexer's ptb3Escaping options do. */
function normaliseCharacters(text: string): string {
  return text
    .replace(/&amp;/gi, '&')
    .replace(/[\u2018\u201B\u2032]/g, '`') // opening single quotes
    .replace(/\u2019/g, "'")
    .replace(/[\u201C\u201F\u2033]/g, ' `` ')
    .replace(/\u201D/g, " '' ")
    .replace(/[\u2013\u2014\u2015]/g, ' -- ')
    .replace(/\u2026/g, ' ... ')
    .replace(/\u00A0/g, ' ');
}

/** Splits one whitespace-delimited chunk into PTB tokens (original case). */
function lexChunk(chunk: string, out: string[]): void {
  const head: string[] = [];
  const tail: string[] = [];
  let word = chunk;
  // Peel leading punctuation.
  for (;;) {
    const c = word[0];
    if (c === undefined) break;
    if (word.startsWith('``')) {
      head.push('``');
      word = word.slice(2);
    } else if (word.startsWith("''")) {
      head.push("''");
      word = word.slice(2);
    } else if (c === '"') {
      head.push('``');
      word = word.slice(1);
    } else if (OPENERS[c]) {
      head.push(OPENERS[c]);
      word = word.slice(1);
    } else if (c === '`') {
      head.push('`');
      word = word.slice(1);
    } else if (c === "'" && !/^'(s|m|d|ll|re|ve|t)\b/i.test(word) && word.length > 1) {
      head.push('`');
      word = word.slice(1);
    } else if (word.startsWith('--') || word.startsWith('...')) {
      const run = /^(-{2,}|\.{3,})/.exec(word)?.[0] ?? '';
      head.push(run.startsWith('-') ? '--' : '...');
      word = word.slice(run.length);
    } else if (SPLIT_SYMBOLS.has(c) || /^[,;:!?*]/.test(c)) {
      head.push(c === '*' ? '\\*' : c);
      word = word.slice(1);
    } else break;
  }
  // Peel trailing punctuation (periods are decided after the rest).
  for (;;) {
    const c = word[word.length - 1];
    if (c === undefined) break;
    if (word.endsWith("''")) {
      tail.unshift("''");
      word = word.slice(0, -2);
    } else if (c === '"') {
      tail.unshift("''");
      word = word.slice(0, -1);
    } else if (CLOSERS[c]) {
      tail.unshift(CLOSERS[c]);
      word = word.slice(0, -1);
    } else if (/\.{3,}$/.test(word) || /-{2,}$/.test(word)) {
      const run = /(\.{3,}|-{2,})$/.exec(word)?.[0] ?? '';
      tail.unshift(run.startsWith('.') ? '...' : '--');
      word = word.slice(0, -run.length);
    } else if (/[!?]/.test(c)) {
      // A run like "?!" or "!!" is one token in PTBLexer.
      const run = /[!?]+$/.exec(word)?.[0] ?? c;
      tail.unshift(run);
      word = word.slice(0, -run.length);
    } else if (/[,;:]/.test(c) || SPLIT_SYMBOLS.has(c)) {
      tail.unshift(c);
      word = word.slice(0, -1);
    } else if (c === "'" && word.length > 1 && !/n't$/i.test(word)) {
      // Plural possessive / closing single quote.
      tail.unshift("'");
      word = word.slice(0, -1);
    } else if (c === '`') {
      tail.unshift('`');
      word = word.slice(0, -1);
    } else if (c === '.' && word.length > 1 && !keepsFinalPeriod(word)) {
      tail.unshift('.');
      word = word.slice(0, -1);
    } else break;
  }
  out.push(...head);
  if (word) out.push(...lexWord(word));
  out.push(...tail);
}

function keepsFinalPeriod(word: string): boolean {
  const bare = word.slice(0, -1).toLowerCase();
  return ABBREVIATIONS.has(bare) || ACRONYM.test(word);
}

/** A chunk without leading/trailing punctuation: clitics, assimilations, internal symbols. */
function lexWord(word: string): string[] {
  if (URL_LIKE.test(word) || NUMBER.test(word)) return [escapeSlashes(word)];
  // A sentence-internal symbol run splits the chunk (e.g. "light,shadow", "a&b c").
  const inner = INNER_SYMBOL.exec(word);
  if (inner) {
    const [, left = '', sym = '', right = ''] = inner;
    const out: string[] = [];
    lexChunk(left, out);
    out.push(sym === '*' ? '\\*' : sym);
    lexChunk(right, out);
    return out;
  }
  if (/^cannot$/i.test(word)) return [word.slice(0, 3), word.slice(3)];
  if (ASSIMILATION_PAIRS.has(word.toLowerCase())) {
    const m = ASSIMILATIONS.exec(word);
    if (m) return [m[1] ?? '', m[2] ?? ''];
  }
  const clitic = CLITIC.exec(word);
  if (clitic) {
    const [, stem = '', suffix = ''] = clitic;
    if (stem && /[\p{L}\p{N}]$/u.test(stem)) return [finishWord(stem), suffix];
  }
  if (/^'(s|m|d|ll|re|ve)$/i.test(word) || /^n't$/i.test(word)) return [word];
  return [finishWord(word)];
}

function finishWord(word: string): string {
  return escapeSlashes(americanize(word));
}

// ptb3Escaping's escapeForwardSlashAsterisk.
function escapeSlashes(token: string): string {
  return token.replace(/\//g, '\\/').replace(/\*/g, '\\*');
}

/** PTB tokens of one line, lower-cased as `-lowerCase` does (punctuation still present). */
export function ptbTokenize(line: string): string[] {
  const out: string[] = [];
  const chunks = normaliseCharacters(line).split(/\s+/).filter(Boolean);
  for (const chunk of chunks) lexChunk(chunk, out);
  return out.map((t) => t.toLowerCase());
}

/**
 * One caption as pycocoevalcap's PTBTokenizer.tokenize returns it: tokens joined by single spaces,
 * with the COCO punctuation tokens dropped. Because pycocoevalcap compares the lower-cased output
 * with its (upper-case) list, "-lrb-"/"-rrb-" survive, exactly as in the Python/Java pipeline.
 */
export function tokenizeCaption(caption: string): string {
  return ptbTokenize(caption.replace(/\n/g, ' '))
    .filter((t) => !COCO_PUNCTUATION.has(t))
    .join(' ');
}

/** Tokenises every caption of every image (the step pycocoevalcap runs once before all scorers). */
export function tokenizeCaptions(captions: Readonly<Record<string, readonly string[]>>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [id, list] of Object.entries(captions)) out[id] = list.map(tokenizeCaption);
  return out;
}
