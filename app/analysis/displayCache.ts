// The photos' display bitmaps (decoded at display size): held for the few photos used last and
// those on screen (the selected one, the ones compare or survey shows), and those the queue works
// on; the others are closed and decoded again from the file when needed.
import { decodeForDisplay } from './intake.ts';
import { useCompare } from '../state/compare.ts';
import { usePhotos, type Photo } from '../state/photos.ts';

/** How many photos keep their display bitmap (those on screen and in work always do). */
const DISPLAY_CACHE = 6;

const current = (id: string): Photo | undefined => usePhotos.getState().photos.find((p) => p.id === id);

export class DisplayCache {
  /** Photo ids holding a display bitmap, least recently used first. */
  private displayed: string[] = [];
  private readonly decoding = new Map<string, Promise<ImageBitmap>>();

  /** `working`: the photos the queue works on now. */
  constructor(private readonly working: () => (string | undefined)[]) {}

  /** The ids of the photos on screen: the selected one and those compared. */
  static onScreen(): string[] {
    const { selectedId } = usePhotos.getState();
    return [...(selectedId ? [selectedId] : []), ...useCompare.getState().shown];
  }

  /** The photo's display bitmap, decoding it (and its thumbnail) if not held. */
  ensure(photoId: string): Promise<ImageBitmap> {
    const photo = current(photoId);
    if (!photo) return Promise.reject(new Error('photo removed'));
    this.displayed = [...this.displayed.filter((id) => id !== photoId), photoId];
    if (photo.displayBitmap) return Promise.resolve(photo.displayBitmap);
    let decoding = this.decoding.get(photoId);
    if (!decoding) {
      decoding = this.decode(photo).finally(() => this.decoding.delete(photoId));
      this.decoding.set(photoId, decoding);
    }
    return decoding;
  }

  /** Forgets photos removed for good (those Undo may bring back stay). */
  releaseRemoved(byId: Map<string, Photo>): void {
    const removed = new Set(usePhotos.getState().removed.map((r) => r.photo.id));
    this.displayed = this.displayed.filter((id) => byId.has(id) || removed.has(id));
  }

  private async decode(photo: Photo): Promise<ImageBitmap> {
    const t0 = performance.now();
    const header = photo.header;
    if (!header) throw new Error(`${photo.fileName} is decoded before its header was read`);
    const decoded = await decodeForDisplay(photo.file, header, { thumbnail: !photo.thumbnail });
    const { bitmap, width, height } = decoded;
    if (!current(photo.id)) {
      bitmap.close();
      throw new Error('photo removed');
    }
    // The decoded size is the true one: headers can disagree with what the browser shows.
    // Only the first decode is timed: a decode again after eviction is not part of the intake.
    const timings = current(photo.id)?.timings;
    usePhotos.getState().update(photo.id, {
      displayBitmap: bitmap,
      ...(decoded.thumbnail ? { thumbnail: decoded.thumbnail } : {}),
      ...(decoded.visualHash ? { visualHash: decoded.visualHash } : {}),
      width,
      height,
      ...(timings?.decodeMs === undefined ? { timings: { ...timings, decodeMs: performance.now() - t0 } } : {}),
    });
    this.evict();
    return bitmap;
  }

  private evict(): void {
    const busy = new Set([...DisplayCache.onScreen(), ...this.working()]);
    while (this.displayed.length > DISPLAY_CACHE) {
      const victim = this.displayed.find((id) => !busy.has(id));
      if (!victim) break;
      this.displayed = this.displayed.filter((id) => id !== victim);
      const p = current(victim);
      if (p?.displayBitmap) {
        p.displayBitmap.close();
        usePhotos.getState().update(victim, { displayBitmap: undefined });
      }
    }
  }
}
