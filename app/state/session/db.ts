// The session database (IndexedDB through idb): the named sessions, each photo's record (tagged
// with its session), the photos' files and thumbnails, each session's order, selection and culls,
// and which session is open.
import { openDB, type DBSchema, type IDBPDatabase, type IDBPTransaction, type StoreNames } from 'idb';
import type { Cull } from '../../lib/cull/types.ts';
import type { PhotoSource } from '../../lib/folder/handles.ts';
import type { PhotoRecord } from './records.ts';
import type { ScalarMap } from '../../../workers/protocol.ts';
import {
  splitDetails,
  type AttributeDetails,
  type Attributes,
  type ClipMask,
} from '../../../models/attributes/index.ts';
import { mapsBy, MAP_KINDS, pagedBy, type MapKind, type PhotoMaps } from '../photos.ts';

export interface SessionMeta {
  order: string[];
  selectedId: string | null;
  culls: Record<string, Cull>;
}

export interface SessionInfo {
  id: string;
  name: string;
  createdAt: number;
  /** Set while a deletion can be undone; such a session is removed for good at the next start. */
  deletedAt?: number;
}

/** A photo's record as stored: which session it belongs to. */
export type StoredRecord = PhotoRecord & { sessionId: string };

/** A photo's bytes: a copy of the file, or the handles to read it from the user's folder. */
export type StoredFile = { thumbnail?: Blob } & (
  { file: Blob; source?: undefined } | { file?: undefined; source: PhotoSource }
);

interface SessionSchema extends DBSchema {
  sessions: { key: string; value: SessionInfo };
  photos: { key: string; value: StoredRecord; indexes: { bySession: string } };
  files: { key: string; value: StoredFile };
  /** Keyed by session id. */
  meta: { key: string; value: SessionMeta };
  /** 'current': the id of the open session. */
  state: { key: 'current'; value: string };
  /** Each photo's large maps, apart from its record so a session reads back fast: keyed by `mapKey`. */
  maps: { key: string; value: ScalarMap | ClipMask | AttributeDetails };
}

/** Each of a photo's maps is stored under its own key. */
export const mapKey = (photoId: string, kind: MapKind): string => `${photoId}/${kind}`;

export type SessionDb = IDBPDatabase<SessionSchema>;

export const SESSION_DB = 'aeslens-session';
const VERSION = 4;
/** The id the single session of version 1 becomes. */
export const FIRST_SESSION_ID = 's1';
export const FIRST_SESSION_NAME = 'Session 1';

type UpgradeTx = IDBPTransaction<SessionSchema, StoreNames<SessionSchema>[], 'versionchange'>;

/** Version 1 kept one unnamed session: its photos and meta become "Session 1". */
async function upgradeFromOne(tx: UpgradeTx): Promise<void> {
  // Version 1's meta store held one value under 'session' (the shape is the same).
  const meta = tx.objectStore('meta');
  const old = await meta.get('session');
  const photos = tx.objectStore('photos');
  let count = 0;
  for (let cursor = await photos.openCursor(); cursor; cursor = await cursor.continue()) {
    count++;
    await cursor.update({ ...cursor.value, sessionId: FIRST_SESSION_ID });
  }
  if (old || count > 0) {
    await tx.objectStore('sessions').put({ id: FIRST_SESSION_ID, name: FIRST_SESSION_NAME, createdAt: Date.now() });
    if (old) await meta.put(old, FIRST_SESSION_ID);
    await tx.objectStore('state').put(FIRST_SESSION_ID, 'current');
  }
  await meta.delete('session');
}

/** Version 2 kept the maps inside each photo's record: they move to the maps store. */
async function moveMapsOut(tx: UpgradeTx): Promise<void> {
  type OldRecord = Omit<StoredRecord, 'measurement'> & {
    saliency?: ScalarMap;
    measurement?: NonNullable<StoredRecord['measurement']> & { clipMask?: ClipMask };
  };
  const photos = tx.objectStore('photos');
  const maps = tx.objectStore('maps');
  for (let cursor = await photos.openCursor(); cursor; cursor = await cursor.continue()) {
    const { saliency, measurement, ...rest } = cursor.value as OldRecord;
    const { clipMask, ...facts } = measurement ?? {};
    if (!saliency && !clipMask) continue;
    if (saliency) await maps.put(saliency, mapKey(rest.id, 'saliency'));
    if (clipMask) await maps.put(clipMask, mapKey(rest.id, 'clipMask'));
    await cursor.update({ ...rest, ...(measurement ? { measurement: facts as StoredRecord['measurement'] } : {}) });
  }
}

/** Version 3 kept the measured details inside each record's measurement: they move to the maps store. */
async function moveDetailsOut(tx: UpgradeTx): Promise<void> {
  const photos = tx.objectStore('photos');
  const maps = tx.objectStore('maps');
  for (let cursor = await photos.openCursor(); cursor; cursor = await cursor.continue()) {
    const { measurement } = cursor.value;
    // As version 3 stored it: the whole attributes.
    const attributes = measurement?.attributes as Partial<Attributes> | undefined;
    if (!measurement || !attributes?.exposure?.histogram || !attributes.focus?.grid) continue;
    const { facts, details } = splitDetails(attributes as Attributes);
    await maps.put(details, mapKey(cursor.value.id, 'details'));
    await cursor.update({ ...cursor.value, measurement: { ...measurement, attributes: facts } });
  }
}

