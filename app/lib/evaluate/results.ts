// What an evaluation run produced, as plain data: per-photo results read from the photos the
// analysis queue worked on, the AIC metrics over the critiques, and the exports (JSON, Markdown).
import { formatTableI } from '../../../models/eval/table.ts';
import {
  evaluateCaptions,
  METRIC_NAMES,
  UNAVAILABLE_METRICS,
  type CaptionEvaluation,
  type MetricScores,
} from '../../../models/metrics/index.ts';
import { markdownText } from '../export/report.ts';
import { DEMO_MODELS_WARNING } from './notes.ts';

/** Where one photo of the run stands. */
export type EvalPhotoState = 'waiting' | 'analysing' | 'critiquing' | 'done' | 'failed' | 'removed';

export interface EvalPhotoResult {
  /** Reference id the photo is scored under. */
  id: string;
  fileName: string;
  state: EvalPhotoState;
  references: string[];
  score?: number;
  critique: string;
  /** Why the photo has no usable critique. */
  error?: string;
  metrics?: MetricScores;
}

/** The fields of a studio photo the evaluation reads (app/state/photos.ts Photo). */
export interface PhotoSnapshot {
  status: 'queued' | 'analysing' | 'critiquing' | 'done' | 'failed' | 'cancelled';
  critiqueStatus: 'idle' | 'queued' | 'streaming' | 'done' | 'stopped' | 'failed';
  score?: number;
  critique: string;
  error?: string;
  critiqueError?: string;
}

/** One photo of the run as its studio photo stands now (undefined: removed from the studio). */
export function photoResult(
  entry: { id: string; fileName: string; references: string[] },
  photo: PhotoSnapshot | undefined,
): EvalPhotoResult {
  const base = { id: entry.id, fileName: entry.fileName, references: entry.references };
  if (!photo) return { ...base, state: 'removed', critique: '', error: 'removed from the studio before it finished' };
  const withScore = { ...base, ...(photo.score !== undefined ? { score: photo.score } : {}), critique: photo.critique };
  if (photo.status === 'failed') return { ...withScore, state: 'failed', error: photo.error ?? 'analysis failed' };
  if (photo.status === 'cancelled') return { ...withScore, state: 'failed', error: 'cancelled' };
  if (photo.status === 'queued') return { ...withScore, state: 'waiting' };
  if (photo.status === 'analysing') return { ...withScore, state: 'analysing' };
  if (photo.critiqueStatus === 'queued' || photo.critiqueStatus === 'streaming' || photo.status === 'critiquing') {
    return { ...withScore, state: 'critiquing' };
  }
  if (photo.critiqueStatus === 'failed') {
    return { ...withScore, state: 'failed', error: `critique failed: ${photo.critiqueError ?? 'unknown error'}` };
  }
  if (photo.critiqueStatus === 'stopped') {
    return { ...withScore, state: 'failed', error: 'the critique was stopped before it finished' };
  }
  return { ...withScore, state: 'done' };
}

/** True when no photo of the run has work left. */
export const isSettled = (results: readonly EvalPhotoResult[]): boolean =>
  results.every((r) => r.state === 'done' || r.state === 'failed' || r.state === 'removed');

/**
 * Scores the finished critiques against their references (models/metrics, pycocoevalcap scale)
 * and attaches per-photo metrics. Photos without a finished critique are left out of the corpus.
 */
export function scoreResults(results: readonly EvalPhotoResult[]): {
  evaluation: CaptionEvaluation | null;
  photos: EvalPhotoResult[];
} {
  const done = results.filter((r) => r.state === 'done');
  if (done.length === 0) return { evaluation: null, photos: [...results] };
  const evaluation = evaluateCaptions(
    Object.fromEntries(done.map((r) => [r.id, r.references])),
    Object.fromEntries(done.map((r) => [r.id, r.critique])),
  );
  return {
    evaluation,
    photos: results.map((r) => {
      const metrics = r.state === 'done' ? evaluation.perImage[r.id] : undefined;
      return metrics ? { ...r, metrics } : r;
    }),
  };
}

