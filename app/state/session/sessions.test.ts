// The named sessions against an in-memory IndexedDB (fake-indexeddb): each session keeps its own
// photos and culls, the open one is read back after a "reload" (fresh modules, same database), a
// deletion is undoable until forgotten or the next start, and a version-1 database becomes
// "Session 1".
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { IDBFactory } from 'fake-indexeddb';
import { openDB } from 'idb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Photo } from '../photos.ts';

/** Header checks wait for this while a test holds them back (a slow intake worker). */
const headerGate: { held?: Promise<void> } = {};

// The intake worker's check, run here in-thread: the same function the worker serves.
vi.mock('../../analysis/intake.ts', async () => {
  const { sniffPhoto } = await import('../../lib/intake/index.ts');
  return {
    checkPhoto: async (file: Blob, fileName: string) => {
      await headerGate.held;
      return sniffPhoto(file, fileName);
    },
  };
});

const GOOD = join(import.meta.dirname, '../../../../shared/photos/good');
const photoFile = (name: string): File => new File([readFileSync(join(GOOD, name))], name);

type Modules = {
  sessions: typeof import('./sessions.ts');
  photos: typeof import('../photos.ts');
  culling: typeof import('../culling.ts');
};

/** A page load: fresh stores and module state over the database as it is. */
async function load(): Promise<Modules> {
  vi.resetModules();
  const m = {
    sessions: await import('./sessions.ts'),
    photos: await import('../photos.ts'),
    culling: await import('../culling.ts'),
  };
  await m.sessions.startSessions();
  return m;
}

