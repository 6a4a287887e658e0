// The open photo's critique: queued once the photo has stayed open a moment, so arrowing through a
// shoot writes no critique per glance, and taken off the queue again when the user moves on before
// it started.
import { hasSaliency, usePhotos, type Photo } from '../state/photos.ts';

/** How long a photo stays open before its critique is queued. */
export const CRITIQUE_DWELL_MS = 1000;

export class OpenedCritique {
  /** The photo whose critique was queued only because it was open. */
  private queued: string | null = null;
  private shown: { id: string; since: number } | null = null;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    /** Called when the dwell has passed, to look again. */
    private readonly wake: () => void,
    /** Whether a photo's critique was asked for (then moving on leaves it queued). */
    private readonly wanted: (id: string) => boolean,
    private readonly dwellMs = CRITIQUE_DWELL_MS,
  ) {}

  /** Follows the photo open: queues its critique after the dwell, un-queues the one left. */
  follow(selected: Photo | undefined, byId: ReadonlyMap<string, Photo>): void {
    const { update } = usePhotos.getState();
    if (this.queued && this.queued !== selected?.id) {
      const left = byId.get(this.queued);
      this.queued = null;
      if (left?.critiqueStatus === 'queued' && !this.wanted(left.id))
        update(left.id, { critiqueStatus: 'idle', ...(left.status === 'critiquing' ? { status: 'done' } : {}) });
    }
    const now = performance.now();
    if (this.shown?.id !== selected?.id) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.shown = selected ? { id: selected.id, since: now } : null;
    }
    if (
      !this.shown ||
      !selected ||
      !hasSaliency(selected) ||
      selected.status !== 'done' ||
      selected.critiqueStatus !== 'idle'
    )
      return;
    const wait = this.dwellMs - (now - this.shown.since);
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = undefined;
        this.wake();
      }, wait);
      return;
    }
    this.queued = selected.id;
    update(selected.id, { critiqueStatus: 'queued' });
  }
}
