// "Write critiques for picks": the photos asked for at once, so their progress can be shown and the
// rest cancelled. Photos not analysed yet are critiqued as soon as their heatmap exists.
import { create } from 'zustand';
import { hasSaliency, usePhotos, type Photo } from './photos.ts';

export interface CritiqueBatchState {
  /** The photos asked for, in the order asked. */
  ids: string[];
  /** Queues a critique for each photo that has none written (done ones are kept). */
  start(ids: readonly string[]): void;
  /** Stops the critique being written and takes the waiting ones off the queue. */
  cancel(): void;
}

/** Whether a photo's critique is still to come (waiting for its heatmap, queued or being written). */
export const critiquePending = (p: Photo): boolean =>
  p.status === 'queued' ||
  p.status === 'analysing' ||
  p.critiqueStatus === 'queued' ||
  p.critiqueStatus === 'streaming';

export const useCritiqueBatch = create<CritiqueBatchState>()((set, get) => ({
  ids: [],
  start(ids) {
    const { photos, update } = usePhotos.getState();
    const wanted = photos.filter((p) => ids.includes(p.id) && p.status !== 'failed' && p.status !== 'cancelled');
    for (const p of wanted)
      if (hasSaliency(p) && (p.critiqueStatus === 'idle' || p.critiqueStatus === 'failed'))
        update(p.id, { critique: '', critiqueStatus: 'queued', critiqueError: undefined });
    set({ ids: wanted.map((p) => p.id) });
  },
  cancel() {
    const { photos, update, stopCritique } = usePhotos.getState();
    const asked = new Set(get().ids);
    for (const p of photos) {
      if (!asked.has(p.id)) continue;
      if (p.critiqueStatus === 'streaming') stopCritique(p.id);
      else if (p.critiqueStatus === 'queued')
        update(p.id, { critiqueStatus: 'idle', ...(p.status === 'critiquing' ? { status: 'done' } : {}) });
    }
    set({ ids: [] });
  },
}));
