// The session database (IndexedDB through idb): photo records, the photos' files and thumbnails,
// and the session's order, selection and culls.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Cull } from '../../lib/cull/types.ts';
import type { PhotoRecord } from './records.ts';

export interface SessionMeta {
  order: string[];
  selectedId: string | null;
  culls: Record<string, Cull>;
}

interface SessionSchema extends DBSchema {
  photos: { key: string; value: PhotoRecord };
  files: { key: string; value: { file: Blob; thumbnail?: Blob } };
  meta: { key: 'session'; value: SessionMeta };
}

export type SessionDb = IDBPDatabase<SessionSchema>;

export const SESSION_DB = 'aeslens-session';

export function openSessionDb(): Promise<SessionDb> {
  return openDB<SessionSchema>(SESSION_DB, 1, {
    upgrade(db) {
      db.createObjectStore('photos', { keyPath: 'id' });
      db.createObjectStore('files');
      db.createObjectStore('meta');
    },
  });
}

export interface StoredSession {
  meta: SessionMeta | undefined;
  photos: { record: PhotoRecord; file: Blob; thumbnail?: Blob }[];
}

/** Everything stored, photos in the session's order; records whose file is missing are left out. */
export async function readSession(db: SessionDb): Promise<StoredSession> {
  const tx = db.transaction(['photos', 'files', 'meta'], 'readonly');
  const [records, meta] = await Promise.all([tx.objectStore('photos').getAll(), tx.objectStore('meta').get('session')]);
  const files = await Promise.all(records.map((r) => tx.objectStore('files').get(r.id)));
  await tx.done;
  const rank = new Map((meta?.order ?? []).map((id, i) => [id, i]));
  const photos = records
    .map((record, i) => ({ record, stored: files[i] }))
    .filter((p): p is { record: PhotoRecord; stored: { file: Blob; thumbnail?: Blob } } => p.stored !== undefined)
    .map(({ record, stored }) => ({
      record,
      file: stored.file,
      ...(stored.thumbnail ? { thumbnail: stored.thumbnail } : {}),
    }))
    .sort((a, b) => (rank.get(a.record.id) ?? Infinity) - (rank.get(b.record.id) ?? Infinity));
  return { meta, photos };
}
