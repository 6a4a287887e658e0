// Clear session against an in-memory IndexedDB (fake-indexeddb): photos still waiting for
// permission to read their folder go with it from the stored session, and Undo writes them back
// (record, file and thumbnail, in their place), as it does the photos shown.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Photo } from '../photos.ts';
import { doneRecord as record } from './testing/records.ts';

vi.mock('../../analysis/intake.ts', async () => ({
  checkPhoto: (await import('../../lib/intake/index.ts')).sniffPhoto,
}));

const photo = (id: string, fileName: string): Photo => ({ ...record(id, fileName), file: new Blob([fileName]) });

/** Waits for the debounced save to run (it waits 400 ms for more changes). */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 700));

beforeEach(() => {
  vi.stubGlobal('indexedDB', new IDBFactory());
  vi.resetModules();
});

describe('Clear session', () => {
  it('removes the photos waiting for their folder from the stored session, and Undo puts them back', async () => {
    const db = await import('./db.ts');
    const { SessionSaver } = await import('./saver.ts');
    const { clearSession, undoClear, useCleared } = await import('./clear.ts');
    const { useFolderAccess } = await import('./folderAccess.ts');
    const { usePhotos } = await import('../photos.ts');
    const { useCulling } = await import('../culling.ts');
    const database = await db.openSessionDb();

    // A stored session of three photos; b.jpg waits for its folder, a.jpg and c.jpg are shown.
    const shown = [photo('a', 'a.jpg'), photo('c', 'c.jpg')];
    const waiting = { record: record('b', 'b.jpg'), file: new Blob(['b.jpg']), thumbnail: new Blob(['thumb']) };
    await db.putStoredPhotos(database, 's1', [waiting]);
    const saver = new SessionSaver(database, 's1');
    saver.markRestored([], new Set(), { order: ['a', 'b', 'c'], selectedId: 'a', culls: {} });
    saver.keepWaiting(['b']);
    useFolderAccess.setState({ waiting: [waiting] });
    usePhotos.setState({ photos: shown, selectedId: 'a' });
    useCulling.getState().replaceAll({ b: { rating: 4, flag: 'pick', label: 'none' } });
    const stored = async () => (await db.readSession(database, 's1')).photos.map((p) => p.record.fileName);
    saver.schedule();
    await settle();
    expect(await stored()).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);

    clearSession();
    expect(useFolderAccess.getState().waiting).toEqual([]);
    expect(useCleared.getState().cleared?.waiting).toEqual([waiting]);
    saver.schedule();
    await settle();
    expect(await stored()).toEqual([]);

    undoClear();
    expect(useFolderAccess.getState().waiting).toEqual([waiting]);
    saver.schedule();
    await settle();
    const back = await db.readSession(database, 's1');
    expect(back.photos.map((p) => p.record.fileName)).toEqual(['a.jpg', 'b.jpg', 'c.jpg']);
    const b = back.photos.find((p) => p.record.id === 'b')!;
    expect(await b.file!.text()).toBe('b.jpg');
    expect(await b.thumbnail!.text()).toBe('thumb');
    expect(back.meta?.culls.b).toEqual({ rating: 4, flag: 'pick', label: 'none' });
  });

  it('clears a session whose photos all wait for their folder', async () => {
    const { clearSession, useCleared } = await import('./clear.ts');
    const { useFolderAccess } = await import('./folderAccess.ts');
    const waiting = { record: record('b', 'b.jpg'), file: new Blob(['b.jpg']) };
    useFolderAccess.setState({ waiting: [waiting] });
    clearSession();
    expect(useFolderAccess.getState().waiting).toEqual([]);
    expect(useCleared.getState().cleared?.waiting).toEqual([waiting]);
  });
});
