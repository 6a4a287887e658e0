// The user's named sessions, each with its own photos, results and culls: create, rename, open,
// delete (undoable until the undo is forgotten or the page closes). One is open at a time.
import { create } from 'zustand';
import {
  cleanName,
  nextSessionName,
  sessionAfterDelete,
  sessionToOpen,
  shownSessions,
} from '../../lib/session/names.ts';
import { messageOf } from '../../../models/common/errors.ts';
import { usePhotos } from '../photos.ts';
import {
  listSessions,
  photoCounts,
  purgeSession,
  putSession,
  FIRST_SESSION_NAME,
  type SessionDb,
  type SessionInfo,
} from './db.ts';
import { openSession, openSessionId, sessionDb, startSessionPersistence } from './persist.ts';

export interface SessionsState {
  /** Listed sessions, oldest first (a deleted one is left out while its undo is offered). */
  sessions: SessionInfo[];
  /** Photos stored per session id (the open session's live count is in the photos store). */
  counts: Record<string, number>;
  openId: string | null;
  /** False until the stored sessions are read (actions wait their turn, so the picker stays usable). */
  ready: boolean;
  /** The deleted session while Undo is offered, and whether it was the open one. */
  deleted: { session: SessionInfo; wasOpen: boolean } | null;
  /** Why the last action failed (a user-facing sentence), or null. */
  error: string | null;
}

export const useSessions = create<SessionsState>()(() => ({
  sessions: [],
  counts: {},
  openId: null,
  ready: false,
  deleted: null,
  error: null,
}));

const newSessionId = (): string => `s-${crypto.randomUUID()}`;

async function refreshList(db: SessionDb): Promise<void> {
  const [all, counts] = await Promise.all([listSessions(db), photoCounts(db)]);
  useSessions.setState({ sessions: shownSessions(all), counts: Object.fromEntries(counts), openId: openSessionId() });
}

/** Runs session actions one after another: a switch must finish before the next starts. */
let queue: Promise<void> = Promise.resolve();
function serial(action: (db: SessionDb) => Promise<void>): Promise<void> {
  const db = sessionDb();
  if (!db) return Promise.resolve();
  queue = queue.then(async () => {
    // The open session's live count stays with it while another session's photos come in.
    const { openId } = useSessions.getState();
    const live = usePhotos.getState().photos.length;
    useSessions.setState((s) => ({ error: null, counts: openId ? { ...s.counts, [openId]: live } : s.counts }));
    try {
      await action(db);
    } catch (err) {
      useSessions.setState({ error: `That did not work: ${messageOf(err)}` });
      console.error('Session action', err);
    } finally {
      await refreshList(db).catch(() => {});
    }
  });
  return queue;
}

async function createStored(db: SessionDb, name: string): Promise<string> {
  // Strictly after every other session, so the picker's order is the order they were made.
  const latest = Math.max(0, ...(await listSessions(db)).map((s) => s.createdAt));
  const session: SessionInfo = { id: newSessionId(), name, createdAt: Math.max(Date.now(), latest + 1) };
  await putSession(db, session);
  return session.id;
}

/** Sessions deleted on an earlier visit go for good; then the one open last time is read in. */
export async function startSessions(): Promise<void> {
  const db = await startSessionPersistence(async (db, recorded) => {
    for (const s of await listSessions(db)) if (s.deletedAt !== undefined) await purgeSession(db, s.id);
    return sessionToOpen(await listSessions(db), recorded)?.id ?? (await createStored(db, FIRST_SESSION_NAME));
  });
  if (db) await refreshList(db);
  useSessions.setState({ ready: db !== null });
}

/** A new empty session, opened. */
export const createSession = (): Promise<void> =>
  serial(async (db) => openSession(await createStored(db, nextSessionName(await listSessions(db)))));

/** Renames a session; an empty name keeps the old one. */
export const renameSession = (id: string, typed: string): Promise<void> =>
  serial(async (db) => {
    const name = cleanName(typed);
    const session = (await listSessions(db)).find((s) => s.id === id);
    if (name && session && session.name !== name) await putSession(db, { ...session, name });
  });

export const switchSession = (id: string): Promise<void> =>
  serial(async () => {
    if (id !== openSessionId()) await openSession(id);
  });

/** Deletes a session, undoably; when it is the open one, the next one opens (a new one if it was the last). */
export const deleteSession = (id: string): Promise<void> =>
  serial(async (db) => {
    await forgetStored(db);
    const all = await listSessions(db);
    const session = all.find((s) => s.id === id);
    if (!session) return;
    const wasOpen = id === openSessionId();
    const next = sessionAfterDelete(all, id);
    await putSession(db, { ...session, deletedAt: Date.now() });
    if (wasOpen) await openSession(next?.id ?? (await createStored(db, nextSessionName([]))));
    useSessions.setState({ deleted: { session, wasOpen } });
  });

/** Brings the deleted session back (and opens it again if it was open). */
export const undoDelete = (): Promise<void> =>
  serial(async (db) => {
    const deleted = useSessions.getState().deleted;
    if (!deleted) return;
    useSessions.setState({ deleted: null });
    await putSession(db, deleted.session);
    if (deleted.wasOpen) await openSession(deleted.session.id);
  });

async function forgetStored(db: SessionDb): Promise<void> {
  const deleted = useSessions.getState().deleted;
  if (!deleted) return;
  useSessions.setState({ deleted: null });
  await purgeSession(db, deleted.session.id);
}

/** Removes the deleted session for good: Undo is no longer offered. */
export const forgetDeleted = (): Promise<void> => serial(forgetStored);

/**
 * The photos the picker shows for a session: live for the one whose photos are in the stores (during
 * a switch, before the picker hears of it), as stored for the others.
 */
export function sessionPhotoCount(id: string, state: SessionsState, openCount: number): number {
  return id === (openSessionId() ?? state.openId) ? openCount : (state.counts[id] ?? 0);
}

/** The open session's photo count, for the picker. */
export const useOpenCount = (): number => usePhotos((s) => s.photos.length);