/** Metric values as the view shows them: pycocoevalcap's scale, three decimals (as Table I). */
export const formatMetric = (value: number): string => (Number.isFinite(value) ? value.toFixed(3) : 'n/a');

export interface EvaluationReport {
  tool: 'AesLens';
  createdAt: string;
  references: { source: string; format: string };
  packs: { iasm: string; critic: string } | null;
  /** A demo (fixture) pack wrote the critiques: the metrics are not meaningful. */
  demo: boolean;
  /** The warnings the view showed: the demo warning, then what was left out of the scoring. */
  warnings: string[];
  settings: { guidance: boolean; iasvit: boolean; maxNewTokens: number; doSample: boolean };
  /** Photos scored (finished critiques). */
  scored: number;
  metrics: MetricScores | null;
  unavailable: typeof UNAVAILABLE_METRICS;
  photos: EvalPhotoResult[];
}

export function buildReport(
  input: Omit<EvaluationReport, 'tool' | 'unavailable' | 'metrics' | 'scored' | 'warnings'> & {
    evaluation: CaptionEvaluation | null;
    /** What the run left out of the scoring. */
    notes: readonly string[];
  },
): EvaluationReport {
  const { evaluation, notes, ...rest } = input;
  return {
    tool: 'AesLens',
    ...rest,
    warnings: [...(input.demo ? [DEMO_MODELS_WARNING] : []), ...notes],
    scored: input.photos.filter((p) => p.metrics).length,
    metrics: evaluation?.metrics ?? null,
    unavailable: UNAVAILABLE_METRICS,
  };
}

/** Table cells and lines must not break the layout or hold markup: one line, Markdown escaped. */
const cell = (text: string): string => markdownText(text.replace(/\s*\n\s*/g, ' '));

/** The report as Markdown: the metrics in the layout of the paper's Table I, then one row per photo. */
export function reportMarkdown(report: EvaluationReport): string {
  const method = report.packs ? `AesLens (${report.packs.iasm} + ${report.packs.critic})` : 'AesLens';
  const lines = [
    '# AesLens evaluation',
    '',
    ...report.warnings.flatMap((w, i) => [i === 0 && report.demo ? `**${cell(w)}.**` : `> Note: ${cell(w)}`, '']),
    `References: ${cell(report.references.source)} (${report.references.format}). ` +
      `Saliency guidance ${report.settings.guidance ? 'on' : 'off'}, ` +
      `IAS-ViT encoder ${report.settings.iasvit ? 'on' : 'off'}, ` +
      `max ${report.settings.maxNewTokens} new tokens, ${report.settings.doSample ? 'sampling' : 'greedy'}. ` +
      `${report.createdAt}.`,
    '',
  ];
  if (report.metrics)
    lines.push(formatTableI(report.references.source, [{ method, metrics: report.metrics }], report.scored));
  else lines.push('No photo has a finished critique: no metrics.', '');
  lines.push(
    ...Object.entries(report.unavailable).map(([name, why]) => `${name}: ${why}.`),
    '',
    '## Photos',
    '',
    `| Photo | Score | ${METRIC_NAMES.join(' | ')} | Critique |`,
    `|${' --- |'.repeat(METRIC_NAMES.length + 3)}`,
    ...report.photos.map((p) => {
      const metrics = METRIC_NAMES.map((m) => (p.metrics ? formatMetric(p.metrics[m]) : '–'));
      const score = p.score === undefined ? '–' : p.score.toFixed(3);
      const critique = p.state === 'done' ? p.critique : `(${p.error ?? p.state})`;
      return `| ${cell(p.fileName)} | ${score} | ${metrics.join(' | ')} | ${cell(critique)} |`;
    }),
    '',
    '## Critiques and their references',
    '',
    ...report.photos.flatMap((p) => [
      `### ${cell(p.fileName)}`,
      '',
      `Critique: ${cell(p.state === 'done' ? p.critique : `(${p.error ?? p.state})`)}`,
      '',
      'References:',
      '',
      ...p.references.map((r) => `- ${cell(r)}`),
      '',
    ]),
  );
  return lines.join('\n');
}
