import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { usePhotos, type Photo } from '../../state/photos.ts';

const scored = (p: Photo): boolean => p.score !== undefined && Number.isFinite(p.score);

/** Tick positions along the bar. */
const TICK_BINS = 1000;

/** Where a score sits along the bar, 0 to 1. */
const along = (v: number, lo: number, span: number): number => Math.min(1, Math.max(0, (v - lo) / span));

/** The batch as one path of ticks, one per 0.1 % of the bar: a shoot of thousands stays one element. */
function ticksPath(scores: readonly number[], lo: number, span: number): string {
  const bins = new Set(scores.map((v) => Math.round(TICK_BINS * along(v, lo, span))));
  return [...bins].map((b) => `M${b} 0V1`).join('');
}

/**
 * Where the score sits: on the model's range (when the pack states one) with the batch's scores as
 * ticks, and its rank in the batch.
 */
export function ScoreScale({ score, range }: { score: number | undefined; range?: readonly [number, number] }) {
  // A primitive array, so the shallow comparison holds while nothing changed.
  const scores = usePhotos(useShallow((s) => s.photos.filter(scored).map((p) => p.score!)));
  const [lo, hi] = range ?? [Math.min(...scores), Math.max(...scores)];
  const span = hi - lo || 1;
  const ticks = useMemo(() => ticksPath(scores, lo, span), [scores, lo, span]);
  if (score === undefined || !Number.isFinite(score)) return null;
  const rank = 1 + scores.filter((v) => v > score).length;
  return (
    <div className="score-scale" data-testid="score-scale">
      <div className="score-scale__bar" aria-hidden="true">
        <svg className="score-scale__ticks" viewBox={`0 0 ${TICK_BINS} 1`} preserveAspectRatio="none">
          <path d={ticks} />
        </svg>
        <span className="score-scale__this" style={{ left: `${(100 * along(score, lo, span)).toFixed(1)}%` }} />
      </div>
      <div className="score-scale__ends">
        <span>{lo.toFixed(range ? 0 : 2)}</span>
        <span>{scores.length > 1 ? `#${rank} of ${scores.length} in this batch` : 'the only scored photo so far'}</span>
        <span>{hi.toFixed(range ? 0 : 2)}</span>
      </div>
      <span className="visually-hidden">
        {range ? `Model range ${lo} to ${hi}` : `Batch range ${lo.toFixed(2)} to ${hi.toFixed(2)}`}
      </span>
    </div>
  );
}
