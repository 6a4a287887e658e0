// The Evaluate view's references: a JSON file the user picks ({"<image id or file name>": ["ref", …]},
// or any dataset format models/eval parses), and which photo each reference set belongs to.
import { parseDataset, type DatasetFormat, type DatasetItem } from '../../../models/eval/datasets.ts';

export interface References {
  /** Name of the file the references came from. */
  source: string;
  format: DatasetFormat;
  items: DatasetItem[];
}

/** Parses a references file; throws an Error whose message names the file and what is wrong. */
export function parseReferences(text: string, fileName: string): References {
  if (!text.trim()) throw new Error(`${fileName}: the file is empty`);
  const { format, items } = parseDataset(text, fileName);
  if (items.length === 0) throw new Error(`${fileName}: no images with references`);
  return { source: fileName, format, items };
}

/** A photo paired with the references it is scored against. */
export interface MatchedPhoto {
  file: File;
  /** Path as picked (folder-relative for a folder), shown to the user. */
  fileName: string;
  item: DatasetItem;
}

export interface PhotoMatch {
  matched: MatchedPhoto[];
  /** Photos no reference set names. */
  photosWithoutReferences: string[];
  /** Reference ids no picked photo matches. */
  referencesWithoutPhotos: string[];
}

const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);
const stem = (name: string): string => name.replace(/\.[^./]+$/, '');

/** Keys a reference item answers to: its id and image path, each also without folders and without extension. */
function itemKeys(item: DatasetItem): string[] {
  return [...new Set([item.id, item.image].flatMap((k) => [k, baseName(k), stem(k), stem(baseName(k))]))];
}

/**
 * Pairs photos with reference items by name: a photo's path, its file name, or its file name
 * without extension may equal an item's id or image path (with or without folders and extension).
 * The most specific match wins (full path before file name before stem), so "a/x.jpg" and
 * "b/x.jpg" can be told apart when the references name them by path.
 */
export function matchPhotos(files: readonly File[], items: readonly DatasetItem[]): PhotoMatch {
  const byKey = new Map<string, DatasetItem>();
  for (const item of items) for (const key of itemKeys(item)) if (!byKey.has(key)) byKey.set(key, item);
  const used = new Set<string>();
  const matched: MatchedPhoto[] = [];
  const photosWithoutReferences: string[] = [];
  for (const file of files) {
    const fileName = file.webkitRelativePath || file.name;
    const candidates = [fileName, baseName(fileName), stem(fileName), stem(baseName(fileName))];
    const item = candidates.map((k) => byKey.get(k)).find((i) => i !== undefined && !used.has(i.id));
    if (item) {
      used.add(item.id);
      matched.push({ file, fileName, item });
    } else {
      photosWithoutReferences.push(fileName);
    }
  }
  return {
    matched,
    photosWithoutReferences,
    referencesWithoutPhotos: items.filter((i) => !used.has(i.id)).map((i) => i.id),
  };
}
