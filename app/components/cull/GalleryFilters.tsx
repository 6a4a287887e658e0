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
const RATINGS: [Rating, string][] = [0, 1, 2, 3, 4, 5].map((r) => [r as Rating, r === 0 ? 'Any' : `${r}+ ★`]);
const LABELS: [ColourLabel | 'any', string][] = [
  ['any', 'Any'],
  ...COLOUR_LABELS.map((l) => [l, LABEL_NAMES[l]] as [ColourLabel, string]),
];

/** One labelled select over a table of [value, text] options. */
function Field<T extends string | number>(props: {
  id: string;
  label: string;
  value: T;
  options: [T, string][];
  onChange: (value: T) => void;
}) {
  return (
    <div className="gallery-filters__field">
      <label htmlFor={props.id}>{props.label}</label>
      <select
        id={props.id}
        value={props.value}
        onChange={(e) => props.onChange(props.options[e.target.selectedIndex]![0])}
      >
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Sort and filter for the gallery, with how many photos the filter shows. */
export function GalleryFilters({ shown, total }: { shown: number; total: number }) {
  const view = useGalleryView();
  const id = useId();
  return (
    <div className="gallery-filters" role="group" aria-label="Sort and filter">
      <Field
        id={`${id}-sort`}
        label="Sort"
        value={view.sort}
        options={SORTS}
        onChange={(sort) => view.setView({ sort })}
      />
      <Field
        id={`${id}-flag`}
        label="Show"
        value={view.flag}
        options={FLAGS}
        onChange={(flag) => view.setView({ flag })}
      />
      <Field
        id={`${id}-stars`}
        label="Stars"
        value={view.minRating}
        options={RATINGS}
        onChange={(minRating) => view.setView({ minRating })}
      />
      <Field
        id={`${id}-label`}
        label="Label"
        value={view.label}
        options={LABELS}
        onChange={(label) => view.setView({ label })}
      />
      <label className="gallery-filters__check">
        <input type="checkbox" checked={view.bestOnly} onChange={(e) => view.setView({ bestOnly: e.target.checked })} />
        Best of each stack
      </label>
      {shown < total && (
        <p className="gallery-filters__count" role="status" data-testid="filter-count">
          {shown} of {total} shown
        </p>
      )}
    </div>
  );
}
