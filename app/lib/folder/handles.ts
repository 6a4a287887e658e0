// Folders the user opens through the File System Access API (Chromium): the photos are read from
// the user's files through handles the session keeps, not copied. Typed here because TypeScript's
// DOM library leaves out the picker, the permission calls and directory iteration.

export interface PhotoSource {
  /** The photo's file, read again on each visit. */
  handle: FileSystemFileHandle;
  /** The folder the user opened: one permission for all its photos. */
  folder: FileSystemDirectoryHandle;
}

type ReadPermission = 'granted' | 'denied' | 'prompt';

interface PermissionCalls {
  queryPermission?(descriptor: { mode: 'read' }): Promise<ReadPermission>;
  requestPermission?(descriptor: { mode: 'read' }): Promise<ReadPermission>;
}

interface IterableDirectory {
  values(): AsyncIterable<FileSystemHandle>;
}

type DirectoryPicker = (options?: { mode?: 'read'; id?: string }) => Promise<FileSystemDirectoryHandle>;

/** The browser's folder picker, or null where it has none (the folder input then copies the files). */
export function directoryPicker(): DirectoryPicker | null {
  const picker = (globalThis as { showDirectoryPicker?: DirectoryPicker }).showDirectoryPicker;
  return typeof picker === 'function' ? picker.bind(globalThis) : null;
}

/** Every file under the folder (hidden ones left out), with its path from the folder's name down. */
export async function filesInFolder(
  folder: FileSystemDirectoryHandle,
  prefix = folder.name,
): Promise<{ path: string; handle: FileSystemFileHandle }[]> {
  const out: { path: string; handle: FileSystemFileHandle }[] = [];
  for await (const entry of (folder as unknown as IterableDirectory).values()) {
    if (entry.name.startsWith('.')) continue;
    const path = `${prefix}/${entry.name}`;
    if (entry.kind === 'file') out.push({ path, handle: entry as FileSystemFileHandle });
    else out.push(...(await filesInFolder(entry as FileSystemDirectoryHandle, path)));
  }
  return out.sort((a, b) => a.path.localeCompare(b.path));
}

/**
 * Whether the page may read the handle now; with `ask`, the browser asks the user first (only
 * from a click or key press). A browser without the permission calls reads whatever it hands out.
 */
export async function canRead(handle: FileSystemHandle, ask: boolean): Promise<boolean> {
  const calls = handle as FileSystemHandle & PermissionCalls;
  if (!calls.queryPermission) return true;
  if ((await calls.queryPermission({ mode: 'read' })) === 'granted') return true;
  if (!ask || !calls.requestPermission) return false;
  return (await calls.requestPermission({ mode: 'read' })) === 'granted';
}
