// A CSV of every photo's results and culls (RFC 4180: comma-separated, CRLF, fields with commas,
// quotes or line breaks quoted), in the gallery's order.
import type { Cull } from '../cull/types.ts';

export interface CsvPhoto {
  fileName: string;
  status: string;
  score?: number;
  cull: Cull;
  clippedHighlights?: number;
  clippedShadows?: number;
  width: number;
  height: number;
  camera?: string;
  takenAt?: string;
  critique: string;
}

export const CSV_COLUMNS = [
  'file',
  'status',
  'score',
  'stars',
  'flag',
  'label',
  'clipped highlights %',
  'clipped shadows %',
  'width',
  'height',
  'camera',
  'taken',
  'critique',
] as const;

function field(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

const pct = (fraction: number | undefined): string => (fraction === undefined ? '' : (fraction * 100).toFixed(2));

export function resultsCsv(photos: readonly CsvPhoto[]): string {
  const rows = photos.map((p) => [
    p.fileName,
    p.status,
    p.score === undefined ? '' : p.score.toFixed(2),
    String(p.cull.rating),
    p.cull.flag === 'none' ? '' : p.cull.flag,
    p.cull.label === 'none' ? '' : p.cull.label,
    pct(p.clippedHighlights),
    pct(p.clippedShadows),
    String(p.width),
    String(p.height),
    p.camera ?? '',
    p.takenAt ?? '',
    p.critique,
  ]);
  return [CSV_COLUMNS as readonly string[], ...rows].map((r) => r.map(field).join(',')).join('\r\n') + '\r\n';
}
