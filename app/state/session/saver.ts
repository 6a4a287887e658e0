// Writes the open session to IndexedDB shortly after it changes: each photo (a copy of its file),
// what was computed for it (its large maps apart, each once), and the session's order, selection and
// culls. A photo the device has no room for stays for this visit and is counted, so the user is told.
import { useCulling } from '../culling.ts';
import { MAP_KINDS, usePhotos, type MapKind, type Photo } from '../photos.ts';
import { useCleared } from './clear.ts';
import { mapKey, putStoredPhotos, type SessionDb, type SessionMeta } from './db.ts';
import { useFolderAccess } from './folderAccess.ts';
import { isKeepable, sameRecord, toRecord, type PhotoRecord } from './records.ts';
import { refreshEstimate, useSession } from './status.ts';

/** Writes wait this long for more changes (a streamed critique changes its photo many times a second). */
const SAVE_DELAY_MS = 400;
/** …but never longer than this after the first unsaved change, so a busy analysis is saved as it goes. */
const SAVE_MAX_WAIT_MS = 1000;

/** Photos (and maps) written per transaction. */
const WRITE_CHUNK = 25;

const isQuotaError = (err: unknown): boolean =>
  err instanceof DOMException && (err.name === 'QuotaExceededError' || err.name === 'UnknownError');

/** Bytes the session keeps for the photo: its copy, or nothing when it is read from the user's folder. */
export const keptSize = (p: Photo): number => (p.source ? 0 : p.fileSize);

/** Maps known to be in the database (written, or read from it): only these may leave memory. */
const storedMaps = new WeakSet<object>();
export const isMapStored = (map: object): boolean => storedMaps.has(map);
export const markMapStored = (map: object): void => void storedMaps.add(map);

interface MapWrite {
  photoId: string;
  kind: MapKind;
  map: NonNullable<Photo[MapKind]>;
}

/** The photo's maps in memory that the database does not have yet. */
const unstoredMaps = (p: Photo): MapWrite[] =>
  MAP_KINDS.flatMap((kind) => {
    const map = p[kind];
    return map && !storedMaps.has(map) ? [{ photoId: p.id, kind, map }] : [];
  });

/** Photos out of the stores that Undo may still bring back: their maps stay stored. */
function undoable(): Set<string> {
  const ids = new Set(usePhotos.getState().removed.map((r) => r.photo.id));
  const cleared = useCleared.getState().cleared;
  for (const p of cleared?.photos ?? []) ids.add(p.id);
  for (const p of cleared?.waiting ?? []) ids.add(p.record.id);
  return ids;
}

export class SessionSaver {
  /** The record last written for each id (its fields are the photo's own, so unchanged ones compare equal). */
  private readonly saved = new Map<string, PhotoRecord>();
  /** Photos whose maps may be in the database: deleted once the photo is gone for good. */
  private readonly mapsHeld = new Set<string>();
  private readonly filesKept = new Map<string, number>();
  private readonly thumbnailsKept = new Set<string>();
  private savedMeta: SessionMeta | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the oldest change not yet written was scheduled (performance.now()). */
  private unsavedSince: number | undefined;
  private writing: Promise<void> = Promise.resolve();
  private waiting: string[] = [];
  private waitingOrder: string[] = [];

  constructor(
    private readonly db: SessionDb,
    readonly sessionId: string,
  ) {}

  markRestored(photos: Photo[], thumbnails: Set<string>, meta: SessionMeta | undefined): void {
    this.markKept(photos, thumbnails);
    this.savedMeta = meta;
  }

  /** Photos read from the database: stored as they are. */
  markKept(photos: Photo[], thumbnails: Set<string>): void {
    for (const p of photos) {
      this.saved.set(p.id, toRecord(p));
      if (p.paged) this.mapsHeld.add(p.id);
      this.filesKept.set(p.id, keptSize(p));
      if (thumbnails.has(p.id)) this.thumbnailsKept.add(p.id);
    }
  }

  /** Stored photos not in the stores yet (waiting for a folder's permission): they keep their place. */
  keepWaiting(ids: string[]): void {
    this.waiting = ids;
    for (const id of ids) this.mapsHeld.add(id);
    this.waitingOrder = this.savedMeta?.order ?? [];
  }

  /** The photos' order, with the waiting ones where they were. */
  private order(photos: readonly Photo[]): string[] {
    const ids = photos.map((p) => p.id);
    if (this.waiting.length === 0) return ids;
    const shown = new Set([...ids, ...this.waiting]);
    const kept = this.waitingOrder.filter((id) => shown.has(id));
    const placed = new Set(kept);
    return [...kept, ...ids.filter((id) => !placed.has(id))];
  }

  /** The session's order as last written (or read). */
  savedOrder(): string[] {
    return this.savedMeta?.order ?? [];
  }

  schedule(): void {
    const now = performance.now();
    this.unsavedSince ??= now;
    clearTimeout(this.timer);
    const wait = Math.max(0, Math.min(SAVE_DELAY_MS, this.unsavedSince + SAVE_MAX_WAIT_MS - now));
    this.timer = setTimeout(() => {
      this.unsavedSince = undefined;
      this.writing = this.writing.then(() => this.flush()).catch((err) => console.error('Saving the session', err));
    }, wait);
  }

