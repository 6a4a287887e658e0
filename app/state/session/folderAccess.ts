// Photos of a stored session that are read from the user's folders: on a new visit the browser
// may want the user's permission again before the page reads them; until it is given they wait
// here (their results and culls stay stored), and the studio says so with a button that asks.
import { create } from 'zustand';
import { canRead, directoryPicker, filesInFolder } from '../../lib/folder/handles.ts';
import { messageOf } from '../../../models/common/errors.ts';
import type { Photo, ReferencedFile } from '../photos.ts';
import type { StoredPhoto } from './db.ts';
import { fromRecord } from './records.ts';

export interface FolderAccessState {
  /** Stored photos of the open session waiting for permission to read their folder. */
  waiting: StoredPhoto[];
}

export const useFolderAccess = create<FolderAccessState>()(() => ({ waiting: [] }));

/** The names of the folders the waiting photos are in, each once. */
export const waitingFolders = (waiting: readonly StoredPhoto[]): string[] => [
  ...new Set(waiting.flatMap((p) => (p.source ? [p.source.folder.name] : []))),
];

/**
 * The stored photos as photos, reading each referenced file from its folder where the page may;
 * the others (permission not given yet) are returned as waiting.
 */
export async function readStoredPhotos(
  stored: readonly StoredPhoto[],
): Promise<{ photos: Photo[]; thumbnails: Set<string>; waiting: StoredPhoto[] }> {
  const photos: Photo[] = [];
  const thumbnails = new Set<string>();
  const waiting: StoredPhoto[] = [];
  for (const entry of stored) {
    const { record, thumbnail } = entry;
    let photo: Photo;
    if (entry.source) {
      if (!(await canRead(entry.source.handle, false).catch(() => false))) {
        waiting.push(entry);
        continue;
      }
      const source = entry.source;
      const file = await source.handle.getFile().catch(() => null);
      photo = file
        ? { ...fromRecord(record, file), source }
        : {
            ...record,
            file: new Blob([]),
            source,
            status: 'failed',
            error: `${record.fileName} is no longer in the folder “${source.folder.name}” (moved, renamed or deleted).`,
          };
    } else {
      photo = fromRecord(record, entry.file);
    }
    if (thumbnail) {
      thumbnails.add(record.id);
      photo = { ...photo, thumbnail };
    }
    photos.push(photo);
  }
  return { photos, thumbnails, waiting };
}

/** Asks for permission to read each waiting folder (from a click): whether every one was given. */
export async function askForFolders(waiting: readonly StoredPhoto[]): Promise<boolean> {
  const asked: FileSystemDirectoryHandle[] = [];
  let all = true;
  for (const entry of waiting) {
    const folder = entry.source?.folder;
    if (!folder) continue;
    let seen = false;
    for (const f of asked) if (await f.isSameEntry(folder)) seen = true;
    if (seen) continue;
    asked.push(folder);
    if (!(await canRead(folder, true).catch(() => false))) all = false;
  }
  return all;
}

/** Why opening a folder did not work (a user-facing sentence), or null. */
export const useFolderError = create<{ error: string | null }>()(() => ({ error: null }));

/**
 * Opens a folder with the browser's folder picker and adds its photos as references to the user's
 * files (the session keeps the handles, not copies). Returns false where the browser has no picker.
 */
export function addFolderFromPicker(addFiles: (files: ReferencedFile[]) => Promise<void>): boolean {
  const picker = directoryPicker();
  if (!picker) return false;
  void (async () => {
    useFolderError.setState({ error: null });
    try {
      const folder = await picker({ mode: 'read', id: 'aeslens-photos' });
      const entries = await filesInFolder(folder);
      const files = await Promise.all(
        entries.map(async ({ path, handle }) => ({ file: await handle.getFile(), path, source: { handle, folder } })),
      );
      await addFiles(files);
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') return; // the user closed the picker
      useFolderError.setState({ error: `Could not open that folder: ${messageOf(err)}` });
    }
  })();
  return true;
}
