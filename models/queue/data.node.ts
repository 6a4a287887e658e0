// What `queue submit --data` accepts: any dataset `aeslens eval` reads (its references make the run
// scoreable), or a plain folder of photos to critique (a photo archive: no references, no metrics).
import { readdirSync, statSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import type { DatasetItem } from '../eval/datasets.ts';
import { DATASET_FILE_NAMES, loadDataset } from '../eval/datasets.node.ts';
import type { RunMeta } from './runs.node.ts';

export const PHOTO_EXTENSIONS = new Set(['.jpg', '.jpeg', '.png', '.webp', '.avif', '.tif', '.tiff', '.gif']);

export interface QueueData {
  format: RunMeta['format'];
  source: string;
  items: DatasetItem[];
}

/** Photos under `folder` (recursively, sorted), with their path relative to it as id. */
function photoFolder(folder: string): DatasetItem[] {
  const root = resolve(folder);
  return (readdirSync(root, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((rel) => PHOTO_EXTENSIONS.has(extname(rel).toLowerCase()) && statSync(join(root, rel)).isFile())
    .sort()
    .map((rel) => ({ id: rel, image: join(root, rel), references: [] }));
}

const hasAnnotations = (folder: string): boolean =>
  readdirSync(folder).some((f) => extname(f) === '.json' || (DATASET_FILE_NAMES as readonly string[]).includes(f));

export function loadQueueData(path: string, imagesRoot?: string): QueueData {
  try {
    if (statSync(path).isDirectory() && !hasAnnotations(path)) {
      const items = photoFolder(path);
      if (items.length === 0) throw new Error(`${path}: no dataset file and no photos`);
      return { format: 'photos', source: path, items };
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`dataset not found: ${path}`);
    throw err;
  }
  return loadDataset(path, imagesRoot);
}
