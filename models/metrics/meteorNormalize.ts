// The parts of METEOR 1.5's English `-norm` normaliser (edu.cmu.meteor.util.Normalizer) that can
// change already PTB-tokenised, lower-cased captions: symbol separation, dash removal between
// alphanumerics, English contraction splitting and the final-period rule (without its
// non-breaking-prefix list). Output: space-separated lower-case words.
const ALNUM = '0-9A-Za-z\u0160\u017D\u0161\u017E\u0178\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017E';
const ALPHA = 'A-Za-z\u0160\u017D\u0161\u017E\u0178\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u017E';

const SEP_OTHER = new RegExp(`([^${ALNUM}\\s.'\`,\\-\u2018\u2019])`, 'g');
const COMMA = [/([^\d]),([^\d])/g, /(\d),([^\d])/g, /([^\d]),(\d)/g];
const RM_DASH = new RegExp(`([${ALNUM}.])-([${ALNUM}])`, 'g');
const CONT = [
  [new RegExp(`([^${ALPHA}])'([^${ALPHA}])`, 'g'), "$1 ' $2"],
  [new RegExp(`([^${ALPHA}\\d])'([${ALPHA}])`, 'g'), "$1 ' $2"],
  [new RegExp(`([${ALPHA}])'([^${ALPHA}])`, 'g'), "$1 ' $2"],
  [new RegExp(`([${ALPHA}])'([${ALPHA}])`, 'g'), "$1 '$2"],
  [/(\d)'(s)/g, "$1 '$2"],
] as const;

// Java's replaceAll does not rescan replaced text, so overlapping matches need a second pass.
function replaceAllTwice(s: string, re: RegExp, rep: string): string {
  return s.replace(re, rep).replace(re, rep);
}

export function meteorNormalize(line: string): string {
  let s = ` ${line} `;
  s = s.replace(SEP_OTHER, ' $1 ');
  for (const re of COMMA) s = s.replace(re, '$1 , $2');
  s = s.replace(/[`\u2018\u2019]/g, "'").replace(/([\u201C\u201D]|'')/g, ' " ');
  s = s.replace(/\u2013/g, '-').replace(/--/g, '-');
  s = replaceAllTwice(s, RM_DASH, '$1 $2');
  for (const [re, rep] of CONT) s = s.replace(re, rep);
  const words = s.split(/\s+/).filter(Boolean);
  const out: string[] = [];
  words.forEach((w, i) => {
    if (w.length > 1 && w.endsWith('.')) {
      const pre = w.slice(0, -1);
      const next = words[i + 1];
      if (pre.includes('.') && new RegExp(`[${ALPHA}]`).test(pre)) out.push(w.replace(/\./g, ''));
      else if (next !== undefined && /^\p{Ll}/u.test(next)) out.push(w);
      else out.push(pre, '.');
    } else out.push(w);
  });
  return out.join(' ').toLowerCase();
}
