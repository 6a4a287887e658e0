// What a photo looks like on disk: everything computed for it, without the file and the large maps
// (stored apart), the decoded bitmap or object URLs (rebuilt on load). Work cut short by a reload is queued again.
import { hasSaliency, type Photo } from '../photos.ts';

/** The fields of a photo kept across reloads. */
const KEPT = [
  'id',
  'fileName',
  'fileSize',
  'mimeType',
  'header',
  'status',
  'error',
  'notice',
  'width',
  'height',
  'score',
  'classIndex',
  'visualHash',
  'embedding',
  'cam',
  'measurement',
  'measurementError',
  'critique',
  'critiqueStatus',
  'critiqueError',
  'criticPrompt',
  'timings',
  'backend',
  'criticBackend',
  'packs',
  'cameraData',
] as const satisfies readonly (keyof Photo)[];

/** The kept fields, and (as read back) which maps the database holds for the photo. */
export type PhotoRecord = Pick<Photo, (typeof KEPT)[number] | 'paged'>;

export function toRecord(photo: Photo): PhotoRecord {
  const record: Partial<Record<keyof Photo, unknown>> = {};
  for (const key of KEPT) if (photo[key] !== undefined) record[key] = photo[key];
  return record as PhotoRecord;
}

/**
 * The photo as it should continue: an analysis or critique that was running starts again (a
 * critique from its beginning); finished, failed and cancelled work stays as it was.
 */
export function resumed(photo: Photo): Photo {
  if (photo.status === 'analysing') return { ...photo, status: 'queued' };
  if (photo.critiqueStatus === 'streaming') {
    return {
      ...photo,
      critique: '',
      critiqueStatus: 'queued',
      status: hasSaliency(photo) ? 'critiquing' : photo.status,
    };
  }
  return photo;
}

export function fromRecord(record: PhotoRecord, file: Blob): Photo {
  return resumed({ ...record, file });
}

/**
 * Whether writing `next` would store nothing new over `saved`: the kept fields are the same (a
 * decoded bitmap or a map paged in or out is not stored), and a critique still streaming is not worth
 * storing token by token (a reload writes it again from the start).
 */
export function sameRecord(saved: PhotoRecord, next: Photo): boolean {
  if (saved === next) return true;
  const streaming = next.critiqueStatus === 'streaming' && saved.critiqueStatus === 'streaming';
  return KEPT.every((key) => saved[key] === next[key] || (streaming && (key === 'critique' || key === 'timings')));
}

/** Whether the photo is worth keeping yet: its header was read (or it was refused with a reason). */
export const isKeepable = (photo: Photo): boolean => photo.mimeType !== '' || photo.status === 'failed';