/** Waits for the debounced save to run (it waits 400 ms for more changes). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 700));

const photo = (id: string, fileName: string): Photo => ({
  id,
  fileName,
  fileSize: 3,
  file: new Blob([fileName]),
  mimeType: 'image/jpeg',
  status: 'done',
  width: 4,
  height: 3,
  score: 5,
  critique: '',
  critiqueStatus: 'idle',
  timings: {},
});

const names = (m: Modules): string[] => m.photos.usePhotos.getState().photos.map((p) => p.fileName);
const listed = (m: Modules): string[] => m.sessions.useSessions.getState().sessions.map((s) => s.name);
const openName = (m: Modules): string | undefined => {
  const { sessions, openId } = m.sessions.useSessions.getState();
  return sessions.find((s) => s.id === openId)?.name;
};

beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
});

describe('named sessions', () => {
  it('keep their own photos and culls, and the open one survives a reload', async () => {
    let m = await load();
    expect(listed(m)).toEqual(['Session 1']);
    m.photos.usePhotos.getState().restore([photo('p1', 'a.jpg'), photo('p2', 'b.jpg')], 'p2');
    m.culling.useCulling.getState().setRating('p1', 4);

    await m.sessions.createSession();
    expect(listed(m)).toEqual(['Session 1', 'Session 2']);
    expect(openName(m)).toBe('Session 2');
    expect(names(m)).toEqual([]);
    expect(m.culling.useCulling.getState().byId).toEqual({});
    const secondId = m.sessions.useSessions.getState().openId!;
    m.photos.usePhotos.getState().restore([photo('p3', 'c.jpg')], null);
    m.culling.useCulling.getState().setFlag('p3', 'pick');
    await m.sessions.renameSession(secondId, '  Wedding \n day ');
    await m.sessions.renameSession(secondId, '   ');
    expect(openName(m)).toBe('Wedding day');

    const firstId = m.sessions.useSessions.getState().sessions[0]!.id;
    await m.sessions.switchSession(firstId);
    expect(names(m)).toEqual(['a.jpg', 'b.jpg']);
    expect(m.photos.usePhotos.getState().selectedId).toBe('p2');
    expect(m.culling.useCulling.getState().byId).toEqual({ p1: { rating: 4, flag: 'none', label: 'none' } });
    expect(m.sessions.useSessions.getState().counts).toEqual({ [firstId]: 2, [secondId]: 1 });

    await m.sessions.switchSession(secondId);
    await settle();
    m = await load();
    expect(openName(m)).toBe('Wedding day');
    expect(names(m)).toEqual(['c.jpg']);
    expect(m.culling.useCulling.getState().byId.p3?.flag).toBe('pick');
  });

  it('a switch never shows one session’s photo count against another', async () => {
    const m = await load();
    m.photos.usePhotos.getState().restore([photo('p1', 'a.jpg'), photo('p2', 'b.jpg')], null);
    await m.sessions.createSession();
    m.photos.usePhotos.getState().restore([photo('p3', 'c.jpg')], null);
    await settle();
    const [first, second] = m.sessions.useSessions.getState().sessions;
    // What the picker would show after every change of either store while switching back and forth.
    const seen = new Set<string>();
    const look = (): void => {
      const state = m.sessions.useSessions.getState();
      const live = m.photos.usePhotos.getState().photos.length;
      for (const s of state.sessions) seen.add(`${s.name}: ${m.sessions.sessionPhotoCount(s.id, state, live)}`);
    };
    const stops = [m.photos.usePhotos.subscribe(look), m.sessions.useSessions.subscribe(look)];
    await m.sessions.switchSession(first!.id);
    await m.sessions.switchSession(second!.id);
    for (const stop of stops) stop();
    expect([...seen].sort()).toEqual(['Session 1: 2', 'Session 2: 1']);
  });

  it('a photo whose header is still being read when another session opens is kept in its own', async () => {
    let m = await load();
    let release = (): void => {};
    headerGate.held = new Promise((r) => (release = r));
    const added = m.photos.usePhotos.getState().addFiles([photoFile('Dune.jpg')]);
    const created = m.sessions.createSession();
    await new Promise((r) => setTimeout(r, 50));
    release();
    await Promise.all([added, created]);
    headerGate.held = undefined;
    expect(names(m)).toEqual([]);
    const [first] = m.sessions.useSessions.getState().sessions;
    await m.sessions.switchSession(first!.id);
    expect(names(m)).toEqual(['Dune.jpg']);
    expect(m.photos.usePhotos.getState().photos[0]!.mimeType).toBe('image/jpeg');
    await settle();
    m = await load();
    expect(names(m)).toEqual(['Dune.jpg']);
  });

  it('delete undoably: the next one opens, Undo brings it back open, a forgotten one is gone', async () => {
    let m = await load();
    m.photos.usePhotos.getState().restore([photo('p1', 'a.jpg')], null);
    await m.sessions.createSession();
    m.photos.usePhotos.getState().restore([photo('p2', 'b.jpg')], null);
    const [first, second] = m.sessions.useSessions.getState().sessions;

    await m.sessions.deleteSession(second!.id);
    expect(listed(m)).toEqual(['Session 1']);
    expect(names(m)).toEqual(['a.jpg']);
    expect(m.sessions.useSessions.getState().deleted?.session.id).toBe(second!.id);
    await m.sessions.undoDelete();
    expect(listed(m)).toEqual(['Session 1', 'Session 2']);
    expect(openName(m)).toBe('Session 2');
    expect(names(m)).toEqual(['b.jpg']);

    // Deleting the only other session and forgetting the undo removes its photos for good.
    await m.sessions.deleteSession(first!.id);
    await m.sessions.forgetDeleted();
    expect(m.sessions.useSessions.getState().counts).toEqual({ [second!.id]: 1 });

    // The last session deleted: a new empty one opens. Not undone before the reload: gone.
    await m.sessions.deleteSession(second!.id);
    expect(listed(m)).toEqual(['Session 1']);
    expect(names(m)).toEqual([]);
    await settle();
    m = await load();
    expect(listed(m)).toEqual(['Session 1']);
    expect(m.sessions.useSessions.getState().counts).toEqual({});
    expect(names(m)).toEqual([]);
  });

  it('keep a photo added while the stored session is still being read, beside the stored ones', async () => {
    let m = await load();
    await m.photos.usePhotos.getState().addFiles([photoFile('rocket.jpg')]);
    await settle();
    // The next page load: a photo is dropped before the stored session has been read.
    vi.resetModules();
    m = {
      sessions: await import('./sessions.ts'),
      photos: await import('../photos.ts'),
      culling: await import('../culling.ts'),
    };
    const started = m.sessions.startSessions();
    const added = m.photos.usePhotos.getState().addFiles([photoFile('coffee.png')]);
    await Promise.all([started, added]);
    expect(names(m).sort()).toEqual(['coffee.png', 'rocket.jpg']);
    const ids = m.photos.usePhotos.getState().photos.map((p) => p.id);
    expect(new Set(ids).size).toBe(2);
  });

  it('are saved while changes keep coming, not only once they pause', async () => {
    const m = await load();
    m.photos.usePhotos.getState().restore([photo('p1', 'a.jpg')], null);
    const db = await openDB('aeslens-session');
    // A change every 100 ms for 2 s (a busy analysis): a wait for a pause alone would never write.
    for (let i = 0; i < 20; i++) {
      m.photos.usePhotos.getState().update('p1', { score: i });
      await new Promise((r) => setTimeout(r, 100));
    }
    const stored = (await db.getAll('photos')) as Photo[];
    db.close();
    expect(stored.map((p) => p.fileName)).toEqual(['a.jpg']);
    expect(stored[0]!.score).toBeGreaterThanOrEqual(5);
  });

  it('read a database of the single-session version as "Session 1"', async () => {
    const v1 = await openDB('aeslens-session', 1, {
      upgrade(db) {
        db.createObjectStore('photos', { keyPath: 'id' });
        db.createObjectStore('files');
        db.createObjectStore('meta');
      },
    });
    const record: Partial<Photo> = photo('p9', 'old.jpg');
    delete record.file;
    await v1.put('photos', record);
    await v1.put('files', { file: new Blob(['old']) }, 'p9');
    await v1.put(
      'meta',
      { order: ['p9'], selectedId: 'p9', culls: { p9: { rating: 2, flag: 'reject', label: 'red' } } },
      'session',
    );
    v1.close();

    const m = await load();
    expect(listed(m)).toEqual(['Session 1']);
    expect(names(m)).toEqual(['old.jpg']);
    expect(await m.photos.usePhotos.getState().photos[0]!.file.text()).toBe('old');
    expect(m.culling.useCulling.getState().byId.p9).toEqual({ rating: 2, flag: 'reject', label: 'red' });
  });
});
