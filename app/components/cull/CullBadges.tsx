import type { Cull } from '../../lib/cull/types.ts';
import './cull.css';

/** Flag and label over a gallery thumbnail; nothing when the photo has neither. */
export function CullBadges({ cull }: { cull: Cull }) {
  return (
    <>
      {cull.label !== 'none' && (
        <span
          className={`cull-badge__label cull-label--${cull.label}`}
          data-testid="cull-label"
          data-label={cull.label}
        />
      )}
      {cull.flag !== 'none' && (
        <span
          className={`cull-badge__flag cull-badge__flag--${cull.flag}`}
          data-testid="cull-flag"
          data-flag={cull.flag}
        >
          {cull.flag === 'pick' ? '⚑' : '✕'}
        </span>
      )}
    </>
  );
}

/** The stars under a gallery thumbnail's name; nothing when unrated. */
export function CullStars({ rating }: { rating: Cull['rating'] }) {
  if (rating === 0) return null;
  return (
    <span className="cull-badge__stars" data-testid="cull-stars" data-rating={rating} aria-hidden="true">
      {'★'.repeat(rating)}
    </span>
  );
}