  /** Writes what is waiting now, then nothing more: the stores are about to hold another session. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.unsavedSince = undefined;
    await this.writing;
    await this.flush();
  }

  /** Writes what changed since the last flush. */
  private async flush(): Promise<void> {
    const { photos, selectedId } = usePhotos.getState();
    const byId = new Map(photos.map((p) => [p.id, p]));
    // Photos waiting for their folder go with Clear session, and come back with its Undo.
    const held = useFolderAccess.getState().waiting;
    const heldIds = new Set(held.map((p) => p.record.id));
    const dropped = this.waiting.filter((id) => !heldIds.has(id) && !byId.has(id));
    const back = held.filter((p) => !this.waiting.includes(p.record.id));
    if (dropped.length > 0 || back.length > 0) this.waiting = [...heldIds];
    if (back.length > 0) await putStoredPhotos(this.db, this.sessionId, back);
    const gone = [...[...this.saved.keys()].filter((id) => !byId.has(id)), ...dropped];
    const changed = photos.filter((p) => {
      const saved = this.saved.get(p.id);
      return isKeepable(p) && !(saved && sameRecord(saved, p) && this.filesKept.has(p.id));
    });
    const maps = photos.flatMap(unstoredMaps);
    const kept = undoable();
    const mapsGone = [...this.mapsHeld].filter((id) => !byId.has(id) && !kept.has(id) && !heldIds.has(id));
    const meta: SessionMeta = { order: this.order(photos), selectedId, culls: useCulling.getState().byId };
    const metaChanged =
      !this.savedMeta ||
      this.savedMeta.selectedId !== meta.selectedId ||
      this.savedMeta.culls !== meta.culls ||
      this.savedMeta.order.join() !== meta.order.join();
    if (gone.length === 0 && changed.length === 0 && maps.length === 0 && mapsGone.length === 0 && !metaChanged) return;

    const thumbnails = new Map<string, Blob>();
    for (const p of changed) if (p.thumbnail && !this.thumbnailsKept.has(p.id)) thumbnails.set(p.id, p.thumbnail);
    const unkept = new Set(useSession.getState().unkept);
    for (const id of gone) unkept.delete(id);
    const write = (batch: Photo[], mapWrites: MapWrite[], deleted: string[], mapsDeleted: string[]) =>
      this.write({ changed: batch, maps: mapWrites, gone: deleted, mapsGone: mapsDeleted, thumbnails, meta });
    try {
      // A few photos per transaction (each with its maps): cloning thousands of records in one
      // would hold the page up.
      const ofChanged = new Set(changed.map((p) => p.id));
      for (let i = 0; i < changed.length; i += WRITE_CHUNK) {
        const batch = changed.slice(i, i + WRITE_CHUNK);
        const ids = new Set(batch.map((p) => p.id));
        await write(
          batch,
          maps.filter((m) => ids.has(m.photoId)),
          [],
          [],
        );
      }
      const others = maps.filter((m) => !ofChanged.has(m.photoId));
      for (let i = 0; i < others.length; i += WRITE_CHUNK) await write([], others.slice(i, i + WRITE_CHUNK), [], []);
      await write([], [], gone, mapsGone);
      for (const p of changed) unkept.delete(p.id);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
      // No room for all of them: keep what fits, one photo at a time; maps that do not fit stay in memory.
      for (const p of changed) {
        try {
          await write([p], [], [], []);
          unkept.delete(p.id);
        } catch (e) {
          if (!isQuotaError(e)) throw e;
          unkept.add(p.id);
        }
      }
      for (const m of maps) await write([], [m], [], []).catch(() => {});
      await write([], [], gone, mapsGone).catch(() => {});
    }
    this.savedMeta = meta;
    let keptBytes = 0;
    for (const bytes of this.filesKept.values()) keptBytes += bytes;
    useSession.setState({ unkept: [...unkept], keptBytes });
    void refreshEstimate();
  }

  private async write(w: {
    changed: Photo[];
    maps: MapWrite[];
    gone: string[];
    mapsGone: string[];
    thumbnails: Map<string, Blob>;
    meta: SessionMeta;
  }) {
    const { changed, gone, thumbnails, meta } = w;
    const tx = this.db.transaction(['photos', 'files', 'meta', 'maps'], 'readwrite');
    const photos = tx.objectStore('photos');
    const files = tx.objectStore('files');
    const maps = tx.objectStore('maps');
    for (const m of w.maps) void maps.put(m.map, mapKey(m.photoId, m.kind));
    for (const id of w.mapsGone) for (const kind of MAP_KINDS) void maps.delete(mapKey(id, kind));
    for (const p of changed) {
      void photos.put({ ...toRecord(p), sessionId: this.sessionId });
      const thumbnail = thumbnails.get(p.id);
      if (!this.filesKept.has(p.id) || thumbnail) {
        const kept = p.source ? { source: p.source } : { file: p.file };
        void files.put({ ...kept, ...(thumbnail ? { thumbnail } : {}) }, p.id);
      }
    }
    for (const id of gone) {
      void photos.delete(id);
      void files.delete(id);
    }
    void tx.objectStore('meta').put(meta, this.sessionId);
    await tx.done;
    for (const m of w.maps) {
      storedMaps.add(m.map);
      this.mapsHeld.add(m.photoId);
    }
    for (const id of w.mapsGone) this.mapsHeld.delete(id);
    for (const p of changed) {
      this.saved.set(p.id, toRecord(p));
      this.filesKept.set(p.id, keptSize(p));
      if (thumbnails.has(p.id)) this.thumbnailsKept.add(p.id);
    }
    for (const id of gone) {
      this.saved.delete(id);
      this.filesKept.delete(id);
      this.thumbnailsKept.delete(id);
    }
  }
}
