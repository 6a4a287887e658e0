// Evaluation datasets: a documented generic format plus PCCD, RPCD and DPC-style annotation files,
// all parsed into the same items. Isomorphic: this file only parses text; datasets.node.ts reads
// files and resolves image paths.
import { messageOf } from '../common/errors.ts';

/** One image to critique, with the reference critiques it is scored against. */
export interface DatasetItem {
  /** Stable id (results, sharding and resume key on it). */
  id: string;
  /** Image path as written in the annotation (resolved against the dataset folder by the loader). */
  image: string;
  references: string[];
}

export type DatasetFormat = 'generic' | 'pccd' | 'rpcd' | 'dpc-captions' | 'dpc2022';

/** PCCD's seven critique fields (Chang et al. 2017, gurushots.com reviews). */
export const PCCD_FIELDS = [
  'general_impression',
  'subject_of_photo',
  'composition',
  'use_of_camera',
  'depth_of_field',
  'color_lighting',
  'focus',
] as const;

/** DPC-Captions' five attribute fields (Jin et al. 2019). */
export const DPC_CAPTIONS_FIELDS = [
  'color_lighting',
  'composition',
  'depth_and_focus',
  'impression_and_subject',
  'use_of_camera',
] as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function texts(v: unknown): string[] {
  if (typeof v === 'string') return v.trim() ? [v.trim()] : [];
  if (Array.isArray(v)) return v.flatMap(texts);
  return [];
}

function requireString(v: unknown, where: string): string {
  if (typeof v !== 'string' && typeof v !== 'number') throw new Error(`${where} is missing or not a string`);
  return String(v);
}

/** Generic item: {"image": "photo.jpg", "references": ["...", ...], "id"?: "..."}. */
function genericItem(row: unknown, where: string): DatasetItem {
  if (!isObject(row)) throw new Error(`${where}: expected an object {"image", "references"}`);
  const image = requireString(row.image, `${where}: "image"`);
  const refs = row.references;
  if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
    throw new Error(`${where}: "references" must be an array of strings`);
  }
  return {
    id: row.id === undefined ? image : requireString(row.id, `${where}: "id"`),
    image,
    references: refs as string[],
  };
}

/** PCCD guru_*.json row: "title" names the photo (images/full/<title>), each critique field is a reference. */
function pccdItem(row: Json, where: string): DatasetItem {
  const title = requireString(row.title ?? row.im_name, `${where}: "title"`);
  return { id: title, image: `images/full/${title}`, references: PCCD_FIELDS.flatMap((f) => texts(row[f])) };
}

/** RPCD (Reddit Photo Critique Dataset) processed_*.json row: "im_paths" + first-level comments. */
function rpcdItem(row: Json, where: string): DatasetItem {
  const image = requireString(row.im_paths, `${where}: "im_paths"`);
  const id = row.im_id === undefined ? image : requireString(row.im_id, `${where}: "im_id"`);
  return { id, image, references: texts(row.first_level_comments_values ?? row.comments) };
}

/** DPC-Captions row: "im_id" (AVA image name) + five attribute comment fields (string or list). */
function dpcCaptionsItem(row: Json, where: string): DatasetItem {
  const id = requireString(row.im_id, `${where}: "im_id"`);
  const image = /\.\w+$/.test(id) ? id : `${id}.jpg`;
  return { id, image, references: DPC_CAPTIONS_FIELDS.flatMap((f) => texts(row[f])) };
}

/** DPC2022 per-image annotation (<ID>.json): {"score_comments": [{"comment": {"comment": "..."}}]}. */
export function dpc2022Item(id: string, data: unknown, where: string): DatasetItem {
  if (!isObject(data) || !Array.isArray(data.score_comments)) {
    throw new Error(`${where}: expected {"score_comments": [...]} (DPC2022 per-image annotation)`);
  }
  const references = data.score_comments.flatMap((c) => {
    const inner = isObject(c) ? c.comment : undefined;
    return texts(isObject(inner) ? inner.comment : inner);
  });
  return { id, image: `${id}.jpg`, references };
}

/** Which annotation format a parsed row looks like. */
export function detectFormat(row: unknown): DatasetFormat {
  if (!isObject(row)) return 'generic';
  if ('score_comments' in row) return 'dpc2022';
  if ('im_paths' in row) return 'rpcd';
  if ('im_id' in row && DPC_CAPTIONS_FIELDS.some((f) => f in row)) return 'dpc-captions';
  if (('title' in row || 'im_name' in row) && PCCD_FIELDS.some((f) => f in row)) return 'pccd';
  return 'generic';
}

function itemFor(format: DatasetFormat, row: unknown, where: string): DatasetItem {
  if (format === 'generic') return genericItem(row, where);
  if (!isObject(row)) throw new Error(`${where}: expected an object`);
  if (format === 'pccd') return pccdItem(row, where);
  if (format === 'rpcd') return rpcdItem(row, where);
  if (format === 'dpc-captions') return dpcCaptionsItem(row, where);
  return dpc2022Item(requireString(row.id ?? row.ID, `${where}: "ID"`), row, where);
}

/**
 * Parses one annotation file. Accepted: JSONL (one generic item per line), a JSON array of rows in
 * any supported format (detected from the first row), or a JSON object {"<image>": ["ref", ...]}
 * (the refs.json shape of `aeslens metrics`, keys being image paths).
 */
export function parseDataset(text: string, fileName: string): { format: DatasetFormat; items: DatasetItem[] } {
  const trimmed = text.trim();
  let items: DatasetItem[];
  let format: DatasetFormat = 'generic';
  if (fileName.endsWith('.jsonl')) {
    items = trimmed
      .split('\n')
      .map((line, i) => ({ line: line.trim(), i }))
      .filter(({ line }) => line)
      .map(({ line, i }) => {
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch {
          throw new Error(`${fileName}:${i + 1}: not valid JSON`);
        }
        return genericItem(row, `${fileName}:${i + 1}`);
      });
  } else {
    let data: unknown;
    try {
      data = JSON.parse(trimmed);
    } catch (err) {
      throw new Error(`${fileName}: not valid JSON (${messageOf(err)})`);
    }
    if (Array.isArray(data)) {
      format = detectFormat(data[0]);
      items = data.map((row, i) => itemFor(format, row, `${fileName}[${i}]`));
    } else if (isObject(data)) {
      items = Object.entries(data).map(([image, refs]) => {
        if (!Array.isArray(refs) || refs.some((r) => typeof r !== 'string')) {
          throw new Error(`${fileName}: "${image}" must map to an array of reference strings`);
        }
        return { id: image, image, references: refs as string[] };
      });
    } else throw new Error(`${fileName}: expected a JSON array or object`);
  }
  return { format, items: checkItems(items, fileName) };
}

/** Ids must be unique and every image needs at least one reference. */
export function checkItems(items: DatasetItem[], source: string): DatasetItem[] {
  const seen = new Set<string>();
  for (const item of items) {
    if (seen.has(item.id)) throw new Error(`${source}: duplicate image id "${item.id}"`);
    seen.add(item.id);
    if (item.references.length === 0) throw new Error(`${source}: image "${item.id}" has no reference critique`);
  }
  return items;
}
