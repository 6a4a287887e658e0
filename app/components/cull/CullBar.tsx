import { COLOUR_LABELS, LABEL_NAMES, type Rating } from '../../lib/cull/types.ts';
import { cullOf, useCulling } from '../../state/culling.ts';
import { StackNote } from './StackNote.tsx';
import './cull.css';

const STARS: Rating[] = [1, 2, 3, 4, 5];
const FLAG_BUTTONS = [
  ['pick', 'Pick', 'P'],
  ['reject', 'Reject', 'X'],
] as const;

/** Stars, pick/reject and colour label of the photo shown, as buttons beside the keys that do the same. */
export function CullBar({ photoId }: { photoId: string }) {
  const cull = useCulling((s) => cullOf(s.byId, photoId));
  const setRating = useCulling((s) => s.setRating);
  const setFlag = useCulling((s) => s.setFlag);
  const toggleLabel = useCulling((s) => s.toggleLabel);
  return (
    <div className="cull-bar" role="group" aria-label="Rating, flag and label" data-testid="cull-bar">
      <div className="cull-bar__stars" role="group" aria-label={`Rating: ${cull.rating} of 5 stars`}>
        {STARS.map((n) => (
          <button
            key={n}
            type="button"
            className={`cull-bar__star${n <= cull.rating ? ' cull-bar__star--on' : ''}`}
            aria-label={`${n} star${n === 1 ? '' : 's'}`}
            aria-pressed={cull.rating === n}
            aria-keyshortcuts={String(n)}
            title={`${n} star${n === 1 ? '' : 's'} (${n}); again for none`}
            onClick={() => setRating(photoId, cull.rating === n ? 0 : n)}
          >
            ★
          </button>
        ))}
      </div>
      <div className="cull-bar__flags">
        {FLAG_BUTTONS.map(([flag, text, key]) => (
          <button
            key={flag}
            type="button"
            className={`cull-bar__flag${cull.flag === flag ? ` cull-bar__flag--${flag}` : ''}`}
            aria-pressed={cull.flag === flag}
            aria-keyshortcuts={key}
            title={`${text} (${key})`}
            onClick={() => setFlag(photoId, cull.flag === flag ? 'none' : flag)}
          >
            {text}
          </button>
        ))}
      </div>
      <div className="cull-bar__labels" role="group" aria-label="Colour label">
        {COLOUR_LABELS.map((l, i) => (
          <button
            key={l}
            type="button"
            className={`cull-bar__label cull-label--${l}${cull.label === l ? ' cull-bar__label--on' : ''}`}
            aria-label={`${LABEL_NAMES[l]} label`}
            aria-pressed={cull.label === l}
            {...(i < 4 ? { 'aria-keyshortcuts': String(6 + i) } : {})}
            title={`${LABEL_NAMES[l]} label${i < 4 ? ` (${6 + i})` : ''}`}
            onClick={() => toggleLabel(photoId, l)}
          />
        ))}
      </div>
      <StackNote photoId={photoId} />
    </div>
  );
}
