import type { Photo, PhotoStatus } from '../state/photos.ts';

export const STATUS_LABELS: Record<PhotoStatus, string> = {
  queued: 'queued',
  analysing: 'analysing',
  critiquing: 'writing critique',
  done: 'done',
  failed: 'failed',
  cancelled: 'cancelled',
};

export function statusLabel(photo: Photo): string {
  return STATUS_LABELS[photo.status];
}

/** Photos that will be analysed before `photo` (the one being analysed and those queued earlier). */
export function photosAhead(photos: readonly Photo[], photo: Photo): number {
  let ahead = 0;
  for (const p of photos) {
    if (p === photo) break;
    if (p.status === 'queued' || p.status === 'analysing') ahead += 1;
  }
  return ahead;
}

/** The status as the gallery shows it: a queued photo says how many are ahead of it. */
export function galleryStatusLabel(photos: readonly Photo[], photo: Photo): string {
  if (photo.status !== 'queued') return statusLabel(photo);
  const ahead = photosAhead(photos, photo);
  return ahead === 0 ? 'queued, next' : `queued, ${ahead} ahead`;
}
