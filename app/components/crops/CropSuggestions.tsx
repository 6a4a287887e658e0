import type { ScoredCrop } from '../../../models/crops/search.ts';
import { hasSaliency, usePhotos, type Photo } from '../../state/photos.ts';
import { aspectLabel, noCropLine, scoreChange, shownCrops } from './cropText.ts';
import './crops.css';

/** "Suggest crops" on one line beside what it does, then the best few as a list (the same crops are outlined over the photo), or why none. */
export function CropSuggestions({ photo, onOpen }: { photo: Photo; onOpen(crop: ScoredCrop): void }) {
  const suggest = usePhotos((s) => s.suggestCrops);
  const status = photo.cropsStatus;
  const result = photo.crops;
  if (!hasSaliency(photo)) return null;
  const crops = result ? shownCrops(result) : [];
  return (
    <section className="crop-suggestions" aria-label="Crop suggestions" data-testid="crop-suggestions">
      <div className="crop-suggestions__head">
        <h2>Crops</h2>
        {status === undefined && (
          <p className="crop-suggestions__hint muted">
            Scores crops at common ratios, placed by the heatmap, with the same aesthetic model.
          </p>
        )}
        {status !== 'done' && (
          <button
            type="button"
            className="button button--small"
            onClick={() => suggest(photo.id)}
            disabled={status === 'queued' || status === 'running'}
          >
            {status === 'queued' || status === 'running' ? 'Scoring crops…' : 'Suggest crops'}
          </button>
        )}
      </div>
      {status === 'failed' && (
        <p className="crop-suggestions__error" role="alert">
          Crops could not be scored: {photo.cropsError}
        </p>
      )}
      {result && status === 'done' && (
        <div role="status">
          {crops.length === 0 ? (
            <p data-testid="no-crop">{noCropLine(result)}</p>
          ) : (
            <>
              <p className="muted">
                Scored {result.crops.length} crops; these beat the full frame by more than the model&apos;s noise (±
                {result.noise.toFixed(2)}). Choose one to preview it with its own heatmap.
              </p>
              <ol className="crop-suggestions__list">
                {crops.map((c) => (
                  <li key={`${c.x},${c.y},${c.width},${c.height}`}>
                    <button type="button" className="crop-suggestions__item" onClick={() => onOpen(c)}>
                      <b>{aspectLabel(c)}</b>
                      <span className="crop-suggestions__score">{scoreChange(result.fullFrame, c.score)}</span>
                      <span className="muted">
                        {c.width} × {c.height}
                      </span>
                    </button>
                  </li>
                ))}
              </ol>
            </>
          )}
        </div>
      )}
    </section>
  );
}
