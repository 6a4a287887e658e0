// Keeps the large per-photo maps (saliency map, clipping mask, measured details) in memory only for the
// photos on screen and the few shown last; the others wait in the session database and come back
// when shown. The gallery, sorting, filters and stacks read only the small fields, which stay in memory.
import { mapsBy, MAP_KINDS, mapsPagedOut, pagedBy, usePhotos, type Photo, type PhotoMaps } from '../photos.ts';
import { readMaps, type SessionDb } from './db.ts';
import { isMapStored, markMapStored } from './saver.ts';
import { useSession } from './status.ts';

/** Photos off screen that keep their maps: the last ones shown, so going back is instant. */
export const RESIDENT_MAPS = 8;

/** Changes other than to the selection are looked at this long after (analysis changes photos often). */
const SYNC_DELAY_MS = 500;

const current = (id: string): Photo | undefined => usePhotos.getState().photos.find((p) => p.id === id);

/** Whether every map the photo holds is stored, so dropping them from memory loses nothing. */
const canPageOut = (p: Photo): boolean =>
  MAP_KINDS.some((kind) => p[kind] !== undefined) &&
  MAP_KINDS.every((kind) => {
    const map = p[kind];
    return !map || isMapStored(map);
  });

/** The photo's maps in memory. */
const heldMaps = (p: Photo): PhotoMaps => mapsBy((kind) => p[kind]);

export class MapPager {
  /** Ids shown last, most recent last, RESIDENT_MAPS at most. */
  private recent: string[] = [];
  /** What each view shows now, by the view's key. */
  private readonly shown = new Map<string, readonly string[]>();
  private readonly loading = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly db: SessionDb) {
    usePhotos.subscribe((s, prev) => {
      if (s.selectedId !== prev.selectedId) this.sync();
      else this.later();
    });
    // Each save may have stored maps that can now leave memory.
    useSession.subscribe(() => this.later());
  }

  private later(): void {
    this.timer ??= setTimeout(() => this.sync(), SYNC_DELAY_MS);
  }

  /** A view shows these photos (an empty list when it closes). */
  show(view: string, ids: readonly string[]): void {
    if (ids.length === 0) this.shown.delete(view);
    else this.shown.set(view, ids);
    this.sync();
  }

  /** The ids whose maps stay in memory: those on screen, then the last shown. */
  resident(): Set<string> {
    const { selectedId } = usePhotos.getState();
    const onScreen = new Set([...(selectedId ? [selectedId] : []), ...[...this.shown.values()].flat()]);
    this.recent = [...this.recent.filter((id) => !onScreen.has(id)), ...onScreen].slice(-RESIDENT_MAPS);
    return new Set([...onScreen, ...this.recent]);
  }

  /** Brings the maps of photos on screen back and drops those of photos long off screen. */
  sync(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const keep = this.resident();
    const out = new Map<string, Partial<Photo>>();
    for (const p of usePhotos.getState().photos) {
      if (keep.has(p.id)) {
        if (mapsPagedOut(p)) void this.pageIn(p.id);
      } else if (canPageOut(p)) {
        const paged = pagedBy((kind) => p[kind] !== undefined || p.paged?.[kind] === true);
        out.set(p.id, { ...Object.fromEntries(MAP_KINDS.map((kind) => [kind, undefined])), paged });
      }
    }
    if (out.size === 0) return;
    usePhotos.setState((s) => ({ photos: s.photos.map((p) => (out.has(p.id) ? { ...p, ...out.get(p.id) } : p)) }));
  }

  private async pageIn(id: string): Promise<void> {
    if (this.loading.has(id)) return;
    this.loading.add(id);
    try {
      const maps = await readMaps(this.db, id);
      const p = current(id);
      if (!p?.paged) return;
      const patch: Partial<Photo> = { paged: undefined };
      if (p.paged.saliency) {
        if (maps.saliency) patch.saliency = maps.saliency;
        // Not stored after all: the photo is analysed again rather than shown without its heatmap.
        else patch.status = 'queued';
      }
      // A measurement whose mask or details are not stored is measured again.
      if ((p.paged.clipMask && !maps.clipMask) || (p.paged.details && !maps.details)) patch.measurement = undefined;
      if (p.paged.clipMask && maps.clipMask) patch.clipMask = maps.clipMask;
      if (p.paged.details && maps.details) patch.details = maps.details;
      for (const map of Object.values(maps)) markMapStored(map);
      if (!maps.saliency && p.paged.saliency)
        console.error(`The heatmap of ${p.fileName} was not in the session database`);
      usePhotos.getState().update(id, patch);
    } finally {
      this.loading.delete(id);
    }
  }

  /** The photo's maps, from memory or read from the database (without keeping them in memory). */
  async mapsOf(photo: Photo): Promise<PhotoMaps> {
    const stored = mapsPagedOut(photo) ? await readMaps(this.db, photo.id) : {};
    return mapsBy((kind) => photo[kind] ?? (photo.paged?.[kind] ? stored[kind] : undefined));
  }
}

let pager: MapPager | null = null;

/** Starts paging maps out to the session database (where the browser keeps one). */
export function startPaging(db: SessionDb): MapPager {
  if (!pager) {
    pager = new MapPager(db);
    pager.sync();
  }
  return pager;
}

/** Tells the pager which photos a view shows; returns the call that says the view closed. */
export function showMaps(view: string, ids: readonly string[]): () => void {
  pager?.show(view, ids);
  return () => pager?.show(view, []);
}

/** The photo's maps wherever they are (memory, else the session database). */
export function mapsOf(photo: Photo): Promise<PhotoMaps> {
  if (!pager) {
    if (mapsPagedOut(photo))
      return Promise.reject(new Error(`The maps of ${photo.fileName} are in the session database, which is not open`));
    return Promise.resolve(heldMaps(photo));
  }
  return pager.mapsOf(photo);
}
