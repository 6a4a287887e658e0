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
