// What `npm run smoke:real` checks on the real models' output (pure, so the checks themselves are tested).

export interface SmokeResult {
  file: string;
  score: number | null;
  critique: string;
  saliencyStd: number | null;
}

/** The most repeated 4-word phrase of `text` and how often it occurs (case and punctuation ignored). */
export function mostRepeatedPhrase(text: string, n = 4): { phrase: string; count: number } {
  const words = text.toLowerCase().match(/[a-z0-9']+/g) ?? [];
  const counts = new Map<string, number>();
  let best = { phrase: '', count: 0 };
  for (let i = 0; i + n <= words.length; i++) {
    const phrase = words.slice(i, i + n).join(' ');
    const count = (counts.get(phrase) ?? 0) + 1;
    counts.set(phrase, count);
    if (count > best.count) best = { phrase, count };
  }
  return best;
}

/** Frequent English function words: a critique in English uses several of them. */
const ENGLISH = new Set(
  'the a an and of in on with is are this that it its to as by for from at or but be has have which while'.split(' '),
);

export function wordCount(text: string): number {
  return (text.match(/[A-Za-z][A-Za-z'-]*/g) ?? []).length;
}

/** Whether `text` reads as English: Latin letters, and at least a tenth of its words common English ones. */
export function looksEnglish(text: string): boolean {
  const words = text.toLowerCase().match(/[a-z][a-z'-]*/g) ?? [];
  const letters = text.replace(/[\s\d\p{P}\p{S}]/gu, '');
  const latin = letters.replace(/[^A-Za-z]/g, '').length;
  if (words.length === 0 || latin < 0.95 * letters.length) return false;
  return words.filter((w) => ENGLISH.has(w)).length >= 0.1 * words.length;
}

/** Every problem with a run's results; empty when the run passes. */
export function smokeProblems(results: readonly SmokeResult[]): string[] {
  const problems: string[] = [];
  for (const r of results) {
    const name = r.file.split('/').pop();
    if (r.score === null || !(r.score >= 1 && r.score <= 10))
      problems.push(`${name}: score ${r.score} is outside LAION's 1–10 range`);
    if (!(r.saliencyStd !== null && r.saliencyStd > 1e-3)) problems.push(`${name}: the heatmap is constant`);
    if (wordCount(r.critique) < 20) problems.push(`${name}: the critique has ${wordCount(r.critique)} words (< 20)`);
    if (!looksEnglish(r.critique)) problems.push(`${name}: the critique does not read as English`);
    const repeated = mostRepeatedPhrase(r.critique);
    if (repeated.count > 2) problems.push(`${name}: "${repeated.phrase}" comes ${repeated.count} times`);
  }
  const scores = results.map((r) => r.score).filter((s): s is number => s !== null);
  if (scores.length > 1 && new Set(scores.map((s) => s.toFixed(4))).size < scores.length)
    problems.push(`the scores do not differ across photos (${scores.map((s) => s.toFixed(3)).join(', ')})`);
  return problems;
}
