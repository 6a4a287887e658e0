// Writes the open session to IndexedDB shortly after it changes: each photo (a copy of its file),
// what was computed for it, and the session's order, selection and culls. A photo the device has
// no room for stays for this visit and is counted, so the user is told.
import { useCulling } from '../culling.ts';
import { usePhotos, type Photo } from '../photos.ts';
import type { SessionDb, SessionMeta } from './db.ts';
import { isKeepable, sameRecord, toRecord } from './records.ts';
import { refreshEstimate, useSession } from './status.ts';

/** Writes wait this long for more changes (a streamed critique changes its photo many times a second). */
const SAVE_DELAY_MS = 400;

const isQuotaError = (err: unknown): boolean =>
  err instanceof DOMException && (err.name === 'QuotaExceededError' || err.name === 'UnknownError');

export class SessionSaver {
  /** The photo object last written for each id (store updates replace changed photos only). */
  private readonly saved = new Map<string, Photo>();
  private readonly filesKept = new Map<string, number>();
  private readonly thumbnailsKept = new Set<string>();
  private savedMeta: SessionMeta | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: SessionDb,
    readonly sessionId: string,
  ) {}

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

  /** Writes what is waiting now, then nothing more: the stores are about to hold another session. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    await this.writing;
    await this.flush();
  }

  /** Writes what changed since the last flush. */
  private async flush(): Promise<void> {
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
      void photos.put({ ...toRecord(p), sessionId: this.sessionId });
      const thumbnail = thumbnails.get(p.id);
      if (!this.filesKept.has(p.id) || thumbnail) {
        void files.put({ file: p.file, ...(thumbnail ? { thumbnail } : {}) }, p.id);
      }
    }
    for (const id of gone) {
      void photos.delete(id);
      void files.delete(id);
    }
    void tx.objectStore('meta').put(meta, this.sessionId);
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
