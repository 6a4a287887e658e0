// Keeps the open session in IndexedDB and reads it back on start, so a reload loses nothing and
// interrupted work resumes; opening another session saves this one and puts that one in the stores.
import { useCulling } from '../culling.ts';
import { forgetCleared } from './clear.ts';
import { freePhoto, usePhotos } from '../photos.ts';
import { headerChecksSettled } from '../photoIntake.ts';
import { dropOrphanMaps, openSessionDb, readCurrent, readSession, writeCurrent, type SessionDb } from './db.ts';
import { askForFolders, readStoredPhotos, useFolderAccess } from './folderAccess.ts';
import { startPaging } from './paging.ts';
import { keptSize, SessionSaver } from './saver.ts';
import { refreshEstimate, useSession } from './status.ts';

let db: SessionDb | null = null;
let saver: SessionSaver | null = null;

/** The open database, or null where the browser keeps nothing (the session then lasts the visit). */
export const sessionDb = (): SessionDb | null => db;

/** The id of the session in the stores, or null before one is open. */
export const openSessionId = (): string | null => saver?.sessionId ?? null;

/** Reads a stored session into the stores, or (`merge`) before photos added since the page loaded. */
async function load(sessionId: string, merge: boolean): Promise<void> {
  const stored = await readSession(db!, sessionId);
  const { photos, thumbnails, waiting } = await readStoredPhotos(stored.photos);
  const next = new SessionSaver(db!, sessionId);
  next.markRestored(photos, thumbnails, stored.meta);
  next.keepWaiting(waiting.map((p) => p.record.id));
  useFolderAccess.setState({ waiting });
  // Open before its photos enter the stores, so whatever counts them counts them for this session.
  saver = next;
  const culls = stored.meta?.culls ?? {};
  if (merge) {
    // The culls of photos still waiting for their folder are kept too.
    useCulling.getState().replaceAll({ ...culls, ...useCulling.getState().byId });
    if (photos.length > 0) usePhotos.getState().restore(photos, stored.meta?.selectedId ?? null);
  } else {
    const previous = usePhotos.getState().photos;
    const wanted = stored.meta?.selectedId;
    const kept = photos.some((p) => p.id === wanted);
    const selectedId = kept ? wanted! : (photos[0]?.id ?? null);
    usePhotos.setState({ photos, selectedId, selectedByUser: kept, removed: [] });
    useCulling.getState().replaceAll(culls);
    for (const p of previous) freePhoto(p);
  }
  let keptBytes = 0;
  for (const p of photos) keptBytes += keptSize(p);
  useSession.setState({ keptBytes, unkept: [] });
  await writeCurrent(db!, sessionId);
  next.schedule();
  void refreshEstimate();
}

/**
 * Asks for permission to read the folders the waiting photos are in (call it from a click), then
 * puts the photos it may read in their places in the gallery.
 */
export async function grantFolderAccess(): Promise<void> {
  const { waiting } = useFolderAccess.getState();
  const current = saver;
  if (!current || waiting.length === 0) return;
  await askForFolders(waiting);
  const read = await readStoredPhotos(waiting);
  if (saver !== current) return; // another session was opened meanwhile
  current.markKept(read.photos, read.thumbnails);
  current.keepWaiting(read.waiting.map((p) => p.record.id));
  useFolderAccess.setState({ waiting: read.waiting });
  const rank = new Map(current.savedOrder().map((id, i) => [id, i]));
  usePhotos.setState((s) => ({
    photos: [...s.photos, ...read.photos].sort((a, b) => (rank.get(a.id) ?? Infinity) - (rank.get(b.id) ?? Infinity)),
    selectedId: s.selectedId ?? read.photos[0]?.id ?? null,
  }));
}

/**
 * Puts another stored session in the stores after saving the open one; work on the open one's
 * photos stops (it resumes when that session is opened again). Undo of a clear or a removal is
 * no longer offered: it would bring photos into the wrong session.
 */
export async function openSession(sessionId: string): Promise<void> {
  if (!db) throw new Error('No session database');
  // A photo is saved once its header is read: those still being read are saved with this session.
  await headerChecksSettled();
  const previous = saver;
  saver = null;
  await previous?.close();
  usePhotos.getState().forgetRemoved();
  forgetCleared();
  await load(sessionId, false);
}

/**
 * Reads the session `choose` names (given the one open last time) into the stores, then keeps it
 * saved as it changes. Returns the database, or null where the browser keeps nothing.
 */
export async function startSessionPersistence(
  choose: (db: SessionDb, recorded: string | undefined) => Promise<string>,
): Promise<SessionDb | null> {
  try {
    db = await openSessionDb();
  } catch (err) {
    useSession.setState({
      restoring: false,
      unavailable: `This browser does not let AesLens keep photos between visits (${err instanceof Error ? err.message : String(err)}); they stay until the tab closes.`,
    });
    return null;
  }
  // Restored photos arrive with their maps left in the database: the pager must be there to read them.
  startPaging(db);
  await load(await choose(db, await readCurrent(db)), true);
  useSession.setState({ restoring: false });
  void dropOrphanMaps(db).catch((err) => console.error('Tidying the session database', err));
  usePhotos.subscribe(() => saver?.schedule());
  useCulling.subscribe(() => saver?.schedule());
  useFolderAccess.subscribe(() => saver?.schedule());
  return db;
}
