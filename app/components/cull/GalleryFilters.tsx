import { useId } from 'react';
import type { FlagFilter, SortKey } from '../../lib/cull/arrange.ts';
import { COLOUR_LABELS, LABEL_NAMES, type ColourLabel, type Rating } from '../../lib/cull/types.ts';
import { useGalleryView } from '../../state/galleryView.ts';
import './cull.css';

const SORTS: [SortKey, string][] = [
  ['added', 'Order added'],
  ['score', 'Score'],
  ['rating', 'Stars'],
  ['clipped', 'Clipped highlights'],
  ['date', 'Date taken'],
];
const FLAGS: [FlagFilter, string][] = [
  ['all', 'All photos'],
  ['picks', 'Picks'],
  ['not-rejected', 'Not rejected'],
  ['unflagged', 'Unflagged'],
  ['rejects', 'Rejected'],
];
const RATINGS: Rating[] = [0, 1, 2, 3, 4, 5];

/** Sort and filter for the gallery, with how many photos the filter shows. */
export function GalleryFilters({ shown, total }: { shown: number; total: number }) {
  const view = useGalleryView();
  const id = useId();
  return (
    <div className="gallery-filters" role="group" aria-label="Sort and filter">
      <div className="gallery-filters__field">
        <label htmlFor={`${id}-sort`}>Sort</label>
        <select id={`${id}-sort`} value={view.sort} onChange={(e) => view.setView({ sort: e.target.value as SortKey })}>
          {SORTS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="gallery-filters__field">
        <label htmlFor={`${id}-flag`}>Show</label>
        <select
          id={`${id}-flag`}
          value={view.flag}
          onChange={(e) => view.setView({ flag: e.target.value as FlagFilter })}
        >
          {FLAGS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <div className="gallery-filters__field">
        <label htmlFor={`${id}-stars`}>Stars</label>
        <select
          id={`${id}-stars`}
          value={view.minRating}
          onChange={(e) => view.setView({ minRating: Number(e.target.value) as Rating })}
        >
          {RATINGS.map((r) => (
            <option key={r} value={r}>
              {r === 0 ? 'Any' : `${r}+ ★`}
            </option>
          ))}
        </select>
      </div>
      <div className="gallery-filters__field">
        <label htmlFor={`${id}-label`}>Label</label>
        <select
          id={`${id}-label`}
          value={view.label}
          onChange={(e) => view.setView({ label: e.target.value as ColourLabel | 'any' })}
        >
          <option value="any">Any</option>
          {COLOUR_LABELS.map((l) => (
            <option key={l} value={l}>
              {LABEL_NAMES[l]}
            </option>
          ))}
        </select>
      </div>
      {shown < total && (
        <p className="gallery-filters__count" role="status" data-testid="filter-count">
          {shown} of {total} shown
        </p>
      )}
    </div>
  );
}
