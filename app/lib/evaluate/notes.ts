// The notes an evaluation carries, worded once for the view and its exports: what was left out of
// the scoring (photos without references, references without photos) and the demo-model warning.
import type { PhotoMatch } from './references.ts';

export const DEMO_MODELS_WARNING =
  'Demo models — untrained, for trying the app; the heatmap and critique are not meaningful';

export interface EvaluationNote {
  /** The short, bold part. */
  title: string;
  detail: string;
}

function abbreviate(ids: readonly string[], max = 8): string {
  return ids.length <= max ? ids.join(', ') : `${ids.slice(0, max).join(', ')} and ${ids.length - max} more`;
}

/** What the match leaves out of the scoring, one note per kind. */
export function unscoredNotes(
  match: Pick<PhotoMatch, 'photosWithoutReferences' | 'referencesWithoutPhotos'>,
  source: string,
  photoCount: number,
): EvaluationNote[] {
  const notes: EvaluationNote[] = [];
  const photos = match.photosWithoutReferences;
  if (photos.length > 0)
    notes.push({
      title: `${photos.length} photo${photos.length === 1 ? ' has' : 's have'} no references`,
      detail: `in ${source} and will not be evaluated: ${abbreviate(photos)}`,
    });
  const refs = match.referencesWithoutPhotos;
  if (photoCount > 0 && refs.length > 0)
    notes.push({
      title: `${refs.length} reference set${refs.length === 1 ? '' : 's'} without a photo`,
      detail: `(not scored): ${abbreviate(refs)}`,
    });
  return notes;
}

export const noteText = (note: EvaluationNote): string => `${note.title} ${note.detail}`;
