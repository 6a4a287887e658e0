import { METRIC_NAMES } from '../../../models/metrics/index.ts';
import { formatMetric, type EvalPhotoResult } from '../../lib/evaluate/results.ts';
import { useEvaluation } from '../../state/evaluation.ts';
import { usePhotos } from '../../state/photos.ts';
import { thumbnailUrl } from '../../state/thumbnails.ts';

const STATE_LABEL: Record<EvalPhotoResult['state'], string> = {
  waiting: 'Queued',
  analysing: 'Analysing',
  critiquing: 'Writing critique',
  done: 'Done',
  failed: 'Failed',
  removed: 'Removed',
};

/** One card per photo: thumbnail, score, state, the critique (as text) beside its references, and its metrics. */
export function PhotoResults({ photos }: { photos: readonly EvalPhotoResult[] }) {
  const run = useEvaluation((s) => s.run);
  const thumbs = usePhotos((s) => s.photos);
  const thumbFor = (id: string): string | undefined => {
    const photoId = run?.entries.find((e) => e.id === id)?.photoId;
    return thumbnailUrl(thumbs.find((p) => p.id === photoId)?.thumbnail);
  };
  return (
    <ol className="eval-photos" aria-label="Per-photo results">
      {photos.map((p) => {
        const thumb = thumbFor(p.id);
        return (
          <li key={p.id} className={`eval-photo eval-photo--${p.state}`} data-testid="eval-photo">
            <div className="eval-photo__head">
              {thumb ? (
                <img className="eval-photo__thumb" src={thumb} alt="" />
              ) : (
                <span className="eval-photo__thumb" />
              )}
              <div className="eval-photo__title">
                <h3 className="eval-photo__name">{p.fileName}</h3>
                <span className={`eval-photo__state${p.state === 'failed' ? ' error' : ''}`}>
                  {STATE_LABEL[p.state]}
                </span>
              </div>
              <div className="eval-photo__score">
                <span className="score__label">Aesthetic score</span>
                <span className="eval-photo__score-value">{p.score === undefined ? '–' : p.score.toFixed(2)}</span>
              </div>
            </div>
            <div className="eval-photo__texts">
              <div>
                <h4 className="eval-photo__label">Critique</h4>
                {p.error ? (
                  <p className="eval-photo__error error">{p.error}</p>
                ) : (
                  <p className="eval-photo__critique" data-testid="eval-critique">
                    {p.critique || <span className="muted">{p.state === 'done' ? '(empty critique)' : '…'}</span>}
                  </p>
                )}
              </div>
              <div>
                <h4 className="eval-photo__label">
                  Reference{p.references.length === 1 ? '' : 's'} ({p.references.length})
                </h4>
                <ul className="eval-photo__refs" aria-label={`References for ${p.fileName}`}>
                  {p.references.map((r, i) => (
                    <li key={i}>{r}</li>
                  ))}
                </ul>
              </div>
            </div>
            {p.metrics && (
              <dl className="eval-photo__metrics" aria-label={`Metrics of ${p.fileName}`}>
                {METRIC_NAMES.map((m) => (
                  <div key={m}>
                    <dt>{m}</dt>
                    <dd>{formatMetric(p.metrics![m])}</dd>
                  </div>
                ))}
              </dl>
            )}
          </li>
        );
      })}
    </ol>
  );
}
