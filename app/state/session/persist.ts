// Keeps the session in IndexedDB: every photo (a copy of its file), what was computed for it and
// the culls are written shortly after they change, and read back on start so a reload loses
// nothing and interrupted work resumes. A photo the device has no room for stays for this visit and
// is counted, so the user is told.
import { create } from 'zustand';
import { useCulling } from '../culling.ts';
import { usePhotos, type Photo } from '../photos.ts';
import { openSessionDb, readSession, type SessionDb, type SessionMeta } from './db.ts';
import { fromRecord, isKeepable, sameRecord, toRecord } from './records.ts';

/** Writes wait this long for more changes (a streamed critique changes its photo many times a second). */
const SAVE_DELAY_MS = 400;

export interface SessionState {
  /** Until the stored session is read: the gallery says it is being restored. */
  restoring: boolean;
  /** Bytes of photo files kept on this device. */
  keptBytes: number;
  /** Origin storage used and available, as the browser reports them (0 when unknown). */
  usage: number;
  quota: number;
  /** Photos the device had no room for: they are here until the tab closes. */
  unkept: string[];
  /** Why the session cannot be kept at all (no IndexedDB, private mode), or null. */
  unavailable: string | null;
}

export const useSession = create<SessionState>()(() => ({
  restoring: true,
  keptBytes: 0,
  usage: 0,
  quota: 0,
  unkept: [],
  unavailable: null,
}));

const isQuotaError = (err: unknown): boolean =>
  err instanceof DOMException && (err.name === 'QuotaExceededError' || err.name === 'UnknownError');

class SessionSaver {
  /** The photo object last written for each id (store updates replace changed photos only). */
  private readonly saved = new Map<string, Photo>();
  private readonly filesKept = new Map<string, number>();
  private readonly thumbnailsKept = new Set<string>();
  private savedMeta: SessionMeta | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly db: SessionDb) {}

  markRestored(photos: Photo[], thumbnails: Set<string>, meta: SessionMeta | undefined): void {
    for (const p of photos) {
      this.saved.set(p.id, p);
      this.filesKept.set(p.id, p.fileSize);
      if (thumbnails.has(p.id)) this.thumbnailsKept.add(p.id);
    }
    this.savedMeta = meta;
  }

  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.writing = this.writing.then(() => this.flush()).catch((err) => console.error('Saving the session', err));
    }, SAVE_DELAY_MS);
  }

  /** Writes what changed since the last flush. */
  async flush(): Promise<void> {
    const { photos, selectedId } = usePhotos.getState();
    const byId = new Map(photos.map((p) => [p.id, p]));
    const gone = [...this.saved.keys()].filter((id) => !byId.has(id));
    const changed = photos.filter((p) => {
      const saved = this.saved.get(p.id);
      return isKeepable(p) && !(saved && sameRecord(saved, p) && this.filesKept.has(p.id));
    });
    const meta: SessionMeta = { order: photos.map((p) => p.id), selectedId, culls: useCulling.getState().byId };
    const metaChanged =
      !this.savedMeta ||
      this.savedMeta.selectedId !== meta.selectedId ||
      this.savedMeta.culls !== meta.culls ||
      this.savedMeta.order.join() !== meta.order.join();
    if (gone.length === 0 && changed.length === 0 && !metaChanged) return;

    // Thumbnails are read before the transaction: it must not wait on anything but the database.
    const thumbnails = new Map<string, Blob>();
    for (const p of changed) {
      if (p.thumbnailUrl && !this.thumbnailsKept.has(p.id)) {
        thumbnails.set(p.id, await (await fetch(p.thumbnailUrl)).blob());
      }
    }
    const unkept = new Set(useSession.getState().unkept);
    for (const id of gone) unkept.delete(id);
    try {
      await this.write(changed, gone, thumbnails, meta);
      for (const p of changed) unkept.delete(p.id);
    } catch (err) {
      if (!isQuotaError(err)) throw err;
      // No room for all of them: keep what fits, one photo at a time.
      for (const p of changed) {
        try {
          await this.write([p], [], thumbnails, meta);
          unkept.delete(p.id);
        } catch (e) {
          if (!isQuotaError(e)) throw e;
          unkept.add(p.id);
        }
      }
      await this.write([], gone, thumbnails, meta).catch(() => {});
    }
    this.savedMeta = meta;
    let keptBytes = 0;
    for (const bytes of this.filesKept.values()) keptBytes += bytes;
    useSession.setState({ unkept: [...unkept], keptBytes });
    void refreshEstimate();
  }

  private async write(changed: Photo[], gone: string[], thumbnails: Map<string, Blob>, meta: SessionMeta) {
    const tx = this.db.transaction(['photos', 'files', 'meta'], 'readwrite');
    const photos = tx.objectStore('photos');
    const files = tx.objectStore('files');
    for (const p of changed) {
      void photos.put(toRecord(p));
      const thumbnail = thumbnails.get(p.id);
      if (!this.filesKept.has(p.id) || thumbnail) {
        void files.put({ file: p.file, ...(thumbnail ? { thumbnail } : {}) }, p.id);
      }
    }
    for (const id of gone) {
      void photos.delete(id);
      void files.delete(id);
    }
    void tx.objectStore('meta').put(meta, 'session');
    await tx.done;
    for (const p of changed) {
      this.saved.set(p.id, p);
      this.filesKept.set(p.id, p.fileSize);
      if (thumbnails.has(p.id)) this.thumbnailsKept.add(p.id);
    }
    for (const id of gone) {
      this.saved.delete(id);
      this.filesKept.delete(id);
      this.thumbnailsKept.delete(id);
    }
  }
}

async function refreshEstimate(): Promise<void> {
  try {
    const estimate = await navigator.storage?.estimate?.();
    if (estimate) useSession.setState({ usage: estimate.usage ?? 0, quota: estimate.quota ?? 0 });
  } catch {
    // No StorageManager: the figures stay unknown.
  }
}

/** Reads the stored session into the stores, then keeps it saved as it changes. */
export async function startSessionPersistence(): Promise<void> {
  let db: SessionDb;
  try {
    db = await openSessionDb();
  } catch (err) {
    useSession.setState({
      restoring: false,
      unavailable: `This browser does not let AesLens keep photos between visits (${err instanceof Error ? err.message : String(err)}); they stay until the tab closes.`,
    });
    return;
  }
  const stored = await readSession(db);
  const thumbnails = new Set<string>();
  const photos = stored.photos.map(({ record, file, thumbnail }) => {
    if (thumbnail) thumbnails.add(record.id);
    return fromRecord(record, file, thumbnail ? URL.createObjectURL(thumbnail) : undefined);
  });
  const saver = new SessionSaver(db);
  saver.markRestored(photos, thumbnails, stored.meta);
  if (photos.length > 0) {
    useCulling.getState().replaceAll({ ...stored.meta?.culls, ...useCulling.getState().byId });
    usePhotos.getState().restore(photos, stored.meta?.selectedId ?? null);
  }
  let keptBytes = 0;
  for (const p of photos) keptBytes += p.fileSize;
  useSession.setState({ restoring: false, keptBytes });
  void refreshEstimate();
  usePhotos.subscribe(() => saver.schedule());
  useCulling.subscribe(() => saver.schedule());
  saver.schedule();
}
