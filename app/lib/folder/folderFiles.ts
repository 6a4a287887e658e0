// A folder the user picked with a folder input, as pack files.
import type { LocalPackFiles } from '../../../workers/protocol.ts';

/** Files from a folder input, keyed by path inside the folder (its own name dropped). */
export function folderFiles(files: Iterable<File>): LocalPackFiles {
  const out: LocalPackFiles = {};
  for (const file of files) {
    const path = (file.webkitRelativePath || file.name).split('/');
    const inside = path.length > 1 ? path.slice(1).join('/') : path[0]!;
    out[inside] = file;
  }
  return out;
}
