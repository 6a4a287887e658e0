// Photos read from the user's folders, with stand-in handles that answer as Chromium's do: read
// where permission is granted, wait where the browser would ask, fail with a message when the
// file left its folder; asking covers each folder once.
import { describe, expect, it } from 'vitest';
import type { PhotoSource } from '../../lib/folder/handles.ts';
import type { StoredSession } from './db.ts';
import { doneRecord as record } from './testing/records.ts';
import { askForFolders, readStoredPhotos, waitingFolders } from './folderAccess.ts';

type Permission = 'granted' | 'prompt' | 'denied';

function folder(name: string, permission: { state: Permission; asked: number }) {
  const handle = {
    kind: 'directory',
    name,
    queryPermission: async () => permission.state,
    requestPermission: async () => {
      permission.asked++;
      permission.state = 'granted';
      return permission.state;
    },
    isSameEntry: async (other: unknown) => other === handle,
  };
  return handle as unknown as FileSystemDirectoryHandle;
}

function source(
  dir: FileSystemDirectoryHandle,
  name: string,
  permission: { state: Permission },
  bytes?: string,
): PhotoSource {
  const handle = {
    kind: 'file',
    name,
    queryPermission: async () => permission.state,
    getFile: async () => {
      if (bytes === undefined) throw new DOMException('A requested file could not be found', 'NotFoundError');
      return new File([bytes], name);
    },
  };
  return { handle: handle as unknown as FileSystemFileHandle, folder: dir };
}

type Stored = StoredSession['photos'][number];

describe('photos read from their folder', () => {
  it('are read where permission is granted, wait where the browser asks, and fail when the file left', async () => {
    const shoot = { state: 'granted' as Permission, asked: 0 };
    const trip = { state: 'prompt' as Permission, asked: 0 };
    const shootDir = folder('Shoot', shoot);
    const tripDir = folder('Trip', trip);
    const stored: Stored[] = [
      { record: record('p1', 'Shoot/a.jpg'), source: source(shootDir, 'a.jpg', shoot, 'aaa') },
      { record: record('p2', 'Trip/b.jpg'), source: source(tripDir, 'b.jpg', trip, 'bbb') },
      { record: record('p3', 'copy.jpg'), file: new Blob(['ccc']) },
      { record: record('p4', 'Shoot/gone.jpg'), source: source(shootDir, 'gone.jpg', shoot) },
      { record: record('p5', 'Trip/c.jpg'), source: source(tripDir, 'c.jpg', trip, 'ccc') },
    ];
    const read = await readStoredPhotos(stored);
    expect(read.photos.map((p) => [p.id, p.status])).toEqual([
      ['p1', 'done'],
      ['p3', 'done'],
      ['p4', 'failed'],
    ]);
    expect(await read.photos[0]!.file.text()).toBe('aaa');
    expect(read.photos[0]!.source).toBe(stored[0]!.source);
    expect(read.photos[1]!.source).toBeUndefined();
    expect(read.photos[2]!.error).toBe(
      'Shoot/gone.jpg is no longer in the folder “Shoot” (moved, renamed or deleted).',
    );
    expect(read.waiting.map((p) => p.record.id)).toEqual(['p2', 'p5']);
    expect(waitingFolders(read.waiting)).toEqual(['Trip']);

    // One question per folder, then the waiting photos are read.
    expect(await askForFolders(read.waiting)).toBe(true);
    expect(trip.asked).toBe(1);
    expect(shoot.asked).toBe(0);
    const again = await readStoredPhotos(read.waiting);
    expect(again.waiting).toEqual([]);
    expect(await Promise.all(again.photos.map((p) => p.file.text()))).toEqual(['bbb', 'ccc']);
  });

  it('keep waiting when the user says no', async () => {
    const denied = { state: 'prompt' as Permission, asked: 0 };
    const dir = folder('Shoot', denied);
    (dir as unknown as { requestPermission: () => Promise<Permission> }).requestPermission = async () => {
      denied.asked++;
      return 'denied';
    };
    const waiting: Stored[] = [{ record: record('p1', 'Shoot/a.jpg'), source: source(dir, 'a.jpg', denied, 'a') }];
    expect(await askForFolders(waiting)).toBe(false);
    expect((await readStoredPhotos(waiting)).waiting).toHaveLength(1);
  });
});
