import type { ScoredCrop } from '../../../models/crops/search.ts';
import { aspectLabel, scoreChange } from './cropText.ts';

/** The suggested crops outlined over the photo, each a button that opens its preview. */
export function CropOverlay({
  crops,
  fullFrame,
  width,
  height,
  onOpen,
}: {
  crops: ScoredCrop[];
  fullFrame: number;
  width: number;
  height: number;
  onOpen(crop: ScoredCrop): void;
}) {
  return (
    <div className="crop-overlay" data-testid="crop-overlay">
      {crops.map((c, i) => (
        <button
          key={`${c.x},${c.y},${c.width},${c.height}`}
          type="button"
          className={`crop-overlay__box crop-overlay__box--${i + 1}`}
          style={{
            left: `${(c.x / width) * 100}%`,
            top: `${(c.y / height) * 100}%`,
            width: `${(c.width / width) * 100}%`,
            height: `${(c.height / height) * 100}%`,
          }}
          aria-label={`Preview crop ${i + 1}: ${aspectLabel(c)}, score ${scoreChange(fullFrame, c.score)}`}
          onClick={() => onOpen(c)}
        >
          <span className="crop-overlay__label">
            <b>{aspectLabel(c)}</b> <span className="crop-overlay__score">{scoreChange(fullFrame, c.score)}</span>
          </span>
        </button>
      ))}
    </div>
  );
}
