import { useShallow } from 'zustand/react/shallow';
import { usePhotos, type Photo } from '../../state/photos.ts';

const scored = (p: Photo): boolean => p.score !== undefined && Number.isFinite(p.score);

/**
 * Where the score sits: on the model's range (when the pack states one) with the batch's scores as
 * ticks, and its rank in the batch.
 */
export function ScoreScale({
  photoId,
  score,
  range,
}: {
  photoId: string;
  score: number | undefined;
  range?: readonly [number, number];
}) {
  // Primitive arrays, so the shallow comparison holds while nothing changed.
  const ids = usePhotos(useShallow((s) => s.photos.filter(scored).map((p) => p.id)));
  const scores = usePhotos(useShallow((s) => s.photos.filter(scored).map((p) => p.score!)));
  const batch = ids.map((id, i) => ({ id, score: scores[i]! }));
  if (score === undefined || !Number.isFinite(score)) return null;
  const [lo, hi] = range ?? [Math.min(...scores), Math.max(...scores)];
  const span = hi - lo || 1;
  const at = (v: number): string => `${(100 * Math.min(1, Math.max(0, (v - lo) / span))).toFixed(1)}%`;
  const rank = 1 + batch.filter((b) => b.score > score).length;
  return (
    <div className="score-scale" data-testid="score-scale">
      <div className="score-scale__bar" aria-hidden="true">
        {batch.map((b) => (
          <span
            key={b.id}
            className={`score-scale__tick${b.id === photoId ? ' score-scale__tick--this' : ''}`}
            style={{ left: at(b.score) }}
          />
        ))}
      </div>
      <div className="score-scale__ends">
        <span>{lo.toFixed(range ? 0 : 2)}</span>
        <span>{batch.length > 1 ? `#${rank} of ${batch.length} in this batch` : 'the only scored photo so far'}</span>
        <span>{hi.toFixed(range ? 0 : 2)}</span>
      </div>
      <span className="visually-hidden">
        {range ? `Model range ${lo} to ${hi}` : `Batch range ${lo.toFixed(2)} to ${hi.toFixed(2)}`}
      </span>
    </div>
  );
}
