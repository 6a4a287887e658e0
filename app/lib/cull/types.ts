// Culling vocabulary, as Lightroom and darktable name it.

/** Stars; 0 is unrated. */
export type Rating = 0 | 1 | 2 | 3 | 4 | 5;
export type Flag = 'pick' | 'reject' | 'none';
export type ColourLabel = 'red' | 'yellow' | 'green' | 'blue' | 'purple' | 'none';

export interface Cull {
  rating: Rating;
  flag: Flag;
  label: ColourLabel;
}

export const COLOUR_LABELS: readonly Exclude<ColourLabel, 'none'>[] = ['red', 'yellow', 'green', 'blue', 'purple'];

/** The label's name as Lightroom writes it in `xmp:Label`. */
export const LABEL_NAMES: Record<Exclude<ColourLabel, 'none'>, string> = {
  red: 'Red',
  yellow: 'Yellow',
  green: 'Green',
  blue: 'Blue',
  purple: 'Purple',
};

/** "3 stars, pick, red label": the cull in words, empty when nothing is set. */
export function describeCull(cull: Cull): string {
  const parts: string[] = [];
  if (cull.rating > 0) parts.push(`${cull.rating} star${cull.rating === 1 ? '' : 's'}`);
  if (cull.flag === 'pick') parts.push('pick');
  if (cull.flag === 'reject') parts.push('rejected');
  if (cull.label !== 'none') parts.push(`${cull.label} label`);
  return parts.join(', ');
}
