import type { Cull } from '../../lib/cull/types.ts';
import './cull.css';

/** Stars, flag and label over a gallery thumbnail; nothing when the photo is not culled yet. */
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
      {cull.rating > 0 && (
        <span className="cull-badge__stars" data-testid="cull-stars" data-rating={cull.rating}>
          {'★'.repeat(cull.rating)}
        </span>
      )}
    </>
  );
}
