// Loads an evaluation dataset from a file or folder and resolves image paths to absolute paths.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import { checkItems, dpc2022Item, parseDataset, type DatasetFormat, type DatasetItem } from './datasets.ts';

/** Annotation files looked for, in order, when --dataset is a folder. */
export const DATASET_FILE_NAMES = ['dataset.jsonl', 'dataset.json', 'references.json'] as const;
const IMAGE_EXTENSIONS = ['', '.jpg', '.jpeg', '.png', '.JPG', '.JPEG', '.PNG', '.webp'];

export interface LoadedDataset {
  format: DatasetFormat;
  items: DatasetItem[];
  source: string;
}

// PCCD titles and DPC ids name images without an extension: try the usual ones.
function resolveImage(image: string, root: string): string {
  const base = isAbsolute(image) ? image : join(root, image);
  for (const ext of IMAGE_EXTENSIONS) {
    const candidate = base + ext;
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

function loadDpc2022Folder(folder: string, files: string[]): DatasetItem[] {
  return files.map((f) => {
    const path = join(folder, f);
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      throw new Error(`${path}: not valid JSON`);
    }
    return dpc2022Item(basename(f, '.json'), data, path);
  });
}

/**
 * `path` is an annotation file (format detected, see datasets.ts) or a folder holding one of
 * DATASET_FILE_NAMES, or a DPC2022 annotation folder (one <ID>.json per image). Images are
 * resolved against `imagesRoot` if given, else against the annotation file's folder.
 */
export function loadDataset(path: string, imagesRoot?: string): LoadedDataset {
  if (!existsSync(path)) throw new Error(`dataset not found: ${path}`);
  let loaded: { format: DatasetFormat; items: DatasetItem[] };
  let root: string;
  let source = path;
  if (statSync(path).isDirectory()) {
    const named = DATASET_FILE_NAMES.map((n) => join(path, n)).find((p) => existsSync(p));
    if (named) {
      source = named;
      loaded = parseDataset(readFileSync(named, 'utf8'), basename(named));
    } else {
      const jsons = readdirSync(path)
        .filter((f) => extname(f) === '.json')
        .sort();
      if (jsons.length === 0) {
        throw new Error(`${path}: no ${DATASET_FILE_NAMES.join(' / ')} and no per-image DPC2022 JSON files`);
      }
      loaded = { format: 'dpc2022', items: checkItems(loadDpc2022Folder(path, jsons), path) };
    }
    root = path;
  } else {
    loaded = parseDataset(readFileSync(path, 'utf8'), basename(path));
    root = dirname(path);
  }
  const imageRoot = resolve(imagesRoot ?? root);
  const items = loaded.items.map((item) => ({ ...item, image: resolveImage(item.image, imageRoot) }));
  return { format: loaded.format, items, source };
}