export function openSessionDb(name = SESSION_DB): Promise<SessionDb> {
  return openDB<SessionSchema>(name, VERSION, {
    upgrade(db, oldVersion, _newVersion, tx) {
      if (oldVersion < 1) {
        db.createObjectStore('photos', { keyPath: 'id' });
        db.createObjectStore('files');
        db.createObjectStore('meta');
      }
      if (oldVersion < 2) {
        db.createObjectStore('sessions', { keyPath: 'id' });
        db.createObjectStore('state');
        tx.objectStore('photos').createIndex('bySession', 'sessionId');
      }
      if (oldVersion < 3) db.createObjectStore('maps');
      if (oldVersion === 0) return;
      void (async () => {
        if (oldVersion === 1) await upgradeFromOne(tx);
        if (oldVersion < 3) await moveMapsOut(tx);
        await moveDetailsOut(tx);
      })();
    },
  });
}

/** A stored photo's record with its file (or the handles to read it) and thumbnail. */
export type StoredPhoto = { record: PhotoRecord } & StoredFile;

export interface StoredSession {
  meta: SessionMeta | undefined;
  photos: StoredPhoto[];
}

/** Writes stored photos (as read) back into a session. */
export async function putStoredPhotos(db: SessionDb, sessionId: string, photos: readonly StoredPhoto[]): Promise<void> {
  const tx = db.transaction(['photos', 'files'], 'readwrite');
  for (const { record, ...kept } of photos) {
    void tx.objectStore('photos').put({ ...record, sessionId });
    void tx.objectStore('files').put(kept as StoredFile, record.id);
  }
  await tx.done;
}

/**
 * One session's photos in its order, their maps left in the database (each record says which it
 * has, in `paged`); records whose file is missing are left out.
 */
export async function readSession(db: SessionDb, sessionId: string): Promise<StoredSession> {
  const tx = db.transaction(['photos', 'files', 'meta', 'maps'], 'readonly');
  const [stored, meta, mapKeys] = await Promise.all([
    tx.objectStore('photos').index('bySession').getAll(sessionId),
    tx.objectStore('meta').get(sessionId),
    tx.objectStore('maps').getAllKeys(),
  ]);
  const kept = new Set(mapKeys);
  for (const r of stored) {
    const paged = pagedBy((kind) => kept.has(mapKey(r.id, kind)));
    if (MAP_KINDS.some((kind) => paged[kind])) r.paged = paged;
    else delete r.paged;
  }
  const files = await Promise.all(stored.map((r) => tx.objectStore('files').get(r.id)));
  await tx.done;
  const rank = new Map((meta?.order ?? []).map((id, i) => [id, i]));
  const photos = stored
    .map(({ sessionId: _session, ...record }, i) => ({ record: record as PhotoRecord, stored: files[i] }))
    .filter((p): p is { record: PhotoRecord; stored: StoredFile } => p.stored !== undefined)
    .map(({ record, stored: kept }) => ({ record, ...kept }))
    .sort((a, b) => (rank.get(a.record.id) ?? Infinity) - (rank.get(b.record.id) ?? Infinity));
  return { meta, photos };
}

/** A photo's stored maps (those it has). */
export async function readMaps(db: SessionDb, photoId: string): Promise<PhotoMaps> {
  const tx = db.transaction('maps', 'readonly');
  const found = await Promise.all(MAP_KINDS.map((kind) => tx.store.get(mapKey(photoId, kind))));
  await tx.done;
  return mapsBy((kind) => found[MAP_KINDS.indexOf(kind)] as PhotoMaps[MapKind]);
}

/** Deletes maps whose photo has no record (left by a removal that could still be undone when the page closed). */
export async function dropOrphanMaps(db: SessionDb): Promise<void> {
  const tx = db.transaction(['photos', 'maps'], 'readwrite');
  const [photoIds, mapKeys] = await Promise.all([
    tx.objectStore('photos').getAllKeys(),
    tx.objectStore('maps').getAllKeys(),
  ]);
  const kept = new Set(MAP_KINDS.flatMap((kind) => photoIds.map((id) => mapKey(id, kind))));
  await Promise.all(mapKeys.filter((key) => !kept.has(key)).map((key) => tx.objectStore('maps').delete(key)));
  await tx.done;
}

/** Every session, deleted ones included (their deletion may still be undone). */
export const listSessions = (db: SessionDb): Promise<SessionInfo[]> => db.getAll('sessions');

export const putSession = async (db: SessionDb, session: SessionInfo): Promise<void> => {
  await db.put('sessions', session);
};

export const readCurrent = (db: SessionDb): Promise<string | undefined> => db.get('state', 'current');

export const writeCurrent = async (db: SessionDb, sessionId: string): Promise<void> => {
  await db.put('state', sessionId, 'current');
};

/** Removes a session for good: its entry, photos, files and meta. */
export async function purgeSession(db: SessionDb, sessionId: string): Promise<void> {
  const tx = db.transaction(['sessions', 'photos', 'files', 'meta', 'maps'], 'readwrite');
  const ids = await tx.objectStore('photos').index('bySession').getAllKeys(sessionId);
  await Promise.all([
    ...ids.flatMap((id) => [
      tx.objectStore('photos').delete(id),
      tx.objectStore('files').delete(id),
      ...MAP_KINDS.map((kind) => tx.objectStore('maps').delete(mapKey(id, kind))),
    ]),
    tx.objectStore('meta').delete(sessionId),
    tx.objectStore('sessions').delete(sessionId),
  ]);
  await tx.done;
}

/** How many photos each session holds. */
export async function photoCounts(db: SessionDb): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const index = db.transaction('photos').store.index('bySession');
  for (let cursor = await index.openKeyCursor(); cursor; cursor = await cursor.continue()) {
    counts.set(cursor.key, (counts.get(cursor.key) ?? 0) + 1);
  }
  return counts;
}
